#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/time_map.h"

#include <cstddef>
#include <vector>

namespace timeslice::ui {

// One hand-over, from where a row let go to where another (or the same) row went on: under the
// GIL, from the end of the holder's running span to the start of the waiter's; under async, from
// a task's timer expiry (the start of its ready span) to its resumption (the start of its run).
struct HandOver {
    std::size_t from_row = 0;
    Nanos from = 0;
    std::size_t to_row = 0;
    Nanos to = 0;
    bool operator==(const HandOver&) const = default;
};

// Every hand-over of a threads-with-the-GIL or async trace, in the order of `to`; none for other
// models. The thread that dropped the GIL is the last other one whose run ended at or before the
// taker's run began.
std::vector<HandOver> hand_overs(const Trace& trace);

// The ones worth drawing for `map`: those whose `to` falls in the map's range, each at least
// `min_pixels` right of the last one kept that points to the same row, and at most `max_count`
// of them.
std::vector<HandOver> visible_hand_overs(const std::vector<HandOver>& all, const TimeMap& map, double min_pixels, std::size_t max_count);

} // namespace timeslice::ui
