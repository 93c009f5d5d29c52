// Responsible for what the command line prints about runs: each run's report and the summary
// table that compares several.
#include "core/analysis/wait_summary.h"
#include "core/cli/cli.h"

#include "core/analysis/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace timeslice::cli {

namespace {

std::string seconds(Nanos ns) { return fmt::format("{:.3f} s", to_seconds(ns)); }

std::string pad(std::string s, std::size_t w)
{
    s.resize(std::max(s.size(), w), ' ');
    return s;
}

} // namespace

namespace {

// Real Python: each task's off-core time by the kernel's reason, and the GIL by its own fields.
std::string waits_report(const Trace& trace, std::size_t name_w)
{
    const RunInfo& info = trace.info;
    if (info.gil_found.empty() && info.waits_note.empty() && !has_wait_reasons(trace))
        return {}; // not real Python, or a trace from before the kernel was asked
    std::ostringstream out;
    if (!info.waits_note.empty())
        out << info.waits_note << "\n";
    if (has_wait_reasons(trace)) {
        out << "off a core, by what the kernel said each thread slept in:\n" << pad("task", name_w);
        for (std::size_t r = 1; r < kWaitReasons.size(); ++r)
            out << "  " << pad(std::string(kWaitReasons[r].name), 9);
        out << "\n";
        for (const TaskTrace& t : trace.tasks) {
            const ReasonTimes times = off_core_by_reason(t);
            out << pad(t.name, name_w);
            for (std::size_t r = 1; r < times.size(); ++r)
                out << "  " << pad(seconds(times[r]), 9);
            out << "\n";
        }
    }
    if (!info.gil_found.empty())
        out << "GIL: " << info.gil_found << "\n";
    if (info.gil_waits_elsewhere >= 0) {
        std::size_t gil_waits = 0;
        for (const TaskTrace& t : trace.tasks)
            gil_waits += std::size_t(std::count_if(t.spans.begin(), t.spans.end(), [](const Span& s) { return s.state == State::GilWait; }));
        out << "emulated GIL waits the kernel saw on something else: " << info.gil_waits_elsewhere << " of " << gil_waits
            << (info.gil_waits_elsewhere == 0 ? " (the emulation and the kernel agree)" : " (the emulation is wrong there)") << "\n";
    }
    if (info.gil_switch_number >= 0)
        out << "GIL hand-overs: " << info.gil_hand_overs << " drawn, " << info.gil_switch_number
            << " by the GIL's own count (switch_number)\n";
    if (const Nanos without = running_with_gil(trace, GilHold::Released); info.gil_switch_number >= 0)
        out << "on a core without the GIL (C code that released it): " << seconds(without) << "; with it: "
            << seconds(running_with_gil(trace, GilHold::Held)) << "\n";
    return out.str();
}

} // namespace

std::string format_report(const Trace& trace)
{
    const RunInfo& info = trace.info;
    std::ostringstream out;
    out << "Timeslice: " << info.workload << " under " << info.model;
    if (info.engine != describe(Engine::Native).name)
        out << " in " << info.engine << (info.python.empty() ? "" : " " + info.python);
    if (const ModelDescriptor* m = find_model(info.model); m && m->gil)
        out << (info.gil ? " with the GIL" : " without the GIL");
    out << " (" << info.workers << (info.workers == 1 ? " worker" : " workers") << ", " << info.cores
        << " cores, scale " << info.scale << ")\n";
    if (!info.cluster.empty())
        out << "cluster: " << info.cluster << "\n";

    std::size_t name_w = 4, worker_w = 6, result_w = 6;
    std::vector<std::string> workers;
    for (const TaskTrace& t : trace.tasks) {
        std::string w
            = t.pid ? "pid " + std::to_string(t.pid) + (t.tid != t.pid ? " tid " + std::to_string(t.tid) : "") : "-";
        if (!t.worker.empty())
            w = t.worker + (t.pid ? " (" + w + ")" : "");
        name_w = std::max(name_w, t.name.size());
        worker_w = std::max(worker_w, w.size());
        result_w = std::max(result_w, t.result.size());
        workers.push_back(std::move(w));
    }
    out << pad("task", name_w) << "  " << pad("worker", worker_w) << "  " << pad("start", 9) << "  " << pad("end", 9)
        << "  " << pad("status", 9) << "  result\n";
    for (std::size_t i = 0; i < trace.tasks.size(); ++i) {
        const TaskTrace& t = trace.tasks[i];
        out << pad(t.name, name_w) << "  " << pad(workers[i], worker_w) << "  "
            << pad(t.started >= 0 ? seconds(t.started) : "-", 9) << "  "
            << pad(t.finished >= 0 ? seconds(t.finished) : "-", 9) << "  " << pad(std::string(state_name(t.status)), 9)
            << "  " << (t.result.empty() ? t.reason : t.reason.empty() ? t.result : t.result + " (" + t.reason + ")") << "\n";
    }
    // The kernel's account of each task's thread: what the OS scheduler did with it.
    if (trace.kernel.source == KernelSource::None) {
        out << (trace.kernel.note.empty() ? std::string("kernel data: none") : trace.kernel.note) << "\n";
    } else {
        out << trace.kernel.note << "\n";
        out << pad("task", name_w) << "  " << pad("on a core", 10) << "  " << pad("preempted", 10) << "  "
            << pad("blocked", 10) << "  preemptions  switches  migrations\n";
        for (const TaskTrace& t : trace.tasks) {
            if (!t.kernel) {
                out << pad(t.name, name_w) << "  (its thread was not watched)\n";
                continue;
            }
            const KernelStats& k = *t.kernel;
            out << pad(t.name, name_w) << "  " << pad(seconds(k.on_core), 10) << "  " << pad(seconds(k.preempted), 10)
                << "  " << pad(seconds(k.blocked), 10) << "  " << pad(std::to_string(k.preemptions), 11) << "  "
                << pad(std::to_string(k.switches), 8) << "  " << k.migrations << "\n";
        }
    }
    if (!info.exit.empty())
        out << "the program ended: " << info.exit << "\n";
    if (info.gil_inferred)
        out << "GIL hand-overs (inferred from the kernel, by an older Timeslice): " << info.gil_hand_overs << "\n";
    out << waits_report(trace, name_w);
    out << "makespan " << seconds(info.makespan) << "\n";
    if (has_scorecard(trace))
        out << scorecard_text(compute_scorecard(trace)) << "\n";
    else if (trace.complete)
        out << "no scorecard: not every task is done\n";
    return out.str();
}

std::string format_compare_summary(const std::vector<std::string>& labels, const std::vector<const Trace*>& traces)
{
    std::size_t width = 18;
    for (const std::string& label : labels)
        width = std::max(width, label.size());
    std::ostringstream out;
    out << fmt::format("{:<{}} {:>10} {:>10} {:>9} {:>9} {:>6} {:>8}\n", "model", width, "makespan", "predicted",
        "vs pred.", "speedup", "CPU", "at once");
    for (std::size_t i = 0; i < traces.size() && i < labels.size(); ++i) {
        const Scorecard s = compute_scorecard(*traces[i]);
        // Real Python has no prediction: a dash, not a made-up 0.
        const bool predicted = s.ideal_makespan > 0;
        out << fmt::format("{:<{}} {:>8.3f} s {:>10} {:>9} {:>8.2f}x {:>5.0f}% {:>8.1f}\n", labels[i], width,
            to_seconds(s.makespan), predicted ? fmt::format("{:.3f} s", to_seconds(s.ideal_makespan)) : "-",
            predicted ? fmt::format("{:.2f}x", s.vs_ideal) : "-", s.speedup, s.cpu_utilisation, s.concurrency);
    }
    return out.str();
}

} // namespace timeslice::cli
