#include "core/cli/cli.h"
#include "core/models/registry.h"
#include "core/workload/builtins.h"
#include "core/run/compare.h"
#include "core/models/process_model.h"
#include "program_support.h"
#include "test_support.h"
#include "core/formats/trace_json.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

using namespace timeslice;
using namespace timeslice::cli;

namespace {

std::string run_error(std::vector<std::string> args)
{
    const auto parsed = parse_run(args);
    EXPECT_FALSE(parsed.command.has_value());
    return parsed.error;
}

std::string program(const std::string& name) { return test::built_program(name); }

int exit_code_of(const std::string& command)
{
    const int status = std::system((command + " >/dev/null 2>&1").c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs a shell command; its standard output, and its exit code in `code`.
std::string output_of(const std::string& command, int& code) { return test::output_of(command, code, false); }

} // namespace

TEST(Cli, ParsesEveryRunOption)
{
    const auto p = parse_run({ "--workload", "square-numbers", "--model=processes", "--scale", "0.5", "--tasks", "3",
        "--iterations", "1000", "--workers", "2", "--trace", "/tmp/t.json", "--image", "/tmp/t.png", "--size", "800x600" });
    ASSERT_TRUE(p.command) << p.error;
    const RunCommand& c = *p.command;
    EXPECT_EQ(c.config.workload, "square-numbers");
    EXPECT_EQ(c.config.model, ModelKind::Processes);
    EXPECT_DOUBLE_EQ(c.config.workload_options.scale, 0.5);
    EXPECT_EQ(c.config.workload_options.tasks, 3);
    EXPECT_EQ(c.config.workload_options.iterations, 1000u);
    EXPECT_EQ(c.config.model_options.workers, 2);
    EXPECT_FALSE(c.config.model_options.gil);
    EXPECT_EQ(c.trace_path, "/tmp/t.json");
    EXPECT_EQ(c.size.width, 800);
    EXPECT_EQ(c.size.height, 600);
}

TEST(Cli, ThreadsEmulateTheGilUnlessToldOtherwise)
{
    EXPECT_TRUE(parse_run({ "--model", "threads" }).command->config.model_options.gil);
    EXPECT_FALSE(parse_run({ "--model", "threads", "--gil", "off" }).command->config.model_options.gil);
    const auto p = parse_run({ "--model", "threads", "--switch-interval", "2.5" });
    EXPECT_EQ(p.command->config.model_options.switch_interval, 2'500'000);
}

TEST(Cli, BadValuesNameTheOptionAndTheProblem)
{
    EXPECT_NE(run_error({ "--workload", "bogus" }).find("unknown workload 'bogus'"), std::string::npos);
    EXPECT_NE(run_error({ "--model", "fibers" }).find("unknown model 'fibers'"), std::string::npos);
    EXPECT_NE(run_error({ "--scale", "abc" }).find("--scale: 'abc' is not a number"), std::string::npos);
    EXPECT_NE(run_error({ "--scale", "nan" }).find("not a number"), std::string::npos);
    EXPECT_NE(run_error({ "--scale", "inf" }).find("not a number"), std::string::npos);
    EXPECT_NE(run_error({ "--scale", "-1" }).find("out of range"), std::string::npos);
    EXPECT_NE(run_error({ "--scale", "0" }).find("out of range"), std::string::npos);
    EXPECT_NE(run_error({ "--tasks", "-3" }).find("negative"), std::string::npos);
    EXPECT_NE(run_error({ "--tasks", "0" }).find("out of range"), std::string::npos);
    EXPECT_NE(run_error({ "--tasks", "99999999999999999999999" }).find("out of range"), std::string::npos);
    EXPECT_NE(run_error({ "--iterations", "1e9" }).find("not a whole number"), std::string::npos);
    EXPECT_NE(run_error({ "--workers" }).find("--workers needs a value"), std::string::npos);
    EXPECT_NE(run_error({ "--workers", "1000", "--model", "processes" }).find("at most 256"), std::string::npos);
    EXPECT_NE(run_error({ "--gil", "maybe" }).find("on or off"), std::string::npos);
    EXPECT_NE(run_error({ "--model", "async", "--gil", "on" }).find("threads model only"), std::string::npos);
    EXPECT_NE(run_error({ "--frobnicate" }).find("unknown option"), std::string::npos);
    EXPECT_NE(run_error({ "--size", "big" }).find("WIDTHxHEIGHT"), std::string::npos);
    EXPECT_NE(run_error({ "--image", "out.gif" }).find(".png, .svg or .pdf"), std::string::npos);
    EXPECT_NE(run_error({ "--trace", "/nonexistent/dir/t.json" }).find("folder does not exist"), std::string::npos);
    EXPECT_NE(run_error({ "--waits", "1,,2" }).find("--waits"), std::string::npos);
}

// Issue 13, defect 12: 2,000 I/O tasks without typing 2,000 waits; the window's Tasks row says the same.
TEST(Cli, TasksApplyToWaitWorkloadsTakingTheWaitsInTurn)
{
    const auto p = parse_run({ "--workload", "table-loading", "--waits", "1,2,5", "--tasks", "2000" });
    ASSERT_TRUE(p.command.has_value()) << p.error;
    EXPECT_EQ(p.command->config.workload_options.tasks, 2000);
    const Workload w = make_workload("table-loading", p.command->config.workload_options);
    ASSERT_EQ(w.tasks.size(), 2000u);
    EXPECT_EQ(w.tasks[0].name, "T1");
    EXPECT_EQ(w.tasks[3].nominal_seconds, 1.0);
    EXPECT_EQ(w.tasks[1999].nominal_seconds, 2.0); // 1999 % 3 == 1
    EXPECT_EQ(make_workload("async-delay", [] { WorkloadOptions o; o.tasks = 2; return o; }()).tasks.size(), 2u);
    EXPECT_NE(run_error({ "--workload", "square-numbers", "--tasks", "2000" }).find("1024"), std::string::npos);
    EXPECT_NE(run_error({ "--workload", "table-loading", "--tasks", "100001" }).find("out of range"), std::string::npos);
}

TEST(Cli, EveryNumericOptionRefusesEveryKindOfBadValue)
{
    const std::vector<std::string> options { "--scale", "--tasks", "--iterations", "--workers", "--switch-interval",
        "--waits", "--size" };
    const std::vector<std::string> bad { "", "abc", "-1", "0", "nan", "NaN", "inf", "1e999", "99999999999999999999999",
        "1.5.2", "0x10", " 1" };
    for (const std::string& option : options) {
        EXPECT_NE(run_error({ option }).find(option), std::string::npos) << option << " with no value";
        for (const std::string& value : bad) {
            // Zero is a valid wait; every other value here is wrong for every option.
            if (option == "--waits" && value == "0")
                continue;
            const auto parsed = parse_run({ "--model", "threads", option, value });
            EXPECT_FALSE(parsed.command.has_value()) << option << " " << value;
            EXPECT_NE(parsed.error.find(option.substr(0, 6)), std::string::npos)
                << option << " '" << value << "' gave: " << parsed.error;
        }
    }
}

TEST(Cli, CompareTakesTheRunOptionsButNotAModel)
{
    const auto p = parse_compare({ "--workload", "mixed", "--scale", "0.5", "--trace-dir", "/tmp" });
    ASSERT_TRUE(p.command) << p.error;
    EXPECT_EQ(p.command->config.workload, "mixed");
    EXPECT_EQ(p.command->trace_dir, "/tmp");
    EXPECT_NE(parse_compare({ "--model", "async" }).error.find("does not apply"), std::string::npos);
    EXPECT_NE(parse_compare({ "--trace-dir", "/nonexistent/x" }).error.find("does not exist"), std::string::npos);
    EXPECT_NE(parse_compare({ "--scale", "-2" }).error.find("--scale"), std::string::npos);
}

TEST(Cli, TheProgramComparesEveryModelAndSavesFourTraces)
{
    const std::string dir = test::temp_path("timeslice-compare");
    const test::RemovedAtEnd remove_dir(dir);
    std::system(("rm -rf " + dir + " && mkdir -p " + dir).c_str());
    const std::string timeslice = program("timeslice");
    EXPECT_EQ(exit_code_of(timeslice + " compare --workload async-delay --scale 0.02 --trace-dir " + dir + " --image " + dir
                  + "/all.png --size 800x900"),
        0);
    for (const char* name : { "async-delay-processes.json", "async-delay-threads-gil.json", "async-delay-threads-nogil.json",
             "async-delay-async.json" }) {
        Trace trace;
        std::string error;
        EXPECT_TRUE(load_trace(dir + "/" + name, trace, error)) << name << ": " << error;
        EXPECT_EQ(trace.tasks.size(), 3u) << name;
        EXPECT_FALSE(trace.ideal.empty()) << name;
    }
    EXPECT_EQ(access((dir + "/all.png").c_str(), F_OK), 0);
    // The manifest makes the four one set, in the order they ran, that the window reopens.
    ComparisonSet set;
    std::string error;
    ASSERT_TRUE(load_comparison(dir, set, error)) << error;
    EXPECT_EQ(set.labels, (std::vector<std::string> { "processes", "threads (GIL)", "threads (no GIL)", "async" }));
    EXPECT_EQ(set.files[2], "async-delay-threads-nogil.json");
    EXPECT_EQ(set.title, "every model");
}

TEST(Cli, ReportListsEveryTaskAndTheMakespan)
{
    const auto trace = run_to_end(test::config("table-loading", ModelKind::Async));
    const std::string report = format_report(*trace);
    EXPECT_NE(report.find("table-loading under async"), std::string::npos);
    for (const char* name : { "\nA ", "\nB ", "\nC " })
        EXPECT_NE(report.find(name), std::string::npos) << report;
    // "makespan 0.25x s": the run's own makespan, to the millisecond.
    const auto at = report.find("\nmakespan ");
    ASSERT_NE(at, std::string::npos) << report;
    const double makespan = std::stod(report.substr(at + 10));
    EXPECT_NEAR(makespan, to_seconds(trace->info.makespan), 0.0005) << report;
}

TEST(Cli, BlockingWaitsAreAnOption)
{
    const auto p = parse_run({ "--workload", "table-loading", "--model", "async", "--blocking", "on" });
    ASSERT_TRUE(p.command) << p.error;
    EXPECT_TRUE(p.command->config.workload_options.blocking);
    const auto bad = parse_run({ "--blocking", "maybe" });
    EXPECT_FALSE(bad.command);
    EXPECT_NE(bad.error.find("--blocking"), std::string::npos) << bad.error;
}

TEST(Cli, TheProgramExitsTwoOnBadInput)
{
    const std::string timeslice = program("timeslice");
    EXPECT_EQ(exit_code_of(timeslice + " run --workload bogus"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " run --workload /nonexistent/mine.json"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " run --scale -1"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " run --trace /nonexistent/dir/t.json"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " frobnicate"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " render /nonexistent.json --image /tmp/x.png"), 2);
    EXPECT_EQ(exit_code_of(timeslice + " --help"), 0);
    EXPECT_EQ(exit_code_of(timeslice + " run --help"), 0);
}

TEST(Cli, CtrlCStopsTheRunAndStillSavesWhatRan)
{
    const std::string path = test::temp_path("timeslice-ctrlc.json");
    const std::string timeslice = program("timeslice");
    // SIGINT once the run has started (it says so on stderr), into 1, 2 and 5 second waits in
    // worker processes.
    const std::string err = test::temp_path("timeslice-ctrlc.err");
    const test::RemovedAtEnd remove_trace(path), remove_err(err);
    EXPECT_EQ(exit_code_of("sh -c '" + timeslice + " run --workload table-loading --model processes --trace " + path
                  + " >/dev/null 2>" + err + " & pid=$!; until grep -q \"Ctrl+C stops it\" " + err
                  + "; do sleep 0.01; done; kill -INT $pid; wait $pid'"),
        130);
    Trace trace;
    std::string error;
    ASSERT_TRUE(load_trace(path, trace, error)) << error;
    for (const TaskTrace& t : trace.tasks)
        EXPECT_EQ(t.status, State::Cancelled) << t.name << ": " << t.reason; // stopped, not killed
}

TEST(Cli, TheProgramRunsAWorkloadAndWritesATrace)
{
    const std::string path = test::temp_path("timeslice-cli.json");
    const std::string timeslice = program("timeslice");
    EXPECT_EQ(exit_code_of(timeslice + " run --workload table-loading --model threads --scale 0.05 --trace " + path), 0);
    Trace trace;
    std::string error;
    ASSERT_TRUE(load_trace(path, trace, error)) << error;
    EXPECT_EQ(trace.info.model, "threads");
    EXPECT_EQ(trace.tasks.size(), 3u);
    std::remove(path.c_str());
}

TEST(Cli, TheKernelSourceIsAnOption)
{
    for (const auto& [text, mode] : { std::pair { "auto", KernelMode::Auto }, { "exact", KernelMode::Exact },
             { "sampled", KernelMode::Sampled }, { "off", KernelMode::Off } }) {
        const auto p = parse_run({ "--kernel", text });
        ASSERT_TRUE(p.command) << p.error;
        EXPECT_EQ(p.command->config.kernel.mode, mode);
    }
    EXPECT_NE(run_error({ "--kernel", "perf" }).find("--kernel: 'perf' must be auto, exact, sampled or off"), std::string::npos);
}

// What the issue asked for, end to end: per task, time on a core, preempted time, preemptions.
TEST(Cli, TheReportGivesEachTasksTimeOnACoreAndPreemptions)
{
    const std::string timeslice = program("timeslice");
    int code = -1;
    const std::string report = output_of(
        timeslice + " run --workload square-numbers --model threads --gil off --tasks 4 --iterations 20000000 --kernel sampled", code);
    ASSERT_EQ(code, 0) << report;
    EXPECT_NE(report.find("kernel data: sampled"), std::string::npos) << report;
    EXPECT_NE(report.find("on a core   preempted   blocked     preemptions  switches  migrations"), std::string::npos) << report;
    for (const char* task : { "\nP0 ", "\nP1 ", "\nP2 ", "\nP3 " })
        EXPECT_NE(report.find(task), std::string::npos) << report;
    EXPECT_NE(report.find("(this run's own)"), std::string::npos) << report;

    // Both sources refused: the run works and says so.
    const std::string report2 = output_of("TIMESLICE_KERNEL_REFUSE=exact,sampled " + timeslice
            + " run --workload square-numbers --model threads --tasks 2 --iterations 1000000",
        code);
    ASSERT_EQ(code, 0) << report2;
    EXPECT_NE(report2.find("kernel data: none"), std::string::npos) << report2;
    EXPECT_NE(report2.find("(whole machine)"), std::string::npos) << report2;
}

TEST(Cli, RenderDrawsAForeignTraceWithARowPerThreadAndDepth)
{
    const std::string timeslice = program("timeslice");
    const std::string dir = "/tmp/timeslice-render-" + std::to_string(getpid());
    ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
    for (const std::string fixture : { "node-worker-threads.json", "viztracer-fib.json" }) {
        const std::string path = std::string(TIMESLICE_FIXTURES_DIR) + "/" + fixture;
        Trace model;
        std::string error;
        ASSERT_TRUE(load_trace(path, model, error)) << error;
        ASSERT_TRUE(model.foreign);
        const std::string image = dir + "/" + fixture + ".png";
        int code = -1;
        const std::string said = output_of("(" + timeslice + " render " + path + " --image " + image + " 2>&1)", code);
        EXPECT_EQ(code, 0) << said;
        // The rows it drew are the model's: one per thread and depth.
        const std::string rows = std::to_string(model.foreign->threads) + " thread"
            + (model.foreign->threads == 1 ? "" : "s") + " in " + std::to_string(model.tasks.size()) + " rows";
        EXPECT_NE(said.find(rows), std::string::npos) << said;
        std::ifstream png(image, std::ios::binary);
        std::string magic(8, '\0');
        png.read(magic.data(), 8);
        EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");
    }
    EXPECT_EQ(std::system(("rm -rf " + dir).c_str()), 0);
}

// Issue 23: traces others write that were refused render, and say what was done to read them.
TEST(Cli, RenderDrawsEpochTimesAnUnclosedArrayAndAnUnmatchedBeginAndSaysSo)
{
    const std::string timeslice = program("timeslice");
    const std::string dir = "/tmp/timeslice-render-odd-" + std::to_string(getpid());
    ASSERT_EQ(std::system(("mkdir -p " + dir).c_str()), 0);
    const std::vector<std::pair<std::string, std::string>> files {
        { R"({"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":1733212800123456,"dur":250,"name":"ray task"}]})",
            "everything understood" },
        { R"([{"ph":"X","pid":1,"tid":1,"ts":0,"dur":5,"name":"a"},{"ph":"X","pid":1,"tid":1,"ts":6,"dur":5,"name":"b"},)",
            "unclosed event array" },
        { R"([{"ph":"B","pid":1,"tid":1,"ts":0,"name":"never ends"},{"ph":"X","pid":1,"tid":2,"ts":0,"dur":9,"name":"x"}])",
            "1 B event without an E, drawn to the trace's end" },
    };
    for (std::size_t i = 0; i < files.size(); ++i) {
        const std::string path = dir + "/odd-" + std::to_string(i) + ".json";
        std::ofstream(path) << files[i].first;
        int code = -1;
        const std::string said
            = output_of("(" + timeslice + " render " + path + " --image " + path + ".png 2>&1)", code);
        EXPECT_EQ(code, 0) << said;
        EXPECT_NE(said.find(files[i].second), std::string::npos) << said;
        std::ifstream png(path + ".png", std::ios::binary);
        std::string magic(8, '\0');
        png.read(magic.data(), 8);
        EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n") << path;
    }
    EXPECT_EQ(std::system(("rm -rf " + dir).c_str()), 0);
}

TEST(Cli, CompareHelpIsGeneratedFromRunsOptionsLessWhatCompareSets)
{
    const std::string help = compare_help();
    for (const char* option : { "--workload", "--scale", "--waits", "--tasks", "--iterations", "--workers", "--switch-interval",
             "--image", "--size", "--trace-dir", "--help", "--engines", "--python" })
        EXPECT_NE(help.find(option), std::string::npos) << option << "\n" << help;
    // --model picks the one model both engines run with --engines, and says so.
    EXPECT_NE(help.find("with --engines: the model"), std::string::npos) << help;
    for (const char* option : { "--gil ", "--trace ", "--engine " })
        EXPECT_EQ(help.find(option), std::string::npos) << option << "\n" << help;
    EXPECT_NE(help.find("1600x1400"), std::string::npos) << help;
}

TEST(Cli, HandOverArrowsAreAnImageOptionOfEveryCommandThatDrawsOne)
{
    const auto run = parse_run({ "--image", "/tmp/t.png", "--hand-overs", "on" });
    ASSERT_TRUE(run.command) << run.error;
    EXPECT_TRUE(run.command->hand_overs);
    const auto plain = parse_run({ "--image", "/tmp/t.png" });
    ASSERT_TRUE(plain.command) << plain.error;
    EXPECT_FALSE(plain.command->hand_overs) << "off by default";
    EXPECT_TRUE(parse_run({ "--hand-overs", "off" }).command) << "off asks for nothing to draw";
    EXPECT_NE(run_error({ "--image", "/tmp/t.png", "--hand-overs", "maybe" }).find("--hand-overs: 'maybe' must be on or off"), std::string::npos);
    EXPECT_NE(run_error({ "--hand-overs", "on" }).find("give --image FILE too"), std::string::npos);
    const auto compare = parse_compare({ "--image", "/tmp/t.png", "--hand-overs", "on" });
    ASSERT_TRUE(compare.command) << compare.error;
    EXPECT_TRUE(compare.command->hand_overs);
    const auto render = parse_render({ "t.json", "--image", "/tmp/t.png", "--hand-overs=on" });
    ASSERT_TRUE(render.command) << render.error;
    EXPECT_TRUE(render.command->hand_overs);
    EXPECT_NE(parse_python({ "--hand-overs", "on" }).error.find("give --image FILE too"), std::string::npos);
    EXPECT_NE(run_help().find("--hand-overs"), std::string::npos);
    EXPECT_NE(render_help().find("--hand-overs"), std::string::npos);
    EXPECT_NE(compare_help().find("--hand-overs"), std::string::npos);
    EXPECT_NE(python_help().find("--hand-overs"), std::string::npos);
}

#ifdef TIMESLICE_EXAMPLES_DIR
// A recorded run of two threads taking turns with the GIL: with the option its image carries
// the arrows, so it differs from the same image without them.
TEST(Cli, RenderDrawsTheHandOverArrowsWhenAsked)
{
    const std::string trace = std::string(TIMESLICE_EXAMPLES_DIR) + "/square-numbers-threads-gil.json";
    const std::string plain = test::temp_path("timeslice-plain.png"), arrows = test::temp_path("timeslice-arrows.png");
    const std::string timeslice = program("timeslice");
    ASSERT_EQ(exit_code_of(timeslice + " render " + trace + " --image " + plain + " --size 800x600"), 0);
    ASSERT_EQ(exit_code_of(timeslice + " render " + trace + " --image " + arrows + " --size 800x600 --hand-overs on"), 0);
    const auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string a = bytes(plain), b = bytes(arrows);
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    EXPECT_NE(a, b);
    EXPECT_EQ(exit_code_of(timeslice + " render " + trace + " --image " + plain + " --hand-overs sometimes"), 2);
    std::remove(plain.c_str());
    std::remove(arrows.c_str());
}
#endif

// The overview lists every workload and every model from their registries: it had fallen behind
// (no dask) while spelling them out by hand.
TEST(Cli, TheOverviewListsEveryWorkloadAndModelFromTheRegistries)
{
    const std::string help = main_help();
    for (const ModelDescriptor& m : kModels) {
        EXPECT_NE(help.find("  " + std::string(m.name) + " "), std::string::npos) << m.name << "\n" << help;
        // The summary's first words, before any wrap.
        const std::string start(m.summary.substr(0, 20));
        EXPECT_NE(help.find(start), std::string::npos) << start << "\n" << help;
    }
    for (const WorkloadDescriptor& w : kWorkloads)
        EXPECT_NE(help.find("  " + std::string(w.name) + " "), std::string::npos) << w.name;
    // Wrapped at 79 columns.
    const std::size_t first = help.find("Workloads ("), last = help.find("Engines:");
    ASSERT_LT(first, last);
    std::size_t lines = 0;
    for (std::size_t at = first; at < last; ++lines) {
        const std::size_t end = help.find('\n', at);
        EXPECT_LE(end - at, 79u) << help.substr(at, end - at);
        at = end + 1;
    }
    EXPECT_GE(lines, kWorkloads.size() + kModels.size() + 2);
}

// Issue 23: the replay as a video from the command line; bad options are refused before anything
// is written.
TEST(Cli, RenderWritesTheReplayAsAVideoAndRefusesBadOptions)
{
    const auto parsed = parse_render({ "t.json", "--video", "out.MP4", "--speed", "0.1", "--fps", "24" });
    ASSERT_TRUE(parsed.command) << parsed.error;
    EXPECT_EQ(parsed.command->video_path, "out.MP4");
    EXPECT_DOUBLE_EQ(parsed.command->speed, 0.1);
    EXPECT_EQ(parsed.command->fps, 24);
    EXPECT_EQ(parsed.command->size.width, 1280); // a video's default size
    EXPECT_EQ(parsed.command->size.height, 720);
    for (const auto& [args, words] : std::vector<std::pair<std::vector<std::string>, std::string>> {
             { { "t.json", "--video", "out.gif" }, "choose a .mp4" },
             { { "t.json", "--video", "out.mp4", "--speed", "2" }, "--speed" },
             { { "t.json", "--video", "out.mp4", "--speed", "fast" }, "--speed" },
             { { "t.json", "--video", "out.mp4", "--fps", "0" }, "--fps" },
             { { "t.json", "--image", "out.png", "--speed", "0.1" }, "for --video" },
             { { "t.json", "--image", "out.png", "--video", "out.mp4" }, "one of them" },
             { { "t.json" }, "one of them" } }) {
        const auto refused = parse_render(args);
        EXPECT_FALSE(refused.command) << words;
        EXPECT_NE(refused.error.find(words), std::string::npos) << refused.error;
    }

    const std::string dir = ::testing::TempDir() + "timeslice-video";
    std::filesystem::create_directories(dir);
    const std::string video = dir + "/replay.mp4";
    std::filesystem::remove(video);
    int code = -1;
    const std::string out = test::output_of(test::built_program() + " render " + std::string(TIMESLICE_EXAMPLES_DIR)
            + "/async-delay-async.json --video " + video + " --speed 1 --fps 10 --size 320x240",
        code);
    ASSERT_EQ(code, 0) << out;
    EXPECT_NE(out.find("video: " + video + " (320x240, "), std::string::npos) << out;
    std::ifstream in(video, std::ios::binary);
    std::string head(12, '\0');
    in.read(head.data(), 12);
    EXPECT_EQ(head.substr(4, 4), "ftyp") << "an MP4 file";
}
