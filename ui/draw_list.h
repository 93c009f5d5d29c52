#pragma once

#include "core/trace.h"
#include "ui/time_map.h"

#include <string>
#include <vector>

namespace timeslice::ui {

// One rectangle of the timeline: a state span, or a block of spans each too narrow to see on
// their own (merged, painted in the colour of the state that fills most of it).
struct DrawRect {
    int row = 0;
    double x0 = 0;
    double x1 = 0;
    State state = State::Queued;
    std::uint32_t merged = 1; // how many spans it stands for
};

struct DrawList {
    std::vector<DrawRect> rects;
    std::size_t spans_visited = 0;
};

// Spans narrower than this many pixels are folded into a block with their neighbours.
constexpr double kMergePixels = 2.0;

// The first pass of drawing: which rectangles the visible rows need at this zoom. The number
// of rectangles is bounded by the width times the rows, not by the trace's size.
DrawList build_draw_list(const Trace& trace, const TimeMap& map, int first_row, int row_count);

// A readable snapshot for tests: one line per rectangle, "A  10.0..55.0  running".
std::string to_text(const DrawList& list, const Trace& trace);

} // namespace timeslice::ui
