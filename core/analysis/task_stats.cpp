#include "core/analysis/task_stats.h"

#include <fmt/format.h>

namespace timeslice {

std::vector<TaskStats> task_stats(const Trace& trace)
{
    std::vector<TaskStats> out;
    out.reserve(trace.tasks.size());
    for (const TaskTrace& t : trace.tasks) {
        TaskStats s;
        s.name = t.name;
        s.status = t.status;
        s.pid = t.pid;
        s.tid = t.tid;
        s.start = t.started;
        s.end = t.finished;
        for (const Span& span : t.spans) {
            if (std::size_t(span.state) < std::size_t(kSpanStateCount))
                s.time_in_state[std::size_t(span.state)] += span.duration();
        }
        if (t.cpu_time >= 0)
            s.cpu = t.cpu_time;
        else if (t.kernel)
            s.cpu = t.kernel->on_core;
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

std::string seconds(Nanos ns)
{
    if (ns < 0)
        return {};
    return fmt::format("{}.{:09}", ns / kNanosPerSecond, ns % kNanosPerSecond);
}

std::string quoted(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

} // namespace

std::string task_stats_csv(const Trace& trace)
{
    std::string out = "task,status,pid,tid,start_s,end_s";
    for (int i = 0; i < kSpanStateCount; ++i)
        out += fmt::format(",{}_s", state_name(State(i)));
    out += ",cpu_s\n";
    for (const TaskStats& s : task_stats(trace)) {
        out += fmt::format("{},{},{},{},{},{}", quoted(s.name), state_name(s.status), s.pid, s.tid, seconds(s.start), seconds(s.end));
        for (Nanos t : s.time_in_state)
            out += "," + seconds(t);
        out += "," + seconds(s.cpu) + "\n";
    }
    return out;
}

} // namespace timeslice
