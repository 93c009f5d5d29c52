#include "core/run/compare.h"

#include "core/analysis/schedule.h"
#include "core/base/atomic_file.h"
#include "core/python/dask.h"
#include "core/python/engine.h"
#include "core/formats/trace_json.h"
#include "core/workload/builtins.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <set>

namespace timeslice {

std::vector<CompareEntry> compare_entries(const RunConfig& base, std::string& note, const std::vector<ModelKind>& only)
{
    std::vector<CompareEntry> out;
    // Real Python runs with the GIL its interpreter has: a model it cannot run is left out.
    std::optional<bool> python_gil;
    if (base.engine == Engine::CPython) {
        const PythonInfo python = find_python(base.python.executable);
        python_gil = !python.free_threaded;
        note = python.free_threaded
            ? fmt::format("threads with the GIL left out: {} {} is a free-threaded build", python.executable, python.version())
            : fmt::format("threads without the GIL left out: {} {} has a GIL (name a free-threaded interpreter, "
                          "such as python3.13t, to see threads run without one)",
                  python.executable, python.version());
    }
    auto with = [&](const ModelDescriptor& model, bool gil) {
        RunConfig c = base;
        c.model = model.kind;
        c.model_options.gil = gil;
        // A pool size chosen for one pool model may not fit another (256 processes at most).
        if (model.pool && c.model_options.workers > model.max_workers)
            c.model_options.workers = model.max_workers;
        if (model.kind != ModelKind::Dask) { // the cluster's own options
            c.model_options.scheduler.clear();
            c.model_options.worker_threads = 1;
        }
        const std::string label = std::string(model.name) + (model.gil ? (gil ? " (GIL)" : " (no GIL)") : "");
        out.push_back(CompareEntry { label, std::move(c) });
    };
    // Every model; one with a GIL with it on and off.
    std::string dask_python;
    for (const ModelDescriptor& model : kModels) {
        if (!engine_runs(base.engine, model) || (!only.empty() && std::find(only.begin(), only.end(), model.kind) == only.end()))
            continue;
        if (model.kind == ModelKind::Dask) {
            // A cluster needs Dask's distributed: without it the row is left out, and said so.
            try {
                dask_python = find_dask_python(base.python.executable).executable;
            } catch (const std::invalid_argument& e) {
                note += std::string(note.empty() ? "" : "; ") + "dask left out: " + e.what();
                continue;
            }
        }
        if (model.gil && python_gil) {
            with(model, *python_gil);
            continue;
        }
        with(model, model.gil);
        if (model.gil)
            with(model, false);
    }
    // Beside a cluster, every row runs in the interpreter the cluster's does (the one that has
    // distributed), so that only the model differs.
    if (!dask_python.empty() && base.python.executable.empty()) {
        for (CompareEntry& e : out)
            e.config.python.executable = dask_python;
    }
    return out;
}

std::vector<CompareEntry> engine_compare_entries(const RunConfig& base, const std::vector<Engine>& engines, std::string& note)
{
    std::vector<CompareEntry> out;
    const std::string model(describe(base.model).name);
    const bool gil = describe(base.model).gil;
    double slowdown = 0;
    for (const Engine engine : engines) {
        RunConfig c = base;
        c.engine = engine;
        c.model_options.gil = gil; // the emulated GIL stands for CPython's own
        std::string label = model + " (" + std::string(describe(engine).name);
        if (engine == Engine::CPython) {
            const PythonInfo python = find_python(c.python.executable);
            label += " " + python.version();
        }
        out.push_back(CompareEntry { label + ")", std::move(c) });
    }
    // Loops: the same length of time in both engines, not the same count.
    const Workload w = make_workload(base.workload, base.workload_options);
    std::uint64_t iterations = 0;
    for (const TaskSpec& t : w.tasks) {
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s))
                iterations = std::max(iterations, c->iterations);
        }
    }
    if (iterations == 0)
        return out;
    slowdown = cpython_ns_per_iteration(find_python(base.python.executable)) / measured_ns_per_iteration();
    // CPython's loop length: the one asked for, else the article's (square-numbers), else what
    // CPython does in the time C++ takes for the default (mixed, sized for C++).
    std::uint64_t python_loops = base.workload_options.iterations;
    if (python_loops == 0) {
        const WorkloadDescriptor* described = find_workload(base.workload);
        python_loops = described && described->cpu_sized_in_time ? std::max<std::uint64_t>(10, std::uint64_t(double(kMixedIterations) * base.workload_options.scale / slowdown))
                                                : iterations;
    }
    for (CompareEntry& e : out) {
        if (e.config.engine == Engine::Native) {
            e.config.workload_options.iterations
                = std::min<std::uint64_t>(Limits::kMaxIterations, std::uint64_t(std::llround(double(python_loops) * slowdown)));
            e.label += fmt::format(", loops x{:.0f}", slowdown);
        } else {
            e.config.workload_options.iterations = python_loops;
        }
    }
    if (slowdown > 0)
        note = fmt::format("the native run's loops are {:.0f} times longer: CPython took {:.0f} ns per iteration here, C++ {:.2f} ns",
            slowdown, slowdown * measured_ns_per_iteration(), measured_ns_per_iteration());
    return out;
}

std::vector<std::vector<Nanos>> requested_waits(const Workload& workload)
{
    std::vector<std::vector<Nanos>> out;
    for (const TaskSpec& t : workload.tasks) {
        std::vector<Nanos> waits;
        for (const Step& s : t.steps) {
            if (const auto* w = std::get_if<Wait>(&s); w && w->duration > 0)
                waits.push_back(w->duration);
        }
        out.push_back(std::move(waits));
    }
    return out;
}

namespace {

std::vector<std::string> start_order(const Trace& t)
{
    std::vector<const TaskTrace*> tasks;
    for (const TaskTrace& task : t.tasks)
        tasks.push_back(&task);
    std::stable_sort(tasks.begin(), tasks.end(), [](const TaskTrace* a, const TaskTrace* b) {
        const Nanos sa = a->started < 0 ? std::numeric_limits<Nanos>::max() : a->started;
        const Nanos sb = b->started < 0 ? std::numeric_limits<Nanos>::max() : b->started;
        return sa < sb;
    });
    std::vector<std::string> names;
    for (const TaskTrace* task : tasks)
        names.push_back(task->name);
    return names;
}

// Mean of (when the task ran again) - (when its wait was due), over every wait matched to the
// one the workload asked for.
double overshoot_ms(const Trace& t, const std::vector<std::vector<Nanos>>& requested, int& count)
{
    double sum = 0;
    count = 0;
    for (std::size_t i = 0; i < t.tasks.size() && i < requested.size(); ++i) {
        const TaskTrace& task = t.tasks[i];
        std::size_t k = 0;
        for (std::size_t s = 0; s < task.spans.size() && k < requested[i].size(); ++s) {
            const Span& span = task.spans[s];
            if (span.state != State::Waiting || (s > 0 && task.spans[s - 1].state == State::Waiting))
                continue;
            const Nanos due = span.start + requested[i][k++];
            Nanos resumed = task.finished;
            // The first stretch on a core that is not cut short by a GIL wait: a thread back from
            // a sleep wakes for a moment, then may wait for the GIL before its next line runs.
            for (std::size_t r = s + 1; r < task.spans.size(); ++r) {
                const bool gil_next = r + 1 < task.spans.size() && task.spans[r + 1].state == State::GilWait;
                if (task.spans[r].state == State::Waiting)
                    break;
                if (model_state(task.spans[r].state) == State::Running && !gil_next) {
                    resumed = task.spans[r].start;
                    break;
                }
            }
            if (resumed < 0)
                continue;
            sum += double(resumed - due) / 1e6;
            ++count;
        }
    }
    return count ? sum / count : 0;
}

} // namespace

Fidelity compare_fidelity(const Trace& native, const Trace& cpython, const std::vector<std::vector<Nanos>>& requested)
{
    Fidelity f;
    f.makespan_ratio = native.info.makespan > 0 ? double(cpython.info.makespan) / double(native.info.makespan) : 0;
    f.order_native = start_order(native);
    f.order_cpython = start_order(cpython);
    f.same_order = f.order_native == f.order_cpython;
    const auto per_s = [](const Trace& t) { return t.info.makespan > 0 ? double(t.info.gil_hand_overs) / to_seconds(t.info.makespan) : 0; };
    f.hand_overs_per_s_native = per_s(native);
    f.hand_overs_per_s_cpython = per_s(cpython);
    f.overshoot_ms_native = overshoot_ms(native, requested, f.waits_native);
    f.overshoot_ms_cpython = overshoot_ms(cpython, requested, f.waits_cpython);
    return f;
}

std::string fidelity_line(const Fidelity& f)
{
    const auto join = [](const std::vector<std::string>& names) {
        std::string out;
        for (std::size_t i = 0; i < names.size() && i < 8; ++i)
            out += (i ? " " : "") + names[i];
        return out + (names.size() > 8 ? " ..." : "");
    };
    return fmt::format("fidelity: makespan cpython/native {:.2f}x; order of starts {}; GIL hand-overs {:.0f}/s native, {:.0f}/s "
                       "cpython; waits resumed late by {:.2f} ms native, {:.2f} ms cpython (mean of {} and {})",
        f.makespan_ratio, f.same_order ? "the same (" + join(f.order_native) + ")" : "differs (native " + join(f.order_native) + "; cpython " + join(f.order_cpython) + ")",
        f.hand_overs_per_s_native, f.hand_overs_per_s_cpython, f.overshoot_ms_native, f.overshoot_ms_cpython, f.waits_native,
        f.waits_cpython);
}

std::string compare_trace_name(const CompareEntry& entry)
{
    const ModelDescriptor& m = describe(entry.config.model);
    std::string model(m.name);
    if (m.gil)
        model += entry.config.model_options.gil ? "-gil" : "-nogil";
    if (entry.config.engine != Engine::Native)
        model += "-" + std::string(describe(entry.config.engine).name);
    return entry.config.workload + "-" + model + ".json";
}

namespace {

constexpr const char* kComparisonTag = "timeslice-comparison";
constexpr int kComparisonVersion = 1;
constexpr std::size_t kMaxComparisonBytes = 1 << 20;

// "threads (GIL)" -> "threads-gil"; never empty, never a path.
std::string file_stem(const std::string& label)
{
    std::string out;
    for (const char c : label) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += char(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "run" : out.substr(0, 80);
}

// A name inside the set's directory: no directory part, nothing hidden.
bool plain_file_name(const std::string& name)
{
    return !name.empty() && name.size() <= 255 && name.find('/') == std::string::npos && name.find('\\') == std::string::npos
        && name.front() != '.' && name.find('\0') == std::string::npos;
}

} // namespace

bool looks_like_comparison(std::string_view text)
{
    // The tag is the manifest's first member, as save_comparison writes it.
    const std::size_t at = text.find(kComparisonTag);
    return at != std::string_view::npos && at < 64;
}

std::string save_comparison(const ComparisonSet& set, const std::string& dir, bool write_traces)
{
    if (set.labels.empty())
        return "there is no run to save yet";
    if (write_traces && set.traces.size() != set.labels.size())
        return "internal error: a label for every run is needed";
    if (set.labels.size() > kMaxComparisonRuns)
        return fmt::format("a comparison holds at most {} runs", kMaxComparisonRuns);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return fmt::format("cannot create the folder {}: {}", dir, ec.message());
    nlohmann::ordered_json manifest;
    manifest["format"] = kComparisonTag;
    manifest["version"] = kComparisonVersion;
    manifest["title"] = set.title;
    manifest["note"] = set.note;
    manifest["runs"] = nlohmann::ordered_json::array();
    std::set<std::string> used;
    for (std::size_t i = 0; i < set.labels.size(); ++i) {
        if (write_traces && !set.traces[i])
            return fmt::format("run {} ({}) has no trace yet", i + 1, set.labels[i]);
        std::string name = i < set.files.size() && plain_file_name(set.files[i]) ? set.files[i] : file_stem(set.labels[i]) + ".json";
        if (used.count(name)) // two runs with one label: number the second
            name = fmt::format("{}-{}.json", name.substr(0, name.size() - 5), i + 1);
        used.insert(name);
        if (write_traces) {
            if (std::string error = save_trace(*set.traces[i], scorecard_if_any(*set.traces[i]), dir + "/" + name); !error.empty())
                return error;
        }
        manifest["runs"].push_back({ { "label", set.labels[i] }, { "trace", name } });
    }
    // The manifest last: a set whose manifest is there has all its traces.
    return write_file_atomically(dir + "/" + kComparisonFile, manifest.dump(2) + "\n");
}

bool load_comparison(const std::string& path, ComparisonSet& out, std::string& error)
{
    std::string manifest_path = path;
    if (std::filesystem::is_directory(path))
        manifest_path = path + "/" + kComparisonFile;
    std::string text;
    if (!read_file(manifest_path, text, error, kMaxComparisonBytes))
        return false;
    const auto fail = [&](const std::string& what) {
        error = fmt::format("{}: {}", manifest_path, what);
        return false;
    };
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded())
        return fail("not valid JSON");
    if (!json.is_object() || json.value("format", std::string()) != kComparisonTag)
        return fail(fmt::format("not a Timeslice comparison (no \"format\": \"{}\")", kComparisonTag));
    if (!json.contains("version") || !json["version"].is_number_integer() || json["version"].get<int>() != kComparisonVersion)
        return fail(fmt::format("version: this Timeslice reads version {}", kComparisonVersion));
    for (const char* key : { "title", "note" }) {
        if (json.contains(key) && !json[key].is_string())
            return fail(fmt::format("{}: must be a string", key));
    }
    if (!json.contains("runs") || !json["runs"].is_array() || json["runs"].empty())
        return fail("runs: must be a non-empty array");
    if (json["runs"].size() > kMaxComparisonRuns)
        return fail(fmt::format("runs: at most {} runs, found {}", kMaxComparisonRuns, json["runs"].size()));
    ComparisonSet set;
    set.title = json.value("title", std::string());
    set.note = json.value("note", std::string());
    const std::string dir = std::filesystem::path(manifest_path).parent_path().string();
    for (std::size_t i = 0; i < json["runs"].size(); ++i) {
        const nlohmann::json& run = json["runs"][i];
        const std::string where = fmt::format("runs[{}]", i);
        if (!run.is_object() || !run.contains("label") || !run["label"].is_string() || !run.contains("trace") || !run["trace"].is_string())
            return fail(where + ": must be an object with a string \"label\" and \"trace\"");
        const std::string name = run["trace"].get<std::string>();
        if (!plain_file_name(name))
            return fail(fmt::format("{}.trace: \"{}\" must be a file name in the comparison's folder", where, name));
        auto trace = std::make_shared<Trace>();
        std::string why;
        if (!load_trace((dir.empty() ? "." : dir) + "/" + name, *trace, why)) {
            error = fmt::format("{}: {}: {}", manifest_path, where, why);
            return false;
        }
        set.labels.push_back(run["label"].get<std::string>());
        set.files.push_back(name);
        set.traces.push_back(std::move(trace));
    }
    out = std::move(set);
    return true;
}

} // namespace timeslice
