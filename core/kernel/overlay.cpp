#include "core/kernel/overlay.h"

#include <algorithm>
#include <map>
#include <utility>

namespace timeslice {

namespace {

using Slices = std::vector<KernelSlice>;

// The first slice that ends after t.
Slices::const_iterator first_after(const Slices& slices, Nanos t)
{
    return std::upper_bound(slices.begin(), slices.end(), t, [](Nanos v, const KernelSlice& s) { return v < s.end; });
}

Nanos overlap(Nanos a0, Nanos a1, Nanos b0, Nanos b1) { return std::max<Nanos>(0, std::min(a1, b1) - std::max(a0, b0)); }

State state_for(CpuState s)
{
    switch (s) {
    case CpuState::OnCore:
        return State::Running;
    case CpuState::Preempted:
        return State::Preempted;
    case CpuState::Blocked:
        break;
    }
    return State::Blocked;
}

// Splits one running span by the slices of its thread; appends the pieces (and their core spans).
void split_running(const Span& span, const Slices& slices, std::uint32_t task, std::vector<Span>& out, std::vector<CoreSpan>& cores)
{
    Nanos at = span.start;
    const auto push = [&](Nanos end, State state, std::int16_t core) {
        if (end <= at)
            return;
        Span piece = span;
        piece.start = at;
        piece.end = end;
        piece.state = state;
        piece.core = core;
        if (!out.empty() && out.back().end == at && out.back().state == state && out.back().core == core
            && out.back().tid == span.tid)
            out.back().end = end;
        else
            out.push_back(piece);
        if (state == State::Running && core >= 0) {
            if (!cores.empty() && cores.back().task == task && cores.back().core == core && cores.back().end == at)
                cores.back().end = end;
            else
                cores.push_back(CoreSpan { at, end, task, core });
        }
        at = end;
    };
    for (auto it = first_after(slices, span.start); it != slices.end() && it->start < span.end; ++it) {
        if (it->start > at)
            push(std::min(it->start, span.end), State::Running, span.core); // not watched: the model's word
        push(std::min(it->end, span.end), state_for(it->state), it->state == CpuState::OnCore ? it->core : std::int16_t(-1));
    }
    push(span.end, State::Running, span.core);
}

// Adds the kernel's account of [start, end) on one thread to a task's stats. `prev_core` carries
// the last core seen across the task's spans to count migrations.
void account(KernelStats& stats, const Slices& slices, Nanos start, Nanos end, int& prev_core)
{
    for (auto it = first_after(slices, start); it != slices.end() && it->start < end; ++it) {
        const Nanos t = overlap(it->start, it->end, start, end);
        switch (it->state) {
        case CpuState::OnCore:
            stats.on_core += t;
            if (prev_core >= 0 && it->core >= 0 && it->core != prev_core)
                ++stats.migrations;
            if (it->core >= 0)
                prev_core = it->core;
            // A switch off the core inside the range.
            if (it->end < end && std::next(it) != slices.end() && std::next(it)->start == it->end
                && std::next(it)->state != CpuState::OnCore) {
                ++stats.switches;
                if (std::next(it)->state == CpuState::Preempted)
                    ++stats.preemptions;
            }
            break;
        case CpuState::Preempted:
            stats.preempted += t;
            break;
        case CpuState::Blocked:
            stats.blocked += t;
            break;
        }
    }
}

Nanos on_core_within(const Slices& slices, Nanos start, Nanos end)
{
    Nanos total = 0;
    for (auto it = first_after(slices, start); it != slices.end() && it->start < end; ++it) {
        if (it->state == CpuState::OnCore)
            total += overlap(it->start, it->end, start, end);
    }
    return total;
}

// The run's own use of each core over each CPU sample's interval, from the kernel's slices.
void add_own_cpu_use(Trace& trace, const KernelRecord& record)
{
    const int n_cores = std::max(trace.info.cores, 1);
    std::vector<std::vector<Nanos>> busy(trace.cpu.size(), std::vector<Nanos>(std::size_t(n_cores), 0));
    for (const ThreadKernel& t : record.threads) {
        for (const KernelSlice& s : t.slices) {
            if (s.state != CpuState::OnCore || s.core < 0 || s.core >= n_cores)
                continue;
            // Samples are in time order; sample k covers (t[k-1], t[k]].
            auto k = std::size_t(std::lower_bound(trace.cpu.begin(), trace.cpu.end(), s.start,
                                     [](const CpuSample& c, Nanos v) { return c.t <= v; })
                - trace.cpu.begin());
            for (; k < trace.cpu.size(); ++k) {
                const Nanos from = k == 0 ? 0 : trace.cpu[k - 1].t;
                if (from >= s.end)
                    break;
                busy[k][std::size_t(s.core)] += overlap(from, trace.cpu[k].t, s.start, s.end);
            }
        }
    }
    for (std::size_t k = 0; k < trace.cpu.size(); ++k) {
        CpuSample& c = trace.cpu[k];
        const Nanos from = k == 0 ? 0 : trace.cpu[k - 1].t;
        const double span = double(std::max<Nanos>(c.t - from, 1));
        c.own_per_core.assign(std::size_t(n_cores), 0.f);
        double sum = 0;
        for (int core = 0; core < n_cores; ++core) {
            const double pct = std::min(100.0, 100.0 * double(busy[k][std::size_t(core)]) / span);
            c.own_per_core[std::size_t(core)] = float(pct);
            sum += pct;
        }
        c.own_total = float(sum / n_cores);
    }
}

} // namespace

void apply_kernel(Trace& trace, const KernelRecord& record, bool tasks_own_threads)
{
    trace.kernel = KernelSummary {};
    trace.kernel.source = record.source;
    trace.kernel.note = record.note;
    trace.cores.clear();
    if (record.source == KernelSource::None)
        return;

    std::map<std::pair<std::int32_t, std::int32_t>, const Slices*> by_thread;
    for (const ThreadKernel& t : record.threads)
        by_thread[{ t.pid, t.tid }] = &t.slices;
    const auto slices_of = [&](const Span& s) -> const Slices* {
        const auto it = by_thread.find({ s.pid, s.tid });
        return it == by_thread.end() ? nullptr : it->second;
    };
    const bool owns_thread = tasks_own_threads;

    // Both are filled in memory they had before: the trace's own core spans (emptied above),
    // and one scratch vector of pieces copied back over each row's spans, whose capacity a
    // recycled snapshot keeps (TraceBuilder::build_into).
    std::vector<CoreSpan>& cores = trace.cores;
    std::vector<Span> spans;
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        TaskTrace& task = trace.tasks[i];
        spans.clear();
        KernelStats stats;
        bool watched = false;
        int prev_core = -1;
        for (const Span& span : task.spans) {
            const Slices* slices = slices_of(span);
            if (!slices) {
                spans.push_back(span);
                continue;
            }
            const bool held = span.state == State::Running
                || (owns_thread && (span.state == State::GilWait || span.state == State::Waiting));
            if (held) {
                watched = true;
                account(stats, *slices, span.start, span.end, prev_core);
            }
            if (span.state == State::GilWait) {
                trace.kernel.gil_wait += span.duration();
                trace.kernel.gil_wait_on_core += on_core_within(*slices, span.start, span.end);
            } else if (span.state == State::Waiting && owns_thread) {
                trace.kernel.waiting += span.duration();
                trace.kernel.waiting_on_core += on_core_within(*slices, span.start, span.end);
            }
            if (span.state == State::Running)
                split_running(span, *slices, std::uint32_t(i), spans, cores);
            else
                spans.push_back(span);
        }
        task.spans.assign(spans.begin(), spans.end());
        task.kernel = watched ? std::optional<KernelStats>(stats) : std::nullopt;
    }
    std::stable_sort(cores.begin(), cores.end(),
        [](const CoreSpan& a, const CoreSpan& b) { return std::tie(a.core, a.start) < std::tie(b.core, b.start); });

    add_own_cpu_use(trace, record);
}

} // namespace timeslice
