#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/time_map.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>

#include <string>
#include <vector>

class QPainter;

namespace timeslice::ui {

// The Cores view: one lane per core, each of the kernel's CoreSpans (a task's thread on that
// core) a bar in its task's colour, so migrations and time-slicing show. Without kernel data
// there are no lanes: nothing is drawn that was not measured.

// A categorical colour per task, by its index: Paul Tol's "muted" scheme, apart from the state
// colours (Okabe-Ito) so a lane is not read as a state.
QColor task_color(std::size_t task);
// Black or white, whichever reads on `background`.
QColor text_color_on(const QColor& background);

// How many lanes the trace's kernel data calls for (every core of the machine, or up to the
// highest core a span names); 0 without kernel data.
int core_lane_count(const Trace& trace);
QString core_lane_label(int core); // "CPU 0"

// One bar of a lane: a span, or a block of spans each narrower than kMergePixels (painted
// hatched, in the colour of the task with most time in it).
struct CoreRect {
    int lane = 0;
    double x0 = 0;
    double x1 = 0;
    std::uint32_t task = 0;
    std::uint32_t merged = 1;
};

// The bars lanes [first_lane, first_lane + lane_count) need at this zoom: at most a few per
// pixel column, however many spans.
std::vector<CoreRect> build_core_rects(const Trace& trace, const TimeMap& map, int first_lane, int lane_count);
// For tests: "CPU 0   10.0..55.0   A", and "(12 spans)" after a block.
std::string to_text(const std::vector<CoreRect>& rects, const Trace& trace);

// Paints the lanes from `first_lane` that fit in `area` (labels in its first `label_width`
// pixels, bars where `map` puts them), `lane_height` each. Returns the bars it painted.
std::vector<CoreRect> paint_core_lanes(QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map,
    int first_lane, double lane_height, double label_width, const QFont& font);

// The span of `core` at time `t` (within `slop`), or nullptr.
const CoreSpan* core_span_at(const Trace& trace, int core, Nanos t, Nanos slop);
// "<b>A</b> on CPU 1<br>start 12.3 ms, end 17.3 ms, duration 5.0 ms"
QString core_span_tooltip(const Trace& trace, const CoreSpan& span, Nanos resolution);

} // namespace timeslice::ui
