#include "core/advise.h"

#include "core/analysis.h"
#include "core/machine_info.h"
#include "core/runner.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

namespace timeslice {

namespace {

constexpr std::array<ModelKind, 3> kModels { ModelKind::Processes, ModelKind::Threads, ModelKind::Async };

std::string fmt(const char* format, double a, double b = 0)
{
    char buf[128];
    std::snprintf(buf, sizeof buf, format, a, b);
    return buf;
}

// Resident memory of this process and its children: worker processes count too.
long tree_rss_kb()
{
    long total = resident_kb(getpid());
    for (const int pid : child_pids())
        total += resident_kb(pid);
    return total;
}

struct Stopped { };

// run_to_end that a Stop (the options' cancel flag) ends within a few milliseconds.
std::shared_ptr<const Trace> run(const RunConfig& config, const std::atomic<bool>* cancel)
{
    Runner runner(config);
    runner.start();
    while (!runner.finished()) {
        if (cancel && cancel->load()) {
            runner.cancel();
            runner.wait();
            throw Stopped {};
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    runner.wait();
    return runner.snapshot();
}

RunConfig base(const std::string& workload, ModelKind model, bool gil, double scale)
{
    RunConfig c;
    c.workload = workload;
    c.model = model;
    c.model_options.gil = gil;
    c.workload_options.scale = scale;
    return c;
}

SweepPoint sweep_point(ModelKind model, int n, Nanos wait, const std::atomic<bool>* cancel)
{
    RunConfig c = base("table-loading", model, model == ModelKind::Threads, 1.0);
    c.workload_options.waits.assign(std::size_t(n), to_seconds(wait));
    if (model != ModelKind::Async)
        c.model_options.workers = n; // one worker per task: what it costs to have N at once
    c.cpu_interval = 200 * kNanosPerMilli;
    const long before = tree_rss_kb();
    std::atomic<long> peak { before };
    std::atomic<bool> done { false };
    std::thread watcher([&] {
        while (!done.load()) {
            peak = std::max(peak.load(), tree_rss_kb());
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    });
    std::shared_ptr<const Trace> trace;
    try {
        trace = run(c, cancel);
    } catch (const Stopped&) {
        done = true;
        watcher.join();
        throw;
    } catch (const std::exception&) {
    }
    done = true;
    watcher.join();
    SweepPoint p;
    p.model = model;
    p.tasks = n;
    if (!trace)
        return SweepPoint { model, n, 0, 0, false };
    for (const TaskTrace& t : trace->tasks)
        p.ok = p.ok && t.status == State::Done;
    p.overhead_us_per_task = std::max(0.0, double(trace->info.makespan - wait) / 1e3 / n);
    p.memory_kb_per_task = double(std::max(0L, peak.load() - before)) / n;
    return p;
}

} // namespace

std::string decide(const Workload& workload, std::string* reasons)
{
    // What the tasks would spend alone, computing or waiting.
    double compute = 0, wait = 0;
    Nanos longest_wait = 0;
    const double ns_per_iteration = measured_ns_per_iteration();
    for (const TaskSpec& t : workload.tasks) {
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s)) {
                compute += double(c->iterations) * ns_per_iteration;
            } else {
                wait += double(std::get<Wait>(s).duration);
                longest_wait = std::max(longest_wait, std::get<Wait>(s).duration);
            }
        }
    }
    const bool io_bound = wait > compute;
    // "Very slow" I/O: so many waits in flight at once (or so long) that a thread for each would
    // be mostly idle memory. The article leaves the line to judgement; this is ours, and it keeps
    // the article's own table-loading example on threads.
    const bool very_slow = workload.tasks.size() >= 100 || longest_wait >= 10 * kNanosPerSecond;
    if (reasons) {
        *reasons = fmt("its tasks would spend %.0f%% of their time waiting", 100.0 * wait / std::max(1.0, wait + compute));
        if (io_bound)
            *reasons += ", with " + std::to_string(workload.tasks.size()) + " tasks waiting up to "
                + fmt("%.1f s", to_seconds(longest_wait)) + (very_slow ? " (very slow I/O)" : " (not very slow I/O)");
    }
    if (io_bound)
        return very_slow ? "async (asyncio)" : "threads";
    return "processes (multiprocessing)";
}

Advice measure(const AdviseOptions& o, const std::function<void(const std::string&)>& say);

Advice measure_advice(const AdviseOptions& o, const std::function<void(const std::string&)>& progress)
{
    const auto say = [&](const std::string& s) {
        if (o.cancel && o.cancel->load())
            throw Stopped {};
        if (progress)
            progress(s);
    };
    try {
        return measure(o, say);
    } catch (const Stopped&) {
        Advice stopped;
        stopped.workload = o.workload;
        stopped.decision = "Stopped before the measurements finished.";
        return stopped;
    }
}

Advice measure(const AdviseOptions& o, const std::function<void(const std::string&)>& say)
{
    Advice a;
    const int cores = online_cores();

    // 1. Optimise waiting periods: how much the three tables' waits overlap.
    AdviceRow waiting { "Optimize waiting periods", {} };
    const char* article_wait[] = { "Yes (preemptive)", "Yes (preemptive)", "Yes (cooperative)" };
    for (std::size_t m = 0; m < 3; ++m) {
        say("waiting: table-loading under " + std::string(model_name(kModels[m])));
        const auto t = run(base("table-loading", kModels[m], true, o.scale), o.cancel);
        const Scorecard s = compute_scorecard(*t);
        const bool yes = s.speedup > 1.2;
        waiting.cells[m] = AdviceCell { fmt("%.2fx overlap", s.speedup), yes ? "Yes" : "No", article_wait[m], yes };
    }
    a.rows.push_back(waiting);

    // 2. Use all CPU cores: square-numbers' speedup over one core.
    AdviceRow cpu { "Use all CPU cores", {} };
    const char* article_cpu[] = { "Yes", "No", "No" };
    Nanos gil_makespan = 0;
    for (std::size_t m = 0; m < 3; ++m) {
        say("cores: square-numbers under " + std::string(model_name(kModels[m])));
        RunConfig c = base("square-numbers", kModels[m], true, 1.0);
        c.workload_options.iterations = o.iterations;
        const auto t = run(c, o.cancel);
        const Scorecard s = compute_scorecard(*t);
        if (kModels[m] == ModelKind::Threads)
            gil_makespan = s.makespan;
        const bool yes = cores > 1 && s.speedup > 0.75 * cores;
        cpu.cells[m] = AdviceCell { fmt("%.2fx on %.0f cores", s.speedup, cores), yes ? "Yes" : "No", article_cpu[m],
            (article_cpu[m][0] == 'Y') == yes };
    }
    a.rows.push_back(cpu);

    // 3. Scalability: N waiting tasks at once, per-task overhead and memory.
    say("scalability sweep");
    AdviceRow scale { "Scalability", {} };
    const char* article_scale[] = { "Low (ones/tens)", "Medium (hundreds)", "High (thousands+)" };
    const std::vector<int>* sizes[] = { &o.process_sizes, &o.thread_sizes, &o.async_sizes };
    for (std::size_t m = 0; m < 3; ++m) {
        int largest_ok = 0;
        double overhead = 0, memory = 0;
        for (int n : *sizes[m]) {
            say("sweep: " + std::to_string(n) + " tasks under " + std::string(model_name(kModels[m])));
            const SweepPoint p = sweep_point(kModels[m], n, o.sweep_wait, o.cancel);
            a.sweep.push_back(p);
            if (p.ok) {
                largest_ok = n;
                overhead = p.overhead_us_per_task;
                memory = p.memory_kb_per_task;
            }
        }
        // The article's words, by how many tasks a second's worth of overhead would start.
        const double per_second = overhead > 0 ? 1e6 / overhead : 1e9;
        const std::string verdict = per_second >= 100'000 ? "High" : per_second >= 2'000 ? "Medium" : "Low";
        const std::string mem = memory >= 1024 ? fmt("%.1f MB", memory / 1024) : fmt("%.0f KB", memory);
        scale.cells[m] = AdviceCell { std::to_string(largest_ok) + " at once, " + fmt("%.1f µs", overhead) + " + " + mem + "/task",
            verdict, article_scale[m], std::string(article_scale[m]).rfind(verdict, 0) == 0 };
    }
    a.rows.push_back(scale);

    // 4. Blocking standard library calls: a property of the model, not measured here.
    AdviceRow blocking { "Use blocking std library functions", {} };
    const char* article_blocking[] = { "Yes", "Yes", "No" };
    for (std::size_t m = 0; m < 3; ++m)
        blocking.cells[m] = AdviceCell { m == 2 ? "a blocking call stalls the loop (see mixed: ready)" : "blocks one worker only",
            article_blocking[m], article_blocking[m], true };
    a.rows.push_back(blocking);

    // 5. GIL interference: square-numbers under threads with and without the GIL.
    say("GIL: square-numbers under threads without the GIL");
    RunConfig nogil = base("square-numbers", ModelKind::Threads, false, 1.0);
    nogil.workload_options.iterations = o.iterations;
    const Nanos nogil_makespan = run(nogil, o.cancel)->info.makespan;
    const double slowdown = double(gil_makespan) / double(std::max<Nanos>(1, nogil_makespan));
    AdviceRow gil { "GIL interference", {} };
    gil.cells[0] = AdviceCell { "separate interpreters", "No", "No", true };
    gil.cells[1] = AdviceCell { fmt("%.2fx slower with the GIL", slowdown), slowdown > 1.2 ? "Some" : "No", "Some", slowdown > 1.2 };
    gil.cells[2] = AdviceCell { "one thread", "No", "No", true };
    a.rows.push_back(gil);

    a.workload = o.workload;
    WorkloadOptions wo;
    std::string reasons;
    const std::string choice = decide(make_workload(o.workload, wo), &reasons);
    a.decision = "For " + o.workload + ": " + reasons + ", so the article's rule says: use " + choice + ".";
    return a;
}

std::string format_advice(const Advice& a)
{
    std::ostringstream out;
    char line[512];
    out << "What to use? Measured on this machine (" << online_cores() << " cores); the article's verdict in brackets.\n\n";
    std::snprintf(line, sizeof line, "%-36s %-46s %-46s %-46s\n", "", "processes", "threads", "async");
    out << line;
    for (const AdviceRow& row : a.rows) {
        std::string cells[3];
        for (int m = 0; m < 3; ++m) {
            const AdviceCell& c = row.cells[std::size_t(m)];
            cells[m] = c.verdict + ": " + c.measured + " [" + c.article + "]" + (c.agrees ? "" : " DISAGREES");
        }
        std::snprintf(line, sizeof line, "%-36s %-46s %-46s %-46s\n", row.feature.c_str(), cells[0].c_str(), cells[1].c_str(),
            cells[2].c_str());
        out << line;
    }
    out << "\nScalability sweep (each task waits, all at once):\n";
    std::snprintf(line, sizeof line, "  %-10s %8s %16s %16s\n", "model", "tasks", "us per task", "KB per task");
    out << line;
    for (const SweepPoint& p : a.sweep) {
        std::snprintf(line, sizeof line, "  %-10s %8d %16.1f %16.1f%s\n", std::string(model_name(p.model)).c_str(), p.tasks,
            p.overhead_us_per_task, p.memory_kb_per_task, p.ok ? "" : "  (did not finish)");
        out << line;
    }
    bool disagreements = false;
    for (const AdviceRow& row : a.rows) {
        for (const AdviceCell& c : row.cells) {
            if (!c.agrees) {
                if (!disagreements)
                    out << "\nWhere this machine disagrees with the article:\n";
                disagreements = true;
                out << "  " << row.feature << ": measured " << c.verdict << " (" << c.measured << "), the article says " << c.article
                    << "\n";
            }
        }
    }
    out << "\n" << a.decision << "\n";
    return out.str();
}

} // namespace timeslice
