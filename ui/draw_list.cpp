#include "ui/draw_list.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace timeslice::ui {

namespace {

// Accumulates narrow spans until the block they make is wide enough to draw.
struct Block {
    double x0 = 0;
    double x1 = 0;
    std::uint32_t count = 0;
    std::array<double, kSpanStateCount> width_per_state {};

    DrawRect finish(int row) const
    {
        const auto widest = std::max_element(width_per_state.begin(), width_per_state.end());
        return DrawRect { row, x0, x1, State(widest - width_per_state.begin()), count };
    }
};

} // namespace

DrawList build_draw_list(const Trace& trace, const TimeMap& map, int first_row, int row_count)
{
    DrawList list;
    const int last_row = std::min<int>(int(trace.tasks.size()), first_row + row_count);
    const double right = map.x0 + map.width;
    for (int row = std::max(0, first_row); row < last_row; ++row) {
        const auto& spans = trace.tasks[std::size_t(row)].spans;
        // Spans of a task follow each other, so their ends are sorted too: skip what ended before
        // the view with a binary search.
        auto it = std::lower_bound(
            spans.begin(), spans.end(), map.start, [](const Span& s, Nanos t) { return s.end <= t; });
        Block block;
        for (; it != spans.end() && it->start < map.end; ++it) {
            ++list.spans_visited;
            const double x0 = std::max(map.x0, map.to_x(it->start));
            const double x1 = std::min(right, map.to_x(it->end));
            if (x1 <= x0)
                continue;
            const bool narrow = x1 - x0 < kMergePixels;
            if (block.count > 0 && (!narrow || x0 - block.x1 > 0.5 || block.x1 - block.x0 >= kMergePixels)) {
                list.rects.push_back(block.finish(row));
                block = Block {};
            }
            if (narrow) {
                if (block.count == 0)
                    block.x0 = x0;
                block.x1 = x1;
                block.width_per_state[std::size_t(it->state)] += x1 - x0;
                ++block.count;
            } else {
                list.rects.push_back(DrawRect { row, x0, x1, it->state, 1 });
            }
        }
        if (block.count > 0)
            list.rects.push_back(block.finish(row));
    }
    return list;
}

std::string to_text(const DrawList& list, const Trace& trace)
{
    std::string out;
    char buf[160];
    for (const DrawRect& r : list.rects) {
        std::snprintf(buf, sizeof buf, "%-4s %7.1f..%-7.1f %s%s\n", trace.tasks[std::size_t(r.row)].name.c_str(), r.x0,
            r.x1, std::string(state_name(r.state)).c_str(),
            r.merged > 1 ? (" (" + std::to_string(r.merged) + " spans)").c_str() : "");
        out += buf;
    }
    return out;
}

} // namespace timeslice::ui
