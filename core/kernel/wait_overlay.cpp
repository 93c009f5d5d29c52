#include "core/kernel/wait_overlay.h"

#include <algorithm>
#include <map>
#include <utility>

namespace timeslice {

namespace {

Nanos overlap(Nanos a0, Nanos a1, Nanos b0, Nanos b1) { return std::max<Nanos>(0, std::min(a1, b1) - std::max(a0, b0)); }

using Key = std::pair<std::int32_t, std::int32_t>; // pid, tid

Key key_of(const Span& s) noexcept
{
    const WorkerId w = s.worker();
    return { w.pid, w.tid };
}

// Appends `s`, merged into the last span when it continues it unchanged.
void push_merged(std::vector<Span>& out, const Span& s)
{
    if (s.end <= s.start)
        return;
    if (!out.empty()) {
        Span& b = out.back();
        if (b.end == s.start && b.state == s.state && b.worker_number == s.worker_number && b.core == s.core && b.reason == s.reason
            && b.gil == s.gil && b.target == s.target) {
            b.end = s.end;
            return;
        }
    }
    out.push_back(s);
}

// How much of [start, end) a run of reads covers; a single read inside still counts.
template <class Run> Nanos covered(const Run& run, Nanos start, Nanos end)
{
    const bool inside = (run.first >= start && run.first < end) || (run.last >= start && run.last < end);
    return overlap(run.first, run.last, start, end) + (inside ? 1 : 0);
}

template <class Run, class Vote> void vote_over(const std::vector<Run>& runs, Nanos start, Nanos end, Vote vote)
{
    auto it = std::lower_bound(runs.begin(), runs.end(), start, [](const Run& r, Nanos t) { return r.last < t; });
    for (; it != runs.end() && it->first < end; ++it) {
        if (const Nanos c = covered(*it, start, end); c > 0)
            vote(*it, c);
    }
}

// The reason most of a blocked piece's reads gave (None: no read fell in it).
std::pair<WaitReason, std::uint16_t> reason_for(const ThreadWaits& waits, Nanos start, Nanos end)
{
    std::map<std::pair<WaitReason, std::uint16_t>, Nanos> votes;
    vote_over(waits.runs, start, end, [&](const WaitRun& r, Nanos c) {
        if (r.reason != WaitReason::None)
            votes[{ r.reason, r.target }] += c;
    });
    std::pair<WaitReason, std::uint16_t> best { WaitReason::None, 0 };
    Nanos most = 0;
    for (const auto& [key, c] : votes) {
        if (c > most) {
            most = c;
            best = key;
        }
    }
    return best;
}

GilHold hold_for(const ProcessGil& gil, std::int32_t tid, Nanos start, Nanos end)
{
    Nanos held = 0, released = 0;
    vote_over(gil.runs, start, end, [&](const GilRun& r, Nanos c) { (r.locked && r.holder == tid ? held : released) += c; });
    if (held == 0 && released == 0)
        return GilHold::Unknown;
    return held >= released ? GilHold::Held : GilHold::Released;
}

State state_for(WaitReason r)
{
    switch (r) {
    case WaitReason::Gil:
        return State::GilWait;
    case WaitReason::Io:
    case WaitReason::Sleep:
        return State::Waiting;
    default:
        return State::Blocked;
    }
}

// Targets in the order the spans name them, as a reader of the saved trace rebuilds them.
void renumber_targets(Trace& trace, const std::vector<std::string>& targets)
{
    std::vector<std::string> used { "" };
    std::vector<std::uint16_t> renumbered(targets.size(), 0);
    for (TaskTrace& task : trace.tasks) {
        for (Span& s : task.spans) {
            if (s.target == 0 || s.target >= renumbered.size())
                continue;
            if (renumbered[s.target] == 0) {
                renumbered[s.target] = std::uint16_t(used.size());
                used.push_back(targets[s.target]);
            }
            s.target = renumbered[s.target];
        }
    }
    trace.targets = used.size() > 1 ? std::move(used) : std::vector<std::string> {};
}

// The run of reads of the GIL before `t` (nullptr: none), and the first one from `t` on.
std::pair<const GilRun*, const GilRun*> runs_around(const ProcessGil& gil, Nanos t)
{
    auto it = std::lower_bound(gil.runs.begin(), gil.runs.end(), t, [](const GilRun& r, Nanos x) { return r.first < x; });
    return { it == gil.runs.begin() ? nullptr : &*std::prev(it), it == gil.runs.end() ? nullptr : &*it };
}

// Whether the thread that starts a turn at `t` took the GIL from another thread, by the reads
// around it: the last read before named another holder, or named this one but the next read
// has it holding the GIL after switch_number moved (the GIL went away and came back between
// two reads).
bool taken_from_another(const ProcessGil& gil, Nanos t, std::int32_t tid)
{
    const auto [before, after] = runs_around(gil, t);
    if (!before || before->holder == 0)
        return false;
    if (before->holder != tid)
        return true;
    return after && after->holder == tid && after->locked && after->switches > before->switches;
}

// Whether any read had `tid` holding the GIL: a thread of Python's, not a C extension's.
bool ever_held(const ProcessGil& gil, std::int32_t tid)
{
    return std::any_of(gil.runs.begin(), gil.runs.end(), [&](const GilRun& r) { return r.holder == tid; });
}

// The times one thread took the GIL from another, by its spans: a turn (its running pieces,
// and the time it waited for a core between them) with the GIL.
//  - After a GIL wait, a turn a read had holding the GIL counts. One no read fell in counts
//    unless it goes straight back to waiting for the GIL or to a block too short to read: a
//    waiter wakes without the GIL every switch interval to ask the holder to drop it
//    (take_gil's timed wait), and a holder forced to drop it wakes between waiting for the
//    taker (FORCE_SWITCHING) and asking for it back. Such pieces are too brief for a read to
//    fall in them, while a thread that takes the GIL clears any request to drop it (take_gil)
//    and holds it a switch interval at least, unless it lets go of it of its own accord.
//  - After a block of its own (a lock, I/O, a sleep, its start), a turn counts where the last
//    read before it had another thread as the holder (it took the GIL back from someone:
//    switch_number counts those too, not a GIL nobody took) and a read had it holding the GIL,
//    or no read fell in it and, as above, it does not go straight back to waiting, and it is a
//    thread some read had holding the GIL (Python's, not a C extension's, which runs without).
std::uint64_t count_hand_overs(const std::vector<Span>& spans, const ProcessGil* gil)
{
    std::uint64_t n = 0;
    // Whether a thread ever held the GIL, looked up once per thread (a row's spans are mostly
    // one thread's), not once per turn over every read.
    std::map<std::int32_t, bool> ever;
    const auto held_by = [&](std::int32_t tid) {
        const auto [it, fresh] = ever.try_emplace(tid, false);
        if (fresh)
            it->second = ever_held(*gil, tid);
        return it->second;
    };
    for (std::size_t i = 0; i < spans.size();) {
        if (spans[i].state != State::Running && spans[i].state != State::Preempted) {
            ++i;
            continue;
        }
        const bool after_wait = i > 0 && spans[i - 1].state == State::GilWait;
        std::size_t j = i;
        bool with = false, held = false;
        for (; j < spans.size() && (spans[j].state == State::Running || spans[j].state == State::Preempted); ++j) {
            if (spans[j].state == State::Running) {
                with = with || spans[j].gil != GilHold::Released;
                held = held || spans[j].gil == GilHold::Held;
            }
        }
        // Back to waiting for the GIL, or to a block too short to read (most often that too).
        const bool back_to_waiting = j < spans.size()
            && (spans[j].state == State::GilWait || (spans[j].state == State::Blocked && spans[j].reason == WaitReason::Unknown));
        const bool taken_back = gil && !after_wait && taken_from_another(*gil, spans[i].start, spans[i].tid());
        if (held)
            n += after_wait || taken_back ? 1 : 0;
        else if (with && !back_to_waiting && (after_wait || (taken_back && held_by(spans[i].tid()))))
            ++n;
        i = j;
    }
    return n;
}

} // namespace

void carve_thread_rows(Trace& trace)
{
    std::map<Key, std::vector<std::pair<Nanos, Nanos>>> taken; // a task's row has the thread
    for (const TaskTrace& task : trace.tasks) {
        if (task.thread_row)
            continue;
        for (const Span& s : task.spans) {
            if (s.state == State::Running)
                taken[key_of(s)].emplace_back(s.start, s.end);
        }
    }
    for (auto& [key, list] : taken)
        std::sort(list.begin(), list.end());
    for (TaskTrace& row : trace.tasks) {
        if (!row.thread_row)
            continue;
        std::vector<Span> out;
        for (const Span& s : row.spans) {
            const auto it = taken.find(key_of(s));
            if (s.state != State::Running || it == taken.end()) {
                out.push_back(s);
                continue;
            }
            Span rest = s;
            for (const auto& [from, to] : it->second) {
                if (to <= rest.start || from >= rest.end)
                    continue;
                Span before = rest;
                before.end = std::max(rest.start, from);
                if (before.end > before.start)
                    out.push_back(before);
                rest.start = std::min(rest.end, to);
            }
            if (rest.end > rest.start)
                out.push_back(rest);
        }
        row.spans = std::move(out);
    }
}

void apply_waits(Trace& trace, const WaitRecord& record)
{
    std::map<Key, const ThreadWaits*> waits;
    for (const ThreadWaits& t : record.threads)
        waits[{ t.pid, t.tid }] = &t;
    std::map<std::int32_t, const ProcessGil*> gils;
    std::int64_t switches = -1;
    for (const ProcessGil& g : record.gils) {
        gils[g.pid] = &g;
        if (g.reads > 0)
            switches = std::max<std::int64_t>(switches, 0) + std::int64_t(g.last_switch - g.first_switch);
    }
    if (!record.emulated) {
        trace.info.gil_found = record.gil_found;
        trace.info.gil_switch_number = switches;
        trace.info.gil_inferred = false;
    } else {
        trace.info.gil_waits_elsewhere = 0;
    }
    trace.info.waits_note = record.note;

    std::uint64_t hand_overs = 0;
    for (TaskTrace& task : trace.tasks) {
        std::vector<Span> out;
        out.reserve(task.spans.size());
        for (Span s : task.spans) {
            if (record.emulated && s.state == State::Waiting) {
                // An emulated wait sleeps on the Stop token's condition variable (a futex, not
                // I/O): the emulation's word is the one to draw.
            } else if (record.emulated && s.state == State::GilWait) {
                // The emulation's own word, checked against the kernel's.
                const auto it = waits.find(key_of(s));
                if (it != waits.end()) {
                    const auto [reason, target] = reason_for(*it->second, s.start, s.end);
                    s.reason = reason;
                    s.target = target;
                    if (s.state == State::GilWait && reason != WaitReason::None && reason != WaitReason::Gil)
                        ++trace.info.gil_waits_elsewhere;
                }
            } else if (s.state == State::Blocked) {
                const auto it = waits.find(key_of(s));
                const auto [reason, target] = it == waits.end() ? std::pair { WaitReason::None, std::uint16_t(0) }
                                                                : reason_for(*it->second, s.start, s.end);
                s.reason = reason == WaitReason::None ? WaitReason::Unknown : reason;
                s.target = target;
                s.state = state_for(s.reason);
            } else if (s.state == State::Running) {
                if (const auto g = gils.find(s.pid()); g != gils.end())
                    s.gil = hold_for(*g->second, s.tid(), s.start, s.end);
            }
            push_merged(out, s);
        }
        if (!out.empty()) {
            const auto g = gils.find(out.front().pid());
            hand_overs += count_hand_overs(out, g == gils.end() ? nullptr : g->second);
        }
        task.spans = std::move(out);
    }
    if (!record.emulated)
        trace.info.gil_hand_overs = hand_overs; // the emulation counts its own

    renumber_targets(trace, record.targets);
}

} // namespace timeslice
