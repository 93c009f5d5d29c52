// `timeslice derive` and `timeslice advise --from`: the program as a user runs it, its files and
// its exit codes. Bad input says what is wrong, exits 2 and writes nothing.
#include "core/models/process_model.h"
#include "core/run/what_if.h"
#include "core/workload/workload_file.h"
#include "program_support.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

using namespace timeslice;
using namespace timeslice::test;

namespace {

bool exists(const std::string& path) { return std::ifstream(path).good(); }

std::string fixture(const std::string& name) { return std::string(TIMESLICE_FIXTURES_DIR) + "/" + name; }

} // namespace

TEST(DeriveCli, ARecordedRunBecomesAWorkloadFileThatRunsUnderAnotherModel)
{
    const std::string bin = built_program();
    const std::string trace = temp_path("derive-in.json"), out = temp_path("derive-out.json");
    int code = -1;
    output_of(bin + " run --workload table-loading --model threads --scale 0.02 --kernel off --trace " + trace, code);
    ASSERT_EQ(code, 0);
    const std::string said = output_of(bin + " derive " + trace + " -o " + out, code);
    ASSERT_EQ(code, 0) << said;
    EXPECT_NE(said.find("3 tasks:"), std::string::npos) << said;
    EXPECT_NE(said.find("3 waits"), std::string::npos) << said;
    const Workload w = load_workload_file(out, {});
    ASSERT_EQ(w.tasks.size(), 3u);
    EXPECT_EQ(w.tasks[0].name, "A");
    EXPECT_GE(w.tasks[2].nominal_seconds, 0.1) << "C waits 5 s x 0.02";
    const std::string ran = output_of(bin + " run --workload " + out + " --model async --kernel off", code);
    EXPECT_EQ(code, 0) << ran;
    std::remove(trace.c_str());
    std::remove(out.c_str());
}

TEST(DeriveCli, BadInputSaysWhatIsWrongExitsTwoAndWritesNothing)
{
    const std::string bin = built_program();
    const std::string out = temp_path("derive-never.json");
    const std::string missing_o_trace = fixture("python-sleep-in-coroutine.json");
    const struct {
        std::string args;
        std::string says;
    } cases[] = {
        { "", "derive: which trace? timeslice derive TRACE.json -o WORKLOAD.json" },
        { missing_o_trace, "derive: where to? add -o WORKLOAD.json" },
        { "/nonexistent/run.json -o " + out, "/nonexistent/run.json" },
        { fixture("node-worker-threads.json") + " -o " + out, "a trace from another tool (Node.js) cannot be derived" },
        { missing_o_trace + " -o " + temp_path("derive.txt"), "-o: a workload file's name ends in .json" },
        { missing_o_trace + " --frob -o " + out, "derive: unknown option '--frob'" },
        { missing_o_trace + " -o /nonexistent/dir/w.json", "/nonexistent/dir/w.json" },
    };
    for (const auto& c : cases) {
        int code = -1;
        const std::string said = output_of(bin + " derive " + c.args, code);
        EXPECT_EQ(code, 2) << c.args << ": " << said;
        EXPECT_NE(said.find("timeslice: error: "), std::string::npos) << said;
        EXPECT_NE(said.find(c.says), std::string::npos) << c.args << ": " << said;
        EXPECT_FALSE(exists(out)) << c.args;
    }
}

TEST(DeriveCli, AdviseFromARunRunsItUnderEveryModelAndWritesTheSameAsData)
{
    const std::string bin = built_program();
    const std::string json = temp_path("what-if.json");
    int code = -1;
    // The fixture's run: three coroutines, one of which calls time.sleep inside its coroutine.
    const std::string said = output_of(
        bin + " advise --from " + fixture("python-sleep-in-coroutine.json") + " --scale 0.5 --pools 1,2 --json " + json, code);
    ASSERT_EQ(code, 0) << said;
    EXPECT_NE(said.find("Does a blocking call stall the loop? Yes: 1 wait blocks its thread"), std::string::npos) << said;
    std::ifstream in(json);
    const nlohmann::json doc = nlohmann::json::parse(in);
    ASSERT_EQ(doc["models"].size(), 5u);
    EXPECT_EQ(doc["models"][0]["label"], "processes (1)");
    EXPECT_EQ(doc["models"][1]["label"], "processes (2)");
    EXPECT_EQ(doc["models"][4]["label"], "async");
    EXPECT_EQ(doc["tasks"], 4);
    EXPECT_EQ(doc["blocking_waits"], 1);
    EXPECT_EQ(doc["answers"].size(), 4u);
    // Every model ran to the end, and the advice is one of them, named in the paragraph.
    std::string recommended = doc["recommended"];
    bool found = false;
    for (const auto& m : doc["models"]) {
        EXPECT_TRUE(m["finished"].get<bool>()) << m["label"];
        found = found || m["label"] == recommended;
    }
    EXPECT_TRUE(found) << recommended;
    EXPECT_NE(doc["recommendation"].get<std::string>().find("Use " + recommended + ":"), std::string::npos);
    std::remove(json.c_str());
}

TEST(DeriveCli, AdviseRefusesWhatItCannotUse)
{
    const std::string bin = built_program();
    const std::string json = temp_path("what-if-never.json");
    // A derived file edited into nonsense.
    const std::string nonsense = temp_path("nonsense-workload.json");
    std::ofstream(nonsense) << R"({"name": "x", "workers": 2, "tasks": [{"name": "A", "steps": [{"cpu_s": 0.1}, {"cpu_s": -3}]}]})";
    const struct {
        std::string args;
        std::string says;
    } cases[] = {
        { "--from /nonexistent.json", "/nonexistent.json" },
        { "--from " + fixture("viztracer-fib.json"), "cannot be derived" },
        { "--workload /nonexistent/w.json", "--workload: " },
        { "--workload bogus", "--workload: unknown workload 'bogus'" },
        { "--from " + fixture("python-sleep-in-coroutine.json") + " --pools 0", "--pools: process pool sizes from 1 to 256" },
        { "--from " + fixture("python-sleep-in-coroutine.json") + " --scale nope", "--scale: must be a number" },
        { "--scale 0.5", "advise: --scale, --pools and --json apply to --from TRACE or --workload FILE.json" },
        { "--from " + fixture("python-sleep-in-coroutine.json") + " --workload w.json", "give one" },
        { "--from", "--from needs a value" },
        { "--workload " + nonsense, "tasks[0].steps[1].cpu_s: must be a number of CPU seconds above 0" },
    };
    for (const auto& c : cases) {
        int code = -1;
        const std::string said = output_of(bin + " advise " + c.args + " --json " + json, code);
        EXPECT_EQ(code, 2) << c.args << ": " << said;
        EXPECT_NE(said.find(c.says), std::string::npos) << c.args << ": " << said;
        EXPECT_FALSE(exists(json)) << c.args;
    }
    std::remove(nonsense.c_str());
}
