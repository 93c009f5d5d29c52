// Workloads from JSON files: the built-ins ship as files that load to exactly the built-in
// workload; bad files name the JSON path and the rule.
#include "core/workload/compute.h"
#include "core/workload/workload_file.h"
#include "test_support.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::test;

namespace {

std::string workload_path(const std::string& name)
{
    return std::string(TIMESLICE_EXAMPLES_DIR) + "/../workloads/" + name + ".json";
}

void expect_same(const Workload& a, const Workload& b)
{
    EXPECT_EQ(a.name, b.name);
    ASSERT_EQ(a.tasks.size(), b.tasks.size());
    for (std::size_t i = 0; i < a.tasks.size(); ++i) {
        const TaskSpec& x = a.tasks[i];
        const TaskSpec& y = b.tasks[i];
        EXPECT_EQ(x.name, y.name);
        EXPECT_EQ(x.nominal_seconds, y.nominal_seconds) << x.name;
        ASSERT_EQ(x.steps.size(), y.steps.size()) << x.name;
        for (std::size_t k = 0; k < x.steps.size(); ++k) {
            ASSERT_EQ(x.steps[k].index(), y.steps[k].index()) << x.name << " step " << k;
            if (const auto* c = std::get_if<Compute>(&x.steps[k])) {
                EXPECT_EQ(c->iterations, std::get<Compute>(y.steps[k]).iterations) << x.name << " step " << k;
            } else {
                EXPECT_EQ(std::get<Wait>(x.steps[k]).duration, std::get<Wait>(y.steps[k]).duration) << x.name << " step " << k;
                EXPECT_EQ(std::get<Wait>(x.steps[k]).blocking, std::get<Wait>(y.steps[k]).blocking) << x.name << " step " << k;
            }
        }
    }
}

std::string error_of(const std::string& text)
{
    try {
        workload_from_json(text, {});
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

TEST(WorkloadFile, TheBuiltInsShipAsFilesThatLoadToExactlyTheBuiltInWorkload)
{
    for (const char* name : { "table-loading", "square-numbers", "async-delay", "mixed" }) {
        for (const double scale : { 1.0, 0.05, 0.2 }) {
            WorkloadOptions o;
            o.scale = scale;
            SCOPED_TRACE(std::string(name) + " at scale " + std::to_string(scale));
            expect_same(load_workload_file(workload_path(name), o), make_workload(name, o));
        }
    }
}

TEST(WorkloadFile, AWorkloadWrittenOutLoadsBackTheSame)
{
    WorkloadOptions o;
    o.blocking = true;
    Workload w = make_workload("table-loading", o);
    w.tasks.push_back(make_workload("mixed", {}).tasks[0]);
    expect_same(workload_from_json(workload_to_json(w), {}), w);
}

TEST(WorkloadFile, StepsRepeatYieldAndBlock)
{
    const Workload w = workload_from_json(R"({"name": "mine", "tasks": [
        {"name": "T", "steps": [{"repeat": 3, "steps": [{"compute": 10}, {"yield": true}]}, {"block": 0.5}]}]})",
        {});
    ASSERT_EQ(w.tasks.size(), 1u);
    ASSERT_EQ(w.tasks[0].steps.size(), 7u);
    EXPECT_EQ(std::get<Compute>(w.tasks[0].steps[4]).iterations, 10u);
    EXPECT_EQ(std::get<Wait>(w.tasks[0].steps[5]).duration, 0);
    EXPECT_TRUE(std::get<Wait>(w.tasks[0].steps[6]).blocking);
    EXPECT_EQ(std::get<Wait>(w.tasks[0].steps[6]).duration, 500'000'000);
    EXPECT_EQ(w.tasks[0].nominal_seconds, 0.5);
}

TEST(WorkloadFile, BadFilesNameTheJsonPathAndTheRule)
{
    const std::pair<const char*, const char*> cases[] = {
        { "", "not valid JSON" },
        { "{\"tasks\": [", "not valid JSON" },
        { "[1, 2]", "(top level): must be an object" },
        { "{}", "tasks: is missing" },
        { "{\"tasks\": []}", "tasks: must be a non-empty list" },
        { "{\"tasks\": [{\"steps\": []}]}", "tasks[0].name: must be a non-empty string" },
        { "{\"tasks\": [{\"name\": \"A\"}]}", "tasks[0].steps: is missing" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"wait\": \"1\"}]}]}", "tasks[0].steps[0].wait: must be a number of seconds" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"wait\": 1}]}, {\"name\": \"B\", \"steps\": []}, {\"name\": \"C\", \"steps\": [{\"wait\": -1}]}]}",
            "tasks[2].steps[0].wait: must be between 0 and 3600 s, not -1" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"block\": 1e9}]}]}", "tasks[0].steps[0].block: must be between 0 and 3600 s" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"compute\": 1e30}]}]}", "tasks[0].steps[0].compute: must be a whole number" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"compute\": 1000000000000000}]}]}", "tasks[0].steps[0].compute: must be between 1 and 100000000000" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"compute\": -5}]}]}", "tasks[0].steps[0].compute: must be a whole number" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"sleep\": 1}]}]}", "tasks[0].steps[0].sleep: is not a step" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"wait\": 1, \"compute\": 2}]}]}", "tasks[0].steps[0].wait: is not a field of a compute step" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"yield\": 1}]}]}", "tasks[0].steps[0].yield: must be true" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": [{\"repeat\": 1000000, \"steps\": [{\"repeat\": 1000000, \"steps\": [{\"wait\": 0}]}]}]}]}",
            "tasks[0].steps[0].repeat: makes more than 1000000 steps" },
        { "{\"tasks\": [{\"name\": \"A\", \"count\": 100000, \"steps\": []}]}", "tasks[0].count: must be between 1 and 1024" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": {}}]}", "tasks[0].steps: must be a list of steps" },
        { "{\"tasks\": [{\"name\": \"A\", \"steps\": []}], \"colour\": 1}", "colour: is not a field of a workload" },
    };
    for (const auto& [text, expected] : cases)
        EXPECT_NE(error_of(text).find(expected), std::string::npos) << text << "\n  said: " << error_of(text);
}

TEST(WorkloadFile, DeepNestingIsRefusedNotACrash)
{
    std::string steps = "[{\"wait\": 0}]";
    for (int i = 0; i < 40; ++i)
        steps = "[{\"repeat\": 1, \"steps\": " + steps + "}]";
    EXPECT_NE(error_of("{\"tasks\": [{\"name\": \"A\", \"steps\": " + steps + "}]}").find("nest at most 16 deep"), std::string::npos);
    // And JSON nested far deeper than any workload.
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    EXPECT_NE(error_of(deep).find("must be an object"), std::string::npos);
}

TEST(WorkloadFile, TheCommandLineRunsAFileAsItRunsTheBuiltIn)
{
    auto c = config("table-loading", ModelKind::Threads);
    const auto builtin = run_to_end(c);
    c.workload_file = workload_path("table-loading");
    const auto from_file = run_to_end(c);
    EXPECT_EQ(from_file->info.workload, "table-loading");
    EXPECT_EQ(from_file->ideal, builtin->ideal); // the same schedule, predicted
    ASSERT_EQ(from_file->tasks.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(from_file->tasks[i].name, builtin->tasks[i].name);
        EXPECT_EQ(from_file->tasks[i].result, builtin->tasks[i].result);
        EXPECT_EQ(from_file->tasks[i].status, State::Done);
    }
}

// Derived workloads (timeslice derive) give compute as CPU seconds and the recorded pool size.
TEST(WorkloadFile, CpuSecondsBecomeTheIterationsThatTakeThatLongHereAndAreWrittenBackAsSeconds)
{
    const std::string text = R"({"name": "mine", "workers": 3, "tasks": [
        {"name": "A", "steps": [{"cpu_s": 0.25}, {"wait": 1}, {"cpu_s": 0.5, "scaled": true}]}]})";
    WorkloadOptions o;
    o.scale = 0.5;
    const Workload w = workload_from_json(text, o);
    EXPECT_EQ(w.workers, 3);
    ASSERT_EQ(w.tasks.size(), 1u);
    ASSERT_EQ(w.tasks[0].steps.size(), 3u);
    const Compute& first = std::get<Compute>(w.tasks[0].steps[0]);
    EXPECT_EQ(first.cpu_seconds, 0.25);
    EXPECT_EQ(first.iterations, iterations_for_cpu_seconds(0.25));
    EXPECT_NEAR(double(first.iterations) * ns_per_iteration(), 0.25e9, 0.25e9 * 1e-6);
    const Compute& scaled = std::get<Compute>(w.tasks[0].steps[2]);
    EXPECT_EQ(scaled.cpu_seconds, 0.25) << "scaled like a wait";
    EXPECT_EQ(std::get<Wait>(w.tasks[0].steps[1]).duration, 500 * kNanosPerMilli);

    const Workload again = workload_from_json(workload_to_json(workload_from_json(text, {})), {});
    EXPECT_EQ(again.workers, 3);
    EXPECT_EQ(std::get<Compute>(again.tasks[0].steps[0]).cpu_seconds, 0.25);
    EXPECT_EQ(std::get<Compute>(again.tasks[0].steps[2]).cpu_seconds, 0.5);
    EXPECT_NE(workload_to_json(again).find("\"cpu_s\": 0.25"), std::string::npos);
}

TEST(WorkloadFile, BadCpuSecondsAndWorkersNameThePathAndTheRule)
{
    const auto with_step = [](const std::string& step) {
        return error_of(R"({"tasks": [{"name": "A", "steps": [)" + step + "]}]}");
    };
    EXPECT_EQ(with_step(R"({"cpu_s": 0})"), "tasks[0].steps[0].cpu_s: must be a number of CPU seconds above 0 and at most 3600, not 0");
    EXPECT_EQ(with_step(R"({"cpu_s": -1})"), "tasks[0].steps[0].cpu_s: must be a number of CPU seconds above 0 and at most 3600, not -1");
    EXPECT_EQ(with_step(R"({"cpu_s": "x"})"), "tasks[0].steps[0].cpu_s: must be a number of CPU seconds above 0 and at most 3600, not \"x\"");
    EXPECT_EQ(with_step(R"({"cpu_s": 1e9})"), "tasks[0].steps[0].cpu_s: must be a number of CPU seconds above 0 and at most 3600, not 1000000000.0");
    EXPECT_EQ(with_step(R"({"cpu_s": 1, "wait": 2})"), "tasks[0].steps[0].wait: is not a field of a cpu_s step");
    EXPECT_EQ(error_of(R"({"workers": 0, "tasks": [{"name": "A", "steps": [{"wait": 1}]}]})"),
        "workers: must be between 1 and 10000, not 0");
    EXPECT_EQ(error_of(R"({"workers": "two", "tasks": [{"name": "A", "steps": [{"wait": 1}]}]})"),
        "workers: must be a whole number of workers, not \"two\"");
}

TEST(WorkloadFile, ARecordedPoolSizeIsWhatAPoolModelUsesWhenNoneIsAskedFor)
{
    Workload w = workload_from_json(R"({"workers": 2, "tasks": [{"name": "A", "count": 3, "steps": [{"wait": 0.01}]}]})", {});
    RunConfig c;
    c.custom = w;
    c.model = ModelKind::Threads;
    c.kernel.mode = KernelMode::Off;
    EXPECT_EQ(run_to_end(c)->info.workers, 2);
    c.model_options.workers = 3;
    EXPECT_EQ(run_to_end(c)->info.workers, 3) << "an asked-for size wins";
}
