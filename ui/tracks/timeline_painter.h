#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/draw_list.h"
#include "ui/tracks/time_map.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QRectF>

#include <cstddef>
#include <utility>
#include <vector>

class QPainter;

namespace timeslice::ui {


// Sizes of the timeline's parts, in the painter's units. Exports scale them with the image.
struct TimelineStyle {
    double label_width = 150;
    double axis_height = 26;
    double row_height = 24;
    QFont font;
};

// How far apart the time axis keeps its tick labels, for this font.
double axis_tick_spacing(const QFont& font);

// Where the bars go inside `area`: right of the labels, below the axis.
QRectF timeline_plot_rect(const QRectF& area, const TimelineStyle& style);
TimeMap timeline_time_map(const QRectF& area, const TimelineStyle& style, TimeRange range);

// The second pass of drawing: labels, axis, grid and the draw list's rectangles, on any
// QPainter (the screen, a QImage, an SVG or a PDF). Rows from `first_row` that fit are drawn.
// Returns the draw list it painted, for tests and tooltips. `times`, built for this trace, keeps
// merged blocks cheap however many spans they stand for (the window keeps one; an export sums).
DrawList paint_timeline(QPainter& p, const QRectF& area, const Trace& trace, TimeRange range, int first_row,
    const TimelineStyle& style, const SpanTimes* times = nullptr);

// The playhead's line, in every view.
inline const QColor kPlayheadColor(0xC0, 0x10, 0x40);

// What the legend explains beyond the states, and how much room it may take.
struct LegendOptions {
    bool core_lanes = false; // what the Cores lanes' colours mean
    bool gil_released = false; // how a thread running without the GIL looks (real Python)
    // One line whatever the width: the entries that fit, then "… more", for small windows (the
    // whole legend is in the view's tooltip and in Help).
    bool one_line = false;
    // The predicted schedule's outline: not for a trace that has none (a script of the user's
    // own, another tool's trace).
    bool predicted = true;
};

// The state colours with their names, in one line (wrapping if narrow, unless one_line), then
// what the options add. Returns the height used.
double paint_legend(QPainter& p, const QRectF& area, const QFont& font, bool paint = true, LegendOptions options = {});
double paint_legend_height(const QFont& font, double width, LegendOptions options = {});

// "A · pid 4242": the row label, naming the worker where it tells something.
QString task_label(const Trace& trace, std::size_t row);
// The same in two parts: the task's name, and " · tid 812", " · pid 77" or " · 127.0.0.1:45033"
// (empty where the row says no worker).
std::pair<QString, QString> task_label_parts(const Trace& trace, std::size_t row);
// A label in `width`: whole; else its name cut in the middle and its worker whole (a Dask row read
// "IO-1 · 1....1:45033", its worker's address cut); else all of it cut in the middle.
QString fitted_label(const QFontMetricsF& fm, const QString& name, const QString& worker, double width);

// The label column's width that shows the longest row label whole in `font` (with room for the
// end mark), kept within [least, most]: "thread 123456 (native)" or "fetch('alpha')" are not
// cut in the middle while the plot keeps most of the width. Looks at the first 4,096 rows; a
// trace of more rows has labels alike.
double fitted_label_width(const Trace& trace, const QFont& font, double least, double most);

} // namespace timeslice::ui
