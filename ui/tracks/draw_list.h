#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/span_times.h"
#include "ui/tracks/time_map.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace timeslice::ui {

// A state's share of a rectangle's time, in parts of this whole.
constexpr int kWholeShare = 65535;

// One rectangle of the timeline: a state span, or a block of spans each too narrow to see on
// their own (merged, painted as bands in proportion to each state's share of its time).
struct DrawRect {
    int row = 0;
    double x0 = 0;
    double x1 = 0;
    State state = State::Queued; // the state that fills most of it
    std::uint32_t merged = 1; // how many spans it stands for
    std::array<std::uint16_t, kSpanStateCount> share {}; // per state, summing to kWholeShare
    std::uint32_t first_span = 0; // index in its row of the (first) span it stands for
};

inline double share_of(const DrawRect& r, State s) { return double(r.share[std::size_t(s)]) / kWholeShare; }

struct DrawList {
    std::vector<DrawRect> rects;
    std::size_t spans_visited = 0;
};

// Spans narrower than this many pixels are folded into a block with their neighbours.
constexpr double kMergePixels = 2.0;

// The first pass of drawing: which rectangles the visible rows need at this zoom. The number
// of rectangles is bounded by the width times the rows, not by the trace's size; with `times`
// built for this trace, so is the work.
DrawList build_draw_list(
    const Trace& trace, const TimeMap& map, int first_row, int row_count, const SpanTimes* times = nullptr);

// A readable snapshot for tests: one line per rectangle, "A  10.0..55.0  running", or for a
// merged block its states' shares of time, "A  0.0..2.0  running 49% gil-wait 51% (400 spans)".
std::string to_text(const DrawList& list, const Trace& trace);

} // namespace timeslice::ui
