#include "core/workload/workload.h"

#include "core/base/choices.h"
#include "core/workload/builtins.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <string>

namespace timeslice {

namespace {

Nanos seconds_to_nanos(double seconds) { return Nanos(std::llround(seconds * 1e9)); }

void check_scale(double scale)
{
    if (!std::isfinite(scale) || scale <= 0 || scale > Limits::kMaxScale)
        throw std::invalid_argument("scale must be a number in (0, " + std::to_string(int(Limits::kMaxScale)) + "]");
}

void check_waits(const std::vector<double>& waits)
{
    if (waits.empty())
        throw std::invalid_argument("a wait workload needs at least one wait");
    if (waits.size() > std::size_t(Limits::kMaxTasks))
        throw std::invalid_argument("at most " + std::to_string(Limits::kMaxTasks) + " tasks");
    for (const double s : waits) {
        if (!std::isfinite(s) || s < 0 || s > Limits::kMaxWaitSeconds)
            throw std::invalid_argument("each wait must be between 0 and 3600 seconds");
    }
}

// The checks every built-in workload's options pass before it is made.
const WorkloadDescriptor& checked(std::string_view name, const WorkloadOptions& options)
{
    check_scale(options.scale);
    const WorkloadDescriptor* w = find_workload(name);
    if (!w)
        throw std::invalid_argument("unknown workload '" + std::string(name) + "' (choose " + workload_choices() + ")");
    if (options.iterations > Limits::kMaxIterations)
        throw std::invalid_argument("iterations must be between 1 and 100000000000");
    if (options.tasks < 0 || options.tasks > max_task_count(name))
        throw std::invalid_argument("tasks must be between 1 and " + std::to_string(max_task_count(name)) + " for " + std::string(name));
    if (w->waits)
        check_waits(options.waits.empty() ? w->default_waits : options.waits);
    return *w;
}

// With options.tasks, that many tasks go through the waits in turn (2,000 tasks without typing
// 2,000 numbers); without, one task per wait.
Workload wait_workload(std::string name, const std::vector<double>& waits, const WorkloadOptions& options)
{
    check_waits(waits);
    const std::size_t n = options.tasks > 0 ? std::size_t(options.tasks) : waits.size();
    Workload w { std::move(name), {} };
    w.tasks.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double s = waits[i % waits.size()];
        // The article names its tasks A, B, C; longer lists go on with numbers.
        std::string task_name = n <= 26 ? std::string(1, char('A' + i)) : "T" + std::to_string(i + 1);
        w.tasks.push_back(TaskSpec { std::move(task_name), { Wait { seconds_to_nanos(s * options.scale), options.blocking } }, s });
    }
    return w;
}

} // namespace

std::string format_seconds(double seconds)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, seconds);
    return std::string(buf, r.ptr);
}

int online_cores()
{
    const long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? int(n) : 1;
}

const std::vector<std::string_view>& builtin_workload_names()
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const WorkloadDescriptor& w : kWorkloads)
            out.push_back(w.name);
        return out;
    }();
    return names;
}

int max_task_count(std::string_view workload)
{
    const WorkloadDescriptor* w = find_workload(workload);
    return w && w->waits ? Limits::kMaxTaskCountWaits : Limits::kMaxTaskCountSquare;
}

std::string_view workload_description(std::string_view name)
{
    const WorkloadDescriptor* w = find_workload(name);
    return w ? w->description : std::string_view();
}

std::vector<double> default_waits(std::string_view name)
{
    const WorkloadDescriptor* w = find_workload(name);
    return w ? w->default_waits : std::vector<double>();
}

Workload make_workload(std::string_view name, const WorkloadOptions& options)
{
    return checked(name, options).build(options);
}

std::size_t workload_task_count(std::string_view name, const WorkloadOptions& options)
{
    const WorkloadDescriptor& w = checked(name, options);
    if (options.tasks > 0)
        return std::size_t(options.tasks) + (w.io_tasks > 0 ? 1 : 0); // mixed: its CPU task on top
    if (w.waits)
        return options.waits.empty() ? w.default_waits.size() : options.waits.size();
    if (w.io_tasks > 0)
        return std::size_t(w.io_tasks) + 1;
    return std::size_t(online_cores()); // one_task_per_core
}

Workload build_table_loading(const WorkloadOptions& options)
{
    return wait_workload("table-loading", options.waits.empty() ? default_waits("table-loading") : options.waits, options);
}

Workload build_async_delay(const WorkloadOptions& options)
{
    return wait_workload("async-delay", options.waits.empty() ? default_waits("async-delay") : options.waits, options);
}

Workload build_square_numbers(const WorkloadOptions& options)
{
    const int n = options.tasks > 0 ? options.tasks : online_cores();
    const std::uint64_t iterations = options.iterations ? options.iterations : kSquareNumbersIterations;
    Workload w { "square-numbers", {} };
    for (int i = 0; i < n; ++i)
        w.tasks.push_back(TaskSpec { "P" + std::to_string(i), { Compute { iterations } }, 0 });
    return w;
}

// I/O tasks make many short waits; one CPU task computes for about as long as they wait. The CPU
// task's default scales with the waits, so the picture keeps its shape at any scale.
Workload build_mixed(const WorkloadOptions& options)
{
    const int io_tasks = options.tasks > 0 ? options.tasks : find_workload("mixed")->io_tasks;
    const std::uint64_t iterations = options.iterations
        ? options.iterations
        : std::max<std::uint64_t>(10, std::uint64_t(double(kMixedIterations) * options.scale));
    Workload w { "mixed", {} };
    TaskSpec cpu { "CPU", {}, 0 };
    // Like CPU work in a coroutine that awaits asyncio.sleep(0) between batches.
    for (int k = 0; k < 10; ++k) {
        if (k)
            cpu.steps.push_back(Wait { 0 });
        cpu.steps.push_back(Compute { iterations / 10 });
    }
    w.tasks.push_back(std::move(cpu));
    for (int i = 0; i < io_tasks; ++i) {
        TaskSpec io { "IO-" + std::to_string(i + 1), {}, 1.0 };
        for (int k = 0; k < 20; ++k)
            io.steps.push_back(Wait { seconds_to_nanos(0.05 * options.scale) });
        w.tasks.push_back(std::move(io));
    }
    return w;
}

const WorkloadDescriptor* find_workload(std::string_view name)
{
    const auto it = std::find_if(kWorkloads.begin(), kWorkloads.end(), [&](const WorkloadDescriptor& w) { return w.name == name; });
    return it == kWorkloads.end() ? nullptr : &*it;
}

std::string workload_choices()
{
    return choices(kWorkloads, [](const WorkloadDescriptor& w) { return std::string(w.name); });
}

} // namespace timeslice
