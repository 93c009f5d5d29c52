#pragma once

#include <QString>

namespace timeslice::ui {

// Help → How to read the timeline: every state with its swatch in the colour drawn, the ideal
// outlines, the hatching of merged spans, the end marks and the gestures.
QString timeline_help_html();

} // namespace timeslice::ui
