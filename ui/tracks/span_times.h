#pragma once

#include "core/trace/trace.h"

#include <array>
#include <cstddef>
#include <vector>

namespace timeslice::ui {

using StateTimes = std::array<Nanos, kSpanStateCount>;

// Each task's time in each state before every 16th of its spans, so that a merged block of
// thousands of spans gets its exact shares from two checkpoints and at most 32 spans: zoomed
// out on ten million spans, summing each one took longer than a frame. Built once per trace.
class SpanTimes {
public:
    SpanTimes() = default;
    explicit SpanTimes(const Trace& trace);

    // Time in each state of spans [first, last) of `task`. A trace this index was not built for
    // is summed span by span: slower, as exact.
    StateTimes between(const Trace& trace, std::size_t task, std::size_t first, std::size_t last) const;

private:
    static constexpr std::size_t kStride = 16;
    const Trace* m_trace = nullptr;
    std::vector<std::vector<StateTimes>> m_before; // [task][n]: spans [0, n * kStride)
};

} // namespace timeslice::ui
