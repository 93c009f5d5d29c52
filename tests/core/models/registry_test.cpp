// Every model and built-in workload is described once, and what the rest of Timeslice says of
// them comes from those descriptors.
#include "core/python/dask.h"
#include "core/python/engine.h"
#include "core/run/compare.h"
#include "core/models/model.h"
#include "core/models/registry.h"
#include "core/workload/builtins.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

using namespace timeslice;

TEST(Registry, EveryModelIsFoundByItsNameAndMakesAModelOfItsKind)
{
    std::set<std::string_view> names;
    for (const ModelDescriptor& m : kModels) {
        EXPECT_TRUE(names.insert(m.name).second) << m.name;
        ASSERT_EQ(find_model(m.name), &m);
        EXPECT_EQ(&describe(m.kind), &m);
        EXPECT_EQ(model_name(m.kind), m.name);
        if (m.native) {
            const auto model = make_model(m.kind, {});
            ASSERT_NE(model, nullptr) << m.name;
            EXPECT_EQ(model->kind(), m.kind);
        } else {
            // Real Python only: the native engine says which engine runs it.
            EXPECT_THROW(make_model(m.kind, {}), std::invalid_argument) << m.name;
            EXPECT_FALSE(engine_runs(Engine::Native, m));
        }
        EXPECT_TRUE(engine_runs(Engine::CPython, m));
        EXPECT_FALSE(m.python.empty());
        EXPECT_EQ(m.pool, m.max_workers > 0) << m.name;
        EXPECT_NE(model_choices().find(std::string(m.name)), std::string::npos);
    }
    EXPECT_EQ(find_model("fibers"), nullptr);
    EXPECT_EQ(model_choices(), "processes, threads, async or dask");
}

TEST(Registry, PoolSizesFollowThePythonExecutors)
{
    EXPECT_EQ(pool_size(ModelKind::Processes, 0), online_cores()); // ProcessPoolExecutor: os.cpu_count()
    EXPECT_EQ(pool_size(ModelKind::Threads, 0), std::min(32, online_cores() + 4)); // ThreadPoolExecutor since 3.8
    EXPECT_EQ(pool_size(ModelKind::Async, 0), 1);
    EXPECT_EQ(pool_size(ModelKind::Threads, 7), 7);
    EXPECT_EQ(pool_size(ModelKind::Async, 7), 1); // one loop, whatever is asked
}

TEST(Registry, EveryBuiltInWorkloadBuildsItselfWithItsDefaults)
{
    for (const WorkloadDescriptor& w : kWorkloads) {
        EXPECT_EQ(find_workload(w.name), &w);
        const Workload built = make_workload(w.name, {});
        EXPECT_EQ(built.name, w.name);
        EXPECT_FALSE(built.tasks.empty()) << w.name;
        EXPECT_EQ(workload_description(w.name), w.description);
        if (w.waits) {
            ASSERT_EQ(built.tasks.size(), w.default_waits.size()) << w.name;
        }
    }
    EXPECT_EQ(workload_choices(), "table-loading, square-numbers, async-delay or mixed");
}

TEST(Registry, CompareRunsEveryModelAndAGilModelWithTheGilOnAndOff)
{
    std::string note;
    const auto entries = compare_entries(test::config("table-loading", ModelKind::Threads), note);
    std::vector<std::string> labels;
    for (const CompareEntry& e : entries)
        labels.push_back(e.label);
    EXPECT_EQ(labels, (std::vector<std::string> { "processes", "threads (GIL)", "threads (no GIL)", "async" }));
    EXPECT_EQ(compare_trace_name(entries[1]), "table-loading-threads-gil.json");
    EXPECT_EQ(note, "");
}

// Issue 20, item 4: real Python runs threads as its interpreter does; a row it cannot run is
// left out, and the note says why.
TEST(Registry, CompareUnderCPythonLeavesOutTheThreadsItsInterpreterCannotRun)
{
    PythonInfo python;
    try {
        python = find_python("");
    } catch (const std::exception& e) {
        GTEST_SKIP() << "no Python to run: " << e.what();
    }
    RunConfig base = test::config("table-loading", ModelKind::Threads);
    base.engine = Engine::CPython;
    std::string note;
    const auto entries = compare_entries(base, note);
    std::vector<std::string> labels;
    for (const CompareEntry& e : entries)
        labels.push_back(e.label);
    const char* threads = python.free_threaded ? "threads (no GIL)" : "threads (GIL)";
    std::vector<std::string> expected { "processes", threads, "async" };
    bool dask = true;
    try {
        find_dask_python("");
    } catch (const std::invalid_argument&) {
        dask = false;
    }
    if (dask)
        expected.push_back("dask");
    else
        EXPECT_NE(note.find("dask left out: the dask model needs Dask's `distributed` package"), std::string::npos) << note;
    EXPECT_EQ(labels, expected);
    EXPECT_NE(note.find(python.free_threaded ? "threads with the GIL left out" : "threads without the GIL left out"), std::string::npos) << note;
}
