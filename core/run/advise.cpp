#include "core/run/advise.h"

#include "core/analysis/schedule.h"
#include "core/base/machine_info.h"
#include "core/run/runner.h"

#include <unistd.h>

#include <atomic>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <thread>

namespace timeslice {

namespace {

// The article's table has a column per model, in this order.
constexpr std::array<ModelKind, 3> kArticleColumns { ModelKind::Processes, ModelKind::Threads, ModelKind::Async };

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

using Say = std::function<void(const std::string&)>;

// One measurement's run, said first (saying is where a Stop is noticed).
std::shared_ptr<const Trace> run_step(const char* what, const RunConfig& c, const AdviseOptions& o, const Say& say)
{
    say(std::string(what) + ": " + c.workload + " under " + std::string(model_name(c.model))
        + (c.model == ModelKind::Threads ? (c.model_options.gil ? " with the GIL" : " without the GIL") : ""));
    return run(c, o.cancel);
}

// 1. Optimise waiting periods: how many of the tables' waits are in flight at once.
AdviceRow waiting_row(const AdviseOptions& o, const Say& say)
{
    AdviceRow waiting { "Optimize waiting periods", {} };
    const char* article_wait[] = { "Yes (preemptive)", "Yes (preemptive)", "Yes (cooperative)" };
    for (std::size_t m = 0; m < 3; ++m) {
        const auto t = run_step("waiting", base("table-loading", kArticleColumns[m], true, o.scale), o, say);
        const int at_once = peak_at_once(*t, State::Waiting);
        const bool yes = at_once >= 2;
        waiting.cells[m] = AdviceCell { fmt::format("{} of {} waits at once", at_once, t->tasks.size()), yes ? "Yes" : "No",
            article_wait[m], yes };
    }
    return waiting;
}

// 2. Use all CPU cores: how many square-numbers tasks compute side by side (with the GIL
// for threads, as Python has it), against the cores. Those counts are kept for the GIL row.
AdviceRow cores_row(const AdviseOptions& o, const Say& say, int cores, std::array<int, 3>& computing_with_gil)
{
    AdviceRow cpu { "Use all CPU cores", {} };
    const char* article_cpu[] = { "Yes", "No", "No" };
    for (std::size_t m = 0; m < 3; ++m) {
        RunConfig c = base("square-numbers", kArticleColumns[m], true, 1.0);
        c.workload_options.iterations = o.iterations;
        const auto t = run_step("cores", c, o, say);
        computing_with_gil[m] = peak_at_once(*t, State::Running);
        const int wanted = std::min<int>(cores, int(t->tasks.size()));
        const bool yes = cores > 1 && computing_with_gil[m] >= wanted;
        cpu.cells[m] = AdviceCell { fmt::format("{} computing at once on {} cores ({:.2f}x speedup)", computing_with_gil[m], cores, compute_scorecard(*t).speedup),
            yes ? "Yes" : "No", article_cpu[m], (article_cpu[m][0] == 'Y') == yes };
    }
    return cpu;
}

// One model's column of the scalability row: its sweep, each point added to `sweep`.
AdviceCell scalability_cell(const AdviseOptions& o, const Say& say, ModelKind model, const std::vector<int>& sizes,
    const char* article, std::vector<SweepPoint>& sweep)
{
    int largest_ok = 0, largest_cheap = 0;
    double overhead = 0, memory = 0;
    for (int n : sizes) {
        say("sweep: " + std::to_string(n) + " tasks under " + std::string(model_name(model)));
        const SweepPoint p = sweep_point(model, n, o.sweep_wait, o.cancel);
        sweep.push_back(p);
        if (p.ok) {
            largest_ok = n;
            overhead = p.overhead_us_per_task;
            memory = p.memory_kb_per_task;
            if (p.overhead_us_per_task <= kScaleOverheadUs && p.memory_kb_per_task <= kScaleMemoryKb)
                largest_cheap = n;
        }
    }
    const std::string verdict = scalability_verdict(largest_cheap);
    const std::string mem = memory >= 1024 ? fmt::format("{:.1f} MB", memory / 1024) : fmt::format("{:.0f} KB", memory);
    return AdviceCell { fmt::format("{} at once, {:.1f} \u00b5s + {}/task", largest_ok, overhead, mem), verdict, article,
        std::string(article).rfind(verdict, 0) == 0 };
}

// 3. Scalability: N waiting tasks at once, per-task overhead and memory. The rule (README):
// the largest N that ran with at most kScaleOverheadUs of start-up and kScaleMemoryKb of
// resident memory per task; thousands or more is High, hundreds Medium, fewer Low.
AdviceRow scalability_row(const AdviseOptions& o, const Say& say, std::vector<SweepPoint>& sweep)
{
    say("scalability sweep");
    AdviceRow scale { "Scalability", {} };
    const char* article_scale[] = { "Low (ones/tens)", "Medium (hundreds)", "High (thousands+)" };
    const std::vector<int>* sizes[] = { &o.process_sizes, &o.thread_sizes, &o.async_sizes };
    for (std::size_t m = 0; m < 3; ++m)
        scale.cells[m] = scalability_cell(o, say, kArticleColumns[m], *sizes[m], article_scale[m], sweep);
    return scale;
}

// 4. Blocking standard library calls: the tables' waits as time.sleep() instead of an awaited
// sleep. Fine where each task has its own worker; on one loop they run one after another.
AdviceRow blocking_row(const AdviseOptions& o, const Say& say)
{
    AdviceRow blocking { "Use blocking std library functions", {} };
    const char* article_blocking[] = { "Yes", "Yes", "No" };
    for (std::size_t m = 0; m < 3; ++m) {
        RunConfig c = base("table-loading", kArticleColumns[m], true, o.scale);
        c.workload_options.blocking = true;
        const auto t = run_step("blocking waits", c, o, say);
        const int at_once = peak_at_once(*t, State::Waiting);
        const bool yes = at_once >= 2;
        blocking.cells[m] = AdviceCell { fmt::format("{} blocking wait{} at once", at_once, at_once == 1 ? "" : "s")
                + (yes ? std::string() : fmt::format(", makespan {:.2f}x the sum of the waits", double(t->info.makespan) / double(std::max<Nanos>(1, t->ideal.serial)))),
            yes ? "Yes" : "No", article_blocking[m], article_blocking[m] == std::string(yes ? "Yes" : "No") };
    }
    return blocking;
}

// 5. GIL interference: the same CPU work with the GIL setting on and off, under each model.
// Only threads share an interpreter: there the GIL cuts how many compute at once. The runs
// with the GIL are the cores row's.
AdviceRow gil_row(const AdviseOptions& o, const Say& say, const std::array<int, 3>& computing_with_gil)
{
    AdviceRow gil { "GIL interference", {} };
    const char* article_gil[] = { "No", "Some", "No" };
    for (std::size_t m = 0; m < 3; ++m) {
        RunConfig c = base("square-numbers", kArticleColumns[m], false, 1.0);
        c.workload_options.iterations = o.iterations;
        const int without = peak_at_once(*run_step("GIL", c, o, say), State::Running);
        const int with = computing_with_gil[m];
        const bool some = with < without;
        gil.cells[m] = AdviceCell { fmt::format("{} computing at once with the GIL, {} without", with, without), some ? "Some" : "No",
            article_gil[m], article_gil[m] == std::string(some ? "Some" : "No") };
    }
    return gil;
}

// The article's rule applied to the user's workload, with its reasons.
std::string decision_for(const Workload& workload)
{
    std::string reasons;
    const std::string choice = decide(workload, &reasons);
    return "For " + workload.name + ": " + reasons + ", so the article's rule says: use " + choice + ".";
}

std::string decision(const std::string& workload)
{
    try {
        return decision_for(make_workload(workload, WorkloadOptions {}));
    } catch (const std::invalid_argument& e) {
        return "No decision for " + workload + ": " + e.what();
    }
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
        *reasons = fmt::format("its tasks would spend {:.0f}% of their time waiting", 100.0 * wait / std::max(1.0, wait + compute));
        if (io_bound)
            *reasons += ", with " + std::to_string(workload.tasks.size()) + " tasks waiting up to "
                + fmt::format("{:.1f} s", to_seconds(longest_wait)) + (very_slow ? " (very slow I/O)" : " (not very slow I/O)");
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
    // Every verdict below is a count read from the spans (how many waits or computations were
    // in flight at once), which the model's rules decide and no load can bend; durations are
    // shown beside them for information only, except in the scalability rule (see README).
    Advice a;
    const int cores = online_cores();
    a.rows.push_back(waiting_row(o, say));
    std::array<int, 3> computing_with_gil {};
    a.rows.push_back(cores_row(o, say, cores, computing_with_gil));
    a.rows.push_back(scalability_row(o, say, a.sweep));
    a.rows.push_back(blocking_row(o, say));
    a.rows.push_back(gil_row(o, say, computing_with_gil));
    a.workload = o.decide_for ? o.decide_for->name : o.workload;
    a.decision = o.decide_for ? decision_for(*o.decide_for) : decision(o.workload);
    return a;
}

std::string scalability_verdict(int largest_cheap)
{
    return largest_cheap >= 10'000 ? "High" : largest_cheap >= 100 ? "Medium" : "Low";
}

std::string format_advice(const Advice& a)
{
    std::ostringstream out;
    out << "What to use? Measured on this machine (" << online_cores() << " cores); the article's verdict in brackets.\n\n";
    out << fmt::format("{:<36} {:<60} {:<60} {:<60}\n", "", "processes", "threads", "async");
    for (const AdviceRow& row : a.rows) {
        std::string cells[3];
        for (int m = 0; m < 3; ++m) {
            const AdviceCell& c = row.cells[std::size_t(m)];
            cells[m] = c.verdict + ": " + c.measured + " [" + c.article + "]" + (c.agrees ? "" : " DISAGREES");
        }
        out << fmt::format("{:<36} {:<60} {:<60} {:<60}\n", row.feature, cells[0], cells[1], cells[2]);
    }
    out << "\nScalability sweep (each task waits, all at once):\n";
    out << fmt::format("  {:<10} {:>8} {:>16} {:>16}\n", "model", "tasks", "\u00b5s per task", "KB per task");
    for (const SweepPoint& p : a.sweep)
        out << fmt::format("  {:<10} {:>8} {:>16.1f} {:>16.1f}{}\n", model_name(p.model), p.tasks, p.overhead_us_per_task,
            p.memory_kb_per_task, p.ok ? "" : "  (did not finish)");
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
