#pragma once

#include <QString>

class QDialog;
class QWidget;

namespace timeslice::ui {

// Help → How to read the timeline: every state with its swatch in the colour drawn, the ideal
// outlines, the hatching of merged spans, the end marks and the gestures.
QString timeline_help_html();

// Shows that text in a window of its own beside `parent` (one at a time: asked again, it comes to
// the front): it scrolls, fits the screen it opens on, and leaves the main window usable.
QDialog* show_timeline_help(QWidget* parent);

} // namespace timeslice::ui
