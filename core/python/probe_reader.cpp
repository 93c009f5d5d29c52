#include "core/python/probe_reader.h"

#include "core/base/parse.h"
#include "core/kernel/wait_sampler.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace timeslice {

bool parse_probe_line(std::string_view line, ProbeLine& out) noexcept
{
    if (line.size() < 8 || line[1] != ' ')
        return false;
    out.kind = line[0];
    line.remove_prefix(2);
    if (!take_number(line, out.t) || !take_number(line, out.pid) || !take_number(line, out.tid))
        return false;
    switch (out.kind) {
    case 'P':
    case 'S':
    case 'E':
    case 'H':
    case 'G':
    case 'N':
        out.key = {};
        out.rest = line;
        return true;
    case 'T':
    case 'R':
    case 'W':
    case 'Y':
    case 'D':
    case 'F':
    case 'C':
    case 'X':
    case 'K':
    case 'V':
    case 'A':
        out.key = take_field(line);
        out.rest = line;
        return !out.key.empty();
    default:
        return false;
    }
}

std::string unescape_probe_text(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char c = text[++i];
            out.push_back(c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

void ProbeReader::line(std::string_view text)
{
    ++m_lines;
    ProbeLine p;
    if (!parse_probe_line(text, p)) {
        ++m_bad;
        return;
    }
    switch (p.kind) {
    case 'P':
        m_probed.insert(p.pid);
        return;
    case 'N':
        m_notes.push_back(unescape_probe_text(p.rest));
        return;
    case 'S':
        thread_started(p);
        return;
    case 'E':
        thread_ended(p);
        return;
    case 'H':
        if (std::uint64_t tstate = 0; m_ctx.waits && parse_hex(p.rest, tstate))
            m_ctx.waits->thread_state(p.pid, p.tid, tstate);
        return;
    case 'G': {
        std::string_view rest = p.rest;
        std::uint64_t address = 0;
        if (!parse_hex(take_field(rest), address))
            ++m_bad;
        else if (m_ctx.waits)
            m_ctx.waits->gil_at(p.pid, address, unescape_probe_text(rest));
        return;
    }
    case 'T':
        created(p);
        return;
    default:
        break;
    }
    const auto it = m_tasks.find(std::string(p.key));
    if (it == m_tasks.end()) {
        ++m_bad;
        return;
    }
    Task& task = it->second;
    if (p.kind == 'V' || p.kind == 'A') {
        // The value the program got from a Dask future, or a note on the row (Dask ran it
        // again): whenever it comes.
        Outcomes& o = m_ctx.outcomes;
        if (task.ignored)
            return;
        if (p.kind == 'V' && o.result(task.index).empty())
            o.set_result(task.index, unescape_probe_text(p.rest));
        else if (p.kind == 'A' && o.reason(task.index).empty())
            o.set_reason(task.index, unescape_probe_text(p.rest));
        return;
    }
    if (!task.ignored && !task.ended)
        task_line(task, p);
}

void ProbeReader::piece(Task& task, const ProbeLine& p)
{
    // "action stop wpid wtid worker": a piece of the task's time by Dask's task stream.
    std::string_view rest = p.rest;
    const std::string_view action = take_field(rest);
    Nanos stop = 0;
    std::int32_t pid = 0, tid = 0;
    if (action.empty() || !take_number(rest, stop) || !take_number(rest, pid) || !take_number(rest, tid) || stop < p.t) {
        ++m_bad;
        return;
    }
    // The kernel's view reaches a worker only where the probe runs in it (a worker this run
    // started): elsewhere the pid is another machine's, or a process the run does not watch.
    const bool watched = pid > 0 && tid > 0 && m_probed.contains(pid);
    ProbeLine at = p;
    at.pid = watched ? pid : 0;
    at.tid = watched ? tid : 0;
    if (!task.placed) {
        task.placed = true;
        m_to_worker += std::max<Nanos>(0, p.t - task.created);
    }
    m_piece_time[std::string(action)] += stop - p.t;
    const bool moving = action == "transfer" || action == "disk";
    const State state = moving ? State::Waiting : State::Running;
    const WaitReason reason = moving ? WaitReason::Io : WaitReason::None;
    // A piece comes after the fact, on the worker's clock moved onto ours: the row may already
    // hold an event inside it (its submission, seen by the client after the scheduler had sent
    // it on). Rows are drawn from their events in time order, so the piece is said again after
    // that event: drawn once, a task submitted 0.4 ms "after" it started showed running 0.4 ms
    // and queued for the rest of its second.
    const Nanos seen = task.last;
    record(task, at, state, reason);
    if (seen > p.t && seen < stop) {
        ProbeLine again = at;
        again.t = seen;
        append(task, again, state, reason);
    }
    at.t = stop;
    record(task, at, State::Queued); // on its worker, until its next piece or its end
    std::string worker = unescape_probe_text(rest);
    if (m_ctx.outcomes.worker(task.index).empty()) {
        ++(watched ? m_on_watched_workers : m_on_other_workers);
        m_ctx.outcomes.set_worker(task.index, std::move(worker));
    }
}

std::string ProbeReader::cluster_note() const
{
    std::string note;
    for (const std::string& n : m_notes)
        note += (note.empty() ? "" : "; ") + n;
    if (m_on_watched_workers + m_on_other_workers == 0)
        return note;
    note += fmt::format("{}tasks' times are Dask's task stream; {} of {} ran on workers this machine's kernel view "
                        "reaches (started by this run), {} on workers it does not (no kernel data)",
        note.empty() ? "" : "; ", m_on_watched_workers, m_on_watched_workers + m_on_other_workers, m_on_other_workers);
    // What the cluster cost a task, against what it computed.
    const double tasks = double(m_on_watched_workers + m_on_other_workers);
    note += fmt::format("; per task, mean: {:.2f} ms from submission to starting on its worker (scheduling and queueing)", double(m_to_worker) / tasks / 1e6);
    for (const char* action : { "transfer", "deserialize", "disk", "compute" }) {
        if (const auto it = m_piece_time.find(action); it != m_piece_time.end())
            note += fmt::format(", {:.2f} ms {}", double(it->second) / tasks / 1e6, action);
    }
    return note;
}

void ProbeReader::task_line(Task& task, ProbeLine& p)
{
    switch (p.kind) {
    case 'R':
        watch(p.pid, p.tid);
        if (m_ctx.kernel && task.state == State::Waiting && task.deadline && task.deadline < p.t) {
            // The sleep was due at its deadline; from then on the thread wanted to run, and
            // the kernel's record says how it spent the time until its next line ran (under
            // the GIL, mostly waiting for it: kernel_view.h).
            ProbeLine due = p;
            due.t = task.deadline;
            record(task, due, State::Running);
        }
        record(task, p, State::Running);
        task.deadline = 0;
        return;
    case 'W': {
        watch(p.pid, p.tid);
        record(task, p, State::Waiting);
        std::string_view rest = p.rest;
        Nanos deadline = 0;
        take_number(rest, deadline);
        task.deadline = deadline > p.t ? deadline : 0;
        return;
    }
    case 'Y':
        // Ready from the moment its timer was due, if the loop was too busy to see it then.
        if (task.deadline && task.deadline < p.t)
            p.t = std::max(task.deadline, task.last);
        task.deadline = 0;
        record(task, p, State::Ready);
        return;
    case 'K':
        piece(task, p);
        return;
    case 'D':
        end(task, p, State::Done, unescape_probe_text(p.rest));
        return;
    case 'F':
        end(task, p, State::Failed, unescape_probe_text(p.rest));
        return;
    case 'C':
        end(task, p, State::Cancelled, unescape_probe_text(p.rest));
        return;
    case 'X': {
        // The submitter saw the future settle without the worker saying the task ended:
        // its worker died (BrokenProcessPool) or it was cancelled before it started.
        std::string_view rest = p.rest;
        const std::string_view status = take_field(rest);
        const State s = status == "C" ? State::Cancelled : status == "F" ? State::Failed : State::Done;
        end(task, p, s, unescape_probe_text(rest));
        return;
    }
    default:
        ++m_bad;
    }
}

void ProbeReader::end_all(State state, const std::string& reason)
{
    const Nanos now = monotonic_now();
    native_rows(now);
    for (auto& [key, task] : m_tasks) {
        if (task.ignored || task.ended)
            continue;
        ProbeLine p;
        p.t = std::max(now, task.last);
        p.tid = task.tid;
        // A thread that never said it ended (the main thread) ended with its program.
        if (task.thread && state != State::Cancelled)
            end(task, p, State::Done, {});
        else
            end(task, p, state, reason);
    }
    for (std::size_t i = m_next_builtin; i < m_ctx.outcomes.size(); ++i) {
        if (m_ctx.outcomes.status(i) == State::Cancelled && m_ctx.outcomes.reason(i).empty())
            m_ctx.outcomes.set(i, TaskOutcome { state, {}, reason.empty() ? "the program never started it" : reason });
    }
}

void ProbeReader::unwatch_all()
{
    for (const std::uint64_t k : m_watched)
        m_ctx.unwatch_thread(std::int32_t(k >> 32), std::int32_t(k & 0xffffffffu));
    m_watched.clear();
}

void ProbeReader::watch(std::int32_t pid, std::int32_t tid)
{
    if (m_watched.insert(key_of(pid, tid)).second)
        m_ctx.watch_thread(pid, tid);
}

void ProbeReader::thread_started(const ProbeLine& p)
{
    watch(p.pid, p.tid);
    m_named.insert(key_of(p.pid, p.tid));
    m_unnamed.erase(key_of(p.pid, p.tid));
    std::string_view rest = p.rest;
    const std::string_view kind = take_field(rest);
    // A child process's main thread says hello as "t" (not a row: a pool's worker, or a child
    // whose Process object then says "c").
    const bool main = p.pid == p.tid;
    const bool row = kind == "c" || (kind == "t" && !(main && p.pid != m_root_pid));
    if (!row || m_builtin || !m_ctx.declare_task)
        return;
    Task task;
    task.thread = true;
    task.last = p.t;
    task.index = m_ctx.declare_task(unescape_probe_text(rest), true);
    auto [it, fresh] = m_tasks.emplace(thread_key(p.pid, p.tid), task);
    if (!fresh) {
        ++m_bad;
        return;
    }
    record(it->second, p, State::Running);
}

void ProbeReader::thread_ended(const ProbeLine& p)
{
    if (const auto it = m_tasks.find(thread_key(p.pid, p.tid)); it != m_tasks.end() && !it->second.ended)
        end(it->second, p, State::Done, {});
    if (m_watched.erase(key_of(p.pid, p.tid)))
        m_ctx.unwatch_thread(p.pid, p.tid);
}

void ProbeReader::find_unnamed_threads(Nanos now, Nanos every)
{
    if (m_builtin || !m_ctx.declare_task || now < m_next_scan)
        return;
    m_next_scan = now + every;
    for (auto& [key, u] : m_unnamed)
        u.gone = true;
    for (const std::int32_t pid : m_probed) {
        std::error_code error;
        for (const auto& entry : std::filesystem::directory_iterator(fmt::format("/proc/{}/task", pid), error)) {
            std::int32_t tid = 0;
            const std::string name = entry.path().filename().string();
            std::string_view text = name;
            if (!take_number(text, tid) || tid <= 0)
                continue;
            const std::uint64_t key = key_of(pid, tid);
            if (m_named.contains(key))
                continue;
            auto [it, fresh] = m_unnamed.try_emplace(key, Unnamed { now, now, false });
            if (fresh)
                watch(pid, tid);
            it->second.last = now;
            it->second.gone = false;
        }
    }
    for (auto& [key, u] : m_unnamed) {
        if (u.gone && m_watched.erase(key))
            m_ctx.unwatch_thread(std::int32_t(key >> 32), std::int32_t(key & 0xffffffffu));
    }
}

void ProbeReader::native_rows(Nanos now)
{
    for (const auto& [key, u] : m_unnamed) {
        const auto pid = std::int32_t(key >> 32), tid = std::int32_t(key & 0xffffffffu);
        Task task;
        task.thread = true;
        task.index = m_ctx.declare_task(fmt::format("thread {} (native)", tid), true);
        ProbeLine p;
        p.pid = pid;
        p.tid = tid;
        p.t = u.first;
        record(task, p, State::Running);
        p.t = std::max(u.gone ? u.last : now, u.first + 1); // alive until its process ended
        end(task, p, State::Done, {});
        m_tasks.emplace(thread_key(pid, tid), task);
    }
    m_unnamed.clear();
}

void ProbeReader::created(const ProbeLine& p)
{
    std::string_view rest = p.rest;
    const std::string_view root = take_field(rest);
    Task task;
    task.last = p.t;
    task.created = p.t;
    if (m_builtin && root == "1") {
        task.ignored = true;
    } else if (m_builtin && m_next_builtin < m_ctx.outcomes.size()) {
        task.index = std::uint32_t(m_next_builtin++);
    } else if (m_ctx.declare_task) {
        task.index = m_ctx.declare_task(unescape_probe_text(rest), false);
    } else {
        task.ignored = true; // a built-in program made more tasks than its workload has
    }
    auto [it, fresh] = m_tasks.emplace(std::string(p.key), task);
    if (!fresh) {
        ++m_bad;
        return;
    }
    if (!it->second.ignored)
        record(it->second, p, State::Queued);
}

void ProbeReader::record(Task& task, const ProbeLine& p, State state, WaitReason reason)
{
    if (state == task.state && p.tid == task.tid && state != State::Queued && reason == WaitReason::None)
        return; // no change
    append(task, p, state, reason);
}

void ProbeReader::append(Task& task, const ProbeLine& p, State state, WaitReason reason)
{
    task.state = state;
    task.tid = p.tid;
    m_lanes({ p.pid, p.tid }).record(LaneEvent { p.t, task.index, state, reason, -1 });
    task.last = std::max(task.last, p.t);
}

void ProbeReader::end(Task& task, const ProbeLine& p, State state, std::string text)
{
    task.ended = true;
    record(task, p, state);
    Outcomes& o = m_ctx.outcomes;
    o.set_status(task.index, state);
    // A Dask task's value (V) or a note on its row (A) may have come first.
    if (!text.empty() || state != State::Done) {
        if (state == State::Done)
            o.set_result(task.index, std::move(text));
        else
            o.set_reason(task.index, std::move(text));
    }
}

std::string ProbeReader::thread_key(std::int32_t pid, std::int32_t tid) { return fmt::format("thread {}.{}", pid, tid); }

} // namespace timeslice
