#pragma once

#include "core/trace/trace.h"

#include <array>
#include <cstdint>
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
    // Checkpoint n >= 1 of task t (spans [0, n * kStride)) is m_before[m_first[t] + n - 1];
    // checkpoint 0 is all zeros and kept nowhere. One vector for every task: a live run's
    // snapshot of 100,000 short tasks made 100,000 vectors here, ~30 times a second.
    std::vector<std::uint32_t> m_first; // [task + 1]: where its checkpoints start; [0] = 0
    std::vector<StateTimes> m_before;
};

} // namespace timeslice::ui
