#include "core/kernel/wait_overlay.h"

#include <algorithm>
#include <map>
#include <utility>

namespace timeslice {

namespace {

Nanos overlap(Nanos a0, Nanos a1, Nanos b0, Nanos b1) { return std::max<Nanos>(0, std::min(a1, b1) - std::max(a0, b0)); }

using Key = std::pair<std::int32_t, std::int32_t>;

// Appends `s`, merged into the last span when it continues it unchanged.
void push_merged(std::vector<Span>& out, const Span& s)
{
    if (s.end <= s.start)
        return;
    if (!out.empty()) {
        Span& b = out.back();
        if (b.end == s.start && b.state == s.state && b.tid == s.tid && b.core == s.core && b.reason == s.reason
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

} // namespace

void carve_thread_rows(Trace& trace)
{
    std::map<Key, std::vector<std::pair<Nanos, Nanos>>> taken; // a task's row has the thread
    for (const TaskTrace& task : trace.tasks) {
        if (task.thread_row)
            continue;
        for (const Span& s : task.spans) {
            if (s.state == State::Running)
                taken[{ s.pid, s.tid }].emplace_back(s.start, s.end);
        }
    }
    for (auto& [key, list] : taken)
        std::sort(list.begin(), list.end());
    for (TaskTrace& row : trace.tasks) {
        if (!row.thread_row)
            continue;
        std::vector<Span> out;
        for (const Span& s : row.spans) {
            const auto it = taken.find({ s.pid, s.tid });
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
                const auto it = waits.find({ s.pid, s.tid });
                if (it != waits.end()) {
                    const auto [reason, target] = reason_for(*it->second, s.start, s.end);
                    s.reason = reason;
                    s.target = target;
                    if (s.state == State::GilWait && reason != WaitReason::None && reason != WaitReason::Gil)
                        ++trace.info.gil_waits_elsewhere;
                }
            } else if (s.state == State::Blocked) {
                const auto it = waits.find({ s.pid, s.tid });
                const auto [reason, target] = it == waits.end() ? std::pair { WaitReason::None, std::uint16_t(0) }
                                                                : reason_for(*it->second, s.start, s.end);
                s.reason = reason == WaitReason::None ? WaitReason::Unknown : reason;
                s.target = target;
                s.state = state_for(s.reason);
            } else if (s.state == State::Running) {
                if (const auto g = gils.find(s.pid); g != gils.end())
                    s.gil = hold_for(*g->second, s.tid, s.start, s.end);
            }
            push_merged(out, s);
        }
        // A hand-over: a GIL wait, then running with the GIL, perhaps after the woken thread
        // waited for a core (preempted). A waiter also wakes without it, every switch interval,
        // to ask the holder to drop it (take_gil's timed wait): those brief running pieces are
        // drawn, released, and are not hand-overs.
        bool wanted = false;
        for (const Span& s : out) {
            if (s.state == State::Running && s.gil != GilHold::Released && wanted)
                ++hand_overs;
            if (s.state != State::Preempted)
                wanted = s.state == State::GilWait;
        }
        task.spans = std::move(out);
    }
    if (!record.emulated)
        trace.info.gil_hand_overs = hand_overs; // the emulation counts its own

    renumber_targets(trace, record.targets);
}

} // namespace timeslice
