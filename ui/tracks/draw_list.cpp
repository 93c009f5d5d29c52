#include "ui/tracks/draw_list.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace timeslice::ui {

namespace {

using SpanIt = std::vector<Span>::const_iterator;

// Every span of a block counts, and only its time within the view: a sample of them (every
// n-th) fell in step with two threads' turns at the GIL and showed one state where there were two.
StateTimes time_per_state(
    const Trace& trace, int row, SpanIt first, SpanIt last, const TimeMap& map, const SpanTimes* times)
{
    const auto& spans = trace.tasks[std::size_t(row)].spans;
    const auto index = [&](SpanIt it) { return std::size_t(it - spans.begin()); };
    static const SpanTimes none;
    StateTimes time = (times ? *times : none).between(trace, std::size_t(row), index(first), index(last));
    // Only the first and the last span of a block can reach out of the view.
    for (const SpanIt it : { first, std::prev(last) }) {
        time[std::size_t(it->state)]
            -= std::max<Nanos>(0, map.start - it->start) + std::max<Nanos>(0, it->end - map.end);
        if (first == std::prev(last))
            break;
    }
    return time;
}

// `first` stands for the block when its spans take no time at all.
DrawRect block(int row, double x0, double x1, std::uint32_t count, const StateTimes& time, State first)
{
    DrawRect r { row, x0, x1, State(std::max_element(time.begin(), time.end()) - time.begin()), count, {} };
    Nanos total = 0;
    for (Nanos t : time)
        total += t;
    if (total <= 0) {
        r.state = first;
        r.share[std::size_t(first)] = kWholeShare;
        return r;
    }
    // Rounded at the running sum, so the shares add up to the whole and each is within one part.
    Nanos sum = 0;
    long shared = 0;
    for (std::size_t s = 0; s < time.size(); ++s) {
        sum += time[s];
        const long upto = std::lround(double(sum) * kWholeShare / double(total));
        r.share[s] = std::uint16_t(upto - shared);
        shared = upto;
    }
    return r;
}

} // namespace

DrawList build_draw_list(const Trace& trace, const TimeMap& map, int first_row, int row_count, const SpanTimes* times)
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
                DrawRect r { row, x0, x1, it->state, 1, {}, std::uint32_t(it - spans.begin()) };
                r.share[std::size_t(it->state)] = kWholeShare;
                list.rects.push_back(r);
                ++it;
                continue;
            }
            // A narrow span: fold it and every span that starts within the next two pixels into
            // one block, found with a binary search; their times are summed, not drawn.
            const Nanos block_end = map.to_time(x0 + kMergePixels);
            auto stop = std::lower_bound(it + 1, spans.end(), block_end, [](const Span& s, Nanos t) { return s.start < t; });
            // A wide span that starts inside the block is drawn on its own.
            if (stop - it > 1 && x_of(std::prev(stop)->end) - x_of(std::prev(stop)->start) >= kMergePixels)
                --stop;
            const auto count = std::uint32_t(stop - it);
            const double block_x1 = std::max(x_of(std::prev(stop)->end), x0 + (count > 1 ? 0.0 : 1.0));
            const StateTimes time = time_per_state(trace, row, it, stop, map, times);
            list.rects.push_back(block(row, x0, std::min(right, block_x1), count, time, it->state));
            list.rects.back().first_span = std::uint32_t(it - spans.begin());
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
        std::snprintf(buf, sizeof buf, "%-4s %7.1f..%-7.1f", trace.tasks[std::size_t(r.row)].name.c_str(), r.x0, r.x1);
        out += buf;
        if (r.merged == 1) {
            out += " " + std::string(state_name(r.state)) + "\n";
            continue;
        }
        for (std::size_t s = 0; s < r.share.size(); ++s) {
            if (r.share[s] == 0)
                continue;
            std::snprintf(buf, sizeof buf, " %s %.0f%%", std::string(state_name(State(s))).c_str(),
                100.0 * r.share[s] / kWholeShare);
            out += buf;
        }
        out += " (" + std::to_string(r.merged) + " spans)\n";
    }
    return out;
}

} // namespace timeslice::ui
