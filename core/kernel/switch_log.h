#pragma once

#include "core/base/populate.h"
#include "core/kernel/monitor.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace timeslice {

// One watched thread's slices as its context-switch records tell them (the exact source); the
// sampled source lays its slices out in `slices` too.
struct SwitchLog {
    // The slice still open: since `open_start`, in `open_state` (unknown until the first record).
    Nanos open_start = 0;
    std::optional<CpuState> open_state;
    std::int16_t open_core = -1;
    CpuState before_first = CpuState::Blocked; // what /proc said when watching began
    // When the kernel had begun keeping the thread's switch records: its event open and its ring
    // mapped (records before the ring are dropped, unsaid). A switch in before then is missing.
    Nanos armed = 0;
    std::vector<KernelSlice> slices;

    void close_open(Nanos t, CpuState state, std::int16_t core)
    {
        // In memory faulted in at once: page faults were most of the reader's cost per record.
        if (t > open_start)
            push_back_populated(slices, KernelSlice { open_start, t, state == CpuState::OnCore ? core : std::int16_t(-1), state });
        open_start = std::max(open_start, t);
    }

    // A context switch of this thread at trace time t on `cpu`.
    void on_switch(Nanos t, bool out, bool preempt, int cpu)
    {
        if (out) {
            // A first record that is a switch out: the thread was on `cpu` when its records
            // began to be kept, since a moment no record tells. It is drawn there from then on;
            // before, as /proc said, so that no other thread's time on the core is claimed.
            if (!open_state)
                close_open(std::min(armed, t), before_first, -1);
            close_open(t, CpuState::OnCore, std::int16_t(cpu));
            open_state = preempt ? CpuState::Preempted : CpuState::Blocked;
            open_core = -1;
        } else {
            close_open(t, open_state.value_or(before_first), -1);
            open_state = CpuState::OnCore;
            open_core = std::int16_t(cpu);
        }
    }

    // The thread exited at trace time t: on the core it was on, as no switch out is recorded
    // (with no record before, as /proc said when watching began).
    void on_exit(Nanos t)
    {
        close_open(t, open_state.value_or(before_first), open_core);
        open_state.reset();
    }
};

} // namespace timeslice
