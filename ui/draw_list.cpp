#include "ui/draw_list.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace timeslice::ui {

namespace {

// A block stands for many spans; its colour is the state that fills most of it, estimated
// from at most this many of its spans so a block costs the same however many it stands for.
constexpr std::size_t kBlockSamples = 32;

using SpanIt = std::vector<Span>::const_iterator;

State dominant_state(SpanIt first, SpanIt last)
{
    std::array<Nanos, kSpanStateCount> time {};
    const auto count = std::size_t(last - first);
    const std::size_t stride = std::max<std::size_t>(1, count / kBlockSamples);
    for (auto it = first; it < last; it += long(stride))
        time[std::size_t(it->state)] += it->duration();
    return State(std::max_element(time.begin(), time.end()) - time.begin());
}

} // namespace

DrawList build_draw_list(const Trace& trace, const TimeMap& map, int first_row, int row_count)
{
    DrawList list;
    const int last_row = std::min<int>(int(trace.tasks.size()), first_row + row_count);
    const double right = map.x0 + map.width;
    const auto x_of = [&](Nanos t) { return std::clamp(map.to_x(t), map.x0, right); };
    for (int row = std::max(0, first_row); row < last_row; ++row) {
        const auto& spans = trace.tasks[std::size_t(row)].spans;
        // Spans of a task follow each other, so their ends are sorted too: skip what ended before
        // the view with a binary search.
        auto it = std::lower_bound(
            spans.begin(), spans.end(), map.start, [](const Span& s, Nanos t) { return s.end <= t; });
        while (it != spans.end() && it->start < map.end) {
            ++list.spans_visited;
            const double x0 = x_of(it->start);
            const double x1 = x_of(it->end);
            if (x1 - x0 >= kMergePixels) {
                list.rects.push_back(DrawRect { row, x0, x1, it->state, 1 });
                ++it;
                continue;
            }
            // A narrow span: fold it and every span that starts within the next two pixels into
            // one block, jumping over them with a binary search instead of visiting each.
            const Nanos block_end = map.to_time(x0 + kMergePixels);
            auto stop = std::lower_bound(it + 1, spans.end(), block_end, [](const Span& s, Nanos t) { return s.start < t; });
            // A wide span that starts inside the block is drawn on its own.
            if (stop - it > 1 && x_of(std::prev(stop)->end) - x_of(std::prev(stop)->start) >= kMergePixels)
                --stop;
            const auto count = std::uint32_t(stop - it);
            const double block_x1 = std::max(x_of(std::prev(stop)->end), x0 + (count > 1 ? 0.0 : 1.0));
            list.rects.push_back(DrawRect { row, x0, std::min(right, block_x1),
                count > 1 ? dominant_state(it, stop) : it->state, count });
            it = stop;
        }
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
