#include "core/kernel/overlay.h"

#include <algorithm>
#include <array>
#include <bit>
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
            && out.back().worker_number == span.worker_number)
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

// The slices of each watched thread, found by (pid, tid): a sorted table, and the last thread
// asked for first, since a row's spans are mostly on one thread.
class ThreadIndex {
public:
    explicit ThreadIndex(const KernelRecord& record)
    {
        m_threads.reserve(record.threads.size());
        for (const ThreadKernel& t : record.threads)
            m_threads.push_back(Entry { key(t.pid, t.tid), &t.slices });
        std::sort(m_threads.begin(), m_threads.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
    }

    const Slices* find(std::int32_t pid, std::int32_t tid) const
    {
        const std::uint64_t k = key(pid, tid);
        if (m_last && m_last->key == k)
            return m_last->slices;
        const auto it = std::lower_bound(m_threads.begin(), m_threads.end(), k, [](const Entry& e, std::uint64_t v) { return e.key < v; });
        if (it == m_threads.end() || it->key != k)
            return nullptr;
        m_last = &*it;
        return it->slices;
    }

private:
    struct Entry {
        std::uint64_t key;
        const Slices* slices;
    };
    static std::uint64_t key(std::int32_t pid, std::int32_t tid)
    {
        return (std::uint64_t(std::uint32_t(pid)) << 32) | std::uint32_t(tid);
    }
    std::vector<Entry> m_threads;
    mutable const Entry* m_last = nullptr;
};

// Sorts n core spans by start, keeping the order of equal starts (an LSD radix sort on the
// start's offset from the earliest, 11 bits a pass: three passes cover half an hour).
void sort_by_start(CoreSpan* spans, CoreSpan* buffer, std::size_t n)
{
    Nanos lo = spans[0].start;
    Nanos hi = lo;
    for (std::size_t i = 1; i < n; ++i) {
        lo = std::min(lo, spans[i].start);
        hi = std::max(hi, spans[i].start);
    }
    constexpr int kBits = 11;
    constexpr std::size_t kBuckets = std::size_t(1) << kBits;
    const int width = std::bit_width(std::uint64_t(hi - lo));
    CoreSpan* from = spans;
    CoreSpan* to = buffer;
    for (int shift = 0; shift < width; shift += kBits) {
        std::array<std::size_t, kBuckets + 1> at {};
        const auto digit = [&](const CoreSpan& c) { return (std::uint64_t(c.start - lo) >> shift) & (kBuckets - 1); };
        for (std::size_t i = 0; i < n; ++i)
            ++at[digit(from[i]) + 1];
        for (std::size_t b = 1; b <= kBuckets; ++b)
            at[b] += at[b - 1];
        for (std::size_t i = 0; i < n; ++i)
            to[at[digit(from[i])]++] = from[i];
        std::swap(from, to);
    }
    if (from != spans)
        std::copy(from, from + n, spans);
}

// Sorts core spans by core, then start (equal starts keep the rows' order) from `in` into
// `out`, using `in` as scratch: a counting pass by core, then each core's spans by start where
// they are not in order already (a row gives its own in time order; with one row per task on
// one event loop, a core's spans often come sorted).
void sort_by_core(std::vector<CoreSpan>& in, std::vector<CoreSpan>& out)
{
    std::int16_t top = -1;
    for (const CoreSpan& c : in)
        top = std::max(top, c.core);
    std::vector<std::size_t> first(std::size_t(top + 1) + 1, 0);
    for (const CoreSpan& c : in)
        ++first[std::size_t(c.core) + 1];
    for (std::size_t k = 1; k < first.size(); ++k)
        first[k] += first[k - 1];
    out.resize(in.size());
    std::vector<std::size_t> next(first.begin(), first.end() - 1);
    for (const CoreSpan& c : in)
        out[next[std::size_t(c.core)]++] = c;
    const auto by_start = [](const CoreSpan& a, const CoreSpan& b) { return a.start < b.start; };
    for (std::size_t k = 0; k + 1 < first.size(); ++k) {
        CoreSpan* begin = out.data() + first[k];
        const std::size_t n = first[k + 1] - first[k];
        if (!std::is_sorted(begin, begin + n, by_start))
            sort_by_start(begin, in.data(), n);
    }
}

} // namespace

void apply_kernel(Trace& trace, const KernelRecord& record, bool tasks_own_threads)
{
    OverlayScratch scratch;
    apply_kernel(trace, record, tasks_own_threads, scratch);
}

void apply_kernel(Trace& trace, const KernelRecord& record, bool tasks_own_threads, OverlayScratch& scratch)
{
    trace.kernel = KernelSummary {};
    trace.kernel.source = record.source;
    trace.kernel.note = record.note;
    trace.cores.clear();
    if (record.source == KernelSource::None)
        return;

    const ThreadIndex threads(record);
    const bool owns_thread = tasks_own_threads;

    // Pieces go to the scratch vectors (their memory kept from one snapshot to the next); each
    // row's spans are copied back over its own, and the core spans are sorted into the trace's.
    std::vector<CoreSpan>& cores = scratch.cores;
    std::vector<Span>& spans = scratch.spans;
    cores.clear();
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        TaskTrace& task = trace.tasks[i];
        spans.clear();
        KernelStats stats;
        bool watched = false;
        int prev_core = -1;
        // A row's spans are mostly on one worker: its slices are looked up once, not per span.
        std::uint32_t looked_up = UINT32_MAX;
        const Slices* found = nullptr;
        for (const Span& span : task.spans) {
            if (span.worker_number != looked_up) {
                const WorkerId worker = span.worker();
                found = threads.find(worker.pid, worker.tid);
                looked_up = span.worker_number;
            }
            const Slices* slices = found;
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
    sort_by_core(cores, trace.cores);

    add_own_cpu_use(trace, record);
}

} // namespace timeslice
