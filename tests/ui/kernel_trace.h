#pragma once

// A synthetic trace with the kernel's view, as apply_kernel would leave it: four tasks on two
// cores, each core time-slicing two tasks in 50 ms turns; every task runs on one core, and is
// preempted while the other task on its core runs. The CPU samples carry the run's own use.
#include "core/trace/trace.h"

#include <algorithm>
#include <string>

namespace timeslice::test {

inline Trace kernel_trace(int cores = 2, int tasks = 4, KernelSource source = KernelSource::Exact)
{
    constexpr Nanos turn = 50 * kNanosPerMilli;
    const int turns = 8;
    Trace t;
    t.info.workload = "square-numbers";
    t.info.model = "threads";
    t.info.gil = false;
    t.info.workers = tasks;
    t.info.cores = cores;
    t.info.makespan = turns * turn;
    t.complete = true;
    t.kernel.source = source;
    if (source != KernelSource::None)
        t.kernel.note = source == KernelSource::Exact ? "kernel data: exact (perf_event_open context switches)"
                                                      : "kernel data: sampled every 1 ms from /proc";
    // Tasks i and i + cores share core i % cores, taking turns.
    for (int i = 0; i < tasks; ++i) {
        TaskTrace task;
        task.name = tasks <= 26 ? std::string(1, char('A' + i)) : "T" + std::to_string(i);
        task.status = State::Done;
        task.submitted = 0;
        task.started = 0;
        task.finished = turns * turn;
        task.pid = 100;
        task.tid = 200 + i;
        const int core = i % cores;
        const int slot = i / cores;
        const int sharing = (tasks - core + cores - 1) / cores; // tasks on this core
        for (int k = 0; k < turns; ++k) {
            const bool on_core = k % sharing == slot;
            Span s { k * turn, (k + 1) * turn, 100, 200 + i, std::int16_t(on_core ? core : -1),
                on_core ? State::Running : State::Preempted };
            task.spans.push_back(s);
            if (on_core && source != KernelSource::None)
                t.cores.push_back(CoreSpan { k * turn, (k + 1) * turn, std::uint32_t(i), std::int16_t(core) });
        }
        t.tasks.push_back(task);
    }
    std::sort(t.cores.begin(), t.cores.end(),
        [](const CoreSpan& a, const CoreSpan& b) { return a.core != b.core ? a.core < b.core : a.start < b.start; });
    // The machine busier than the run: other programs use 25 % on top of the run's 60 %.
    for (Nanos at = 20 * kNanosPerMilli; at <= turns * turn; at += 20 * kNanosPerMilli) {
        CpuSample sample;
        sample.t = at;
        sample.per_core.assign(std::size_t(cores), 85.0f);
        sample.total = 85;
        if (source != KernelSource::None) {
            sample.own_per_core.assign(std::size_t(cores), 60.0f);
            sample.own_per_core[0] = 70;
            if (cores > 1)
                sample.own_per_core[1] = 50;
            sample.own_total = 60;
        }
        t.cpu.push_back(sample);
    }
    return t;
}

} // namespace timeslice::test
