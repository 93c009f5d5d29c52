#include "core/base/atomic_file.h"
#include "core/base/file_text.h"
#include "core/formats/trace_json.h"
#include "file_size_limit.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>
#include <unistd.h>
#include <fstream>
#include <map>
#include <set>

using namespace timeslice;
using namespace timeslice::test;

namespace {

Trace sample_trace()
{
    Trace t;
    t.complete = true;
    t.info = RunInfo { "table-loading", "threads", false, 5.0, 6, 2, 0.05, 0, "Test CPU \"quoted\"", "host", "2026-11-25T12:00:00Z", 250'000'123 };
    TaskTrace a;
    a.name = "A";
    a.status = State::Done;
    a.result = "1";
    a.submitted = 0;
    a.started = 1'500;
    a.finished = 50'001'500;
    a.pid = 100;
    a.tid = 101;
    a.spans = { Span { 0, 1'500, 100, 100, 0, State::Queued }, Span { 1'500, 2'000, 100, 101, 1, State::Running },
        Span { 2'000, 50'001'500, 100, 101, 1, State::Waiting } };
    TaskTrace b = a;
    b.name = "B \xff\xfe weird\n";
    b.status = State::Failed;
    b.result.clear();
    b.reason = "worker process 7 was killed by signal 9 (SIGKILL)";
    t.tasks = { a, b };
    t.cpu = { CpuSample { 50'000'000, { 12.5f, 99.25f }, 55.875f, {}, -1 }, CpuSample { 100'000'000, { 0.0f, 100.0f }, 50.0f, {}, -1 } };
    return t;
}

void expect_error(const std::string& text, const std::string& fragment)
{
    Trace out;
    std::string error;
    EXPECT_FALSE(trace_from_json(text, out, error)) << text.substr(0, 60);
    EXPECT_NE(error.find(fragment), std::string::npos) << "error was: " << error;
}

} // namespace

TEST(TraceJson, RoundTripsExactly)
{
    Trace original = sample_trace();
    original.tasks[1].name = "B"; // invalid UTF-8 is replaced on writing; tested below
    const std::string text = trace_to_json(original, scorecard_if_any(original));
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(text, back, error)) << error;
    EXPECT_EQ(back, original);
}

// Issue 20: what the kernel said of real Python's threads round-trips exactly, and a reason or a
// GIL hold that is not one of the names gets a clear message.
TEST(TraceJson, RealPythonsReasonsTargetsGilAndThreadRowsRoundTrip)
{
    Trace original = sample_trace();
    original.info.engine = "cpython";
    original.info.model = "script";
    original.info.python = "3.11.7";
    original.info.gil = true;
    original.info.gil_found = "found by the probe: a waiting thread's futex at 0x7f6093f4e6f4";
    original.info.gil_switch_number = 46;
    original.info.waits_note = "the kernel refused /proc/1/task/2/syscall (Permission denied)";
    original.tasks[1].name = "Thread-1 (recv)";
    original.tasks[1].thread_row = true;
    original.targets = { "", "socket 127.0.0.1:5000" };
    original.tasks[0].spans[1].gil = GilHold::Released;
    original.tasks[1].spans[2].reason = WaitReason::Io;
    original.tasks[1].spans[2].target = 1;
    original.tasks[1].spans[1].state = State::Blocked;
    original.tasks[1].spans[1].reason = WaitReason::Lock;
    const std::string text = trace_to_json(original, scorecard_if_any(original));
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(text, back, error)) << error;
    EXPECT_EQ(back, original);

    Trace native = sample_trace();
    native.tasks[1].name = "B"; // invalid UTF-8 is replaced on writing
    native.info.gil_waits_elsewhere = 0;
    native.tasks[0].spans[1].state = State::GilWait;
    native.tasks[0].spans[1].reason = WaitReason::Gil;
    Trace native_back;
    ASSERT_TRUE(trace_from_json(trace_to_json(native, std::nullopt), native_back, error)) << error;
    EXPECT_EQ(native_back.info, native.info);
    EXPECT_EQ(native_back.tasks[0].spans, native.tasks[0].spans);
    EXPECT_EQ(native_back, native);

    std::string bad = text;
    bad.replace(bad.find("\"reason\":\"io\""), 13, "\"reason\":\"xx\"");
    expect_error(bad, "must be gil, lock, io, sleep, child, other or unknown, not 'xx'");
    bad = text;
    bad.replace(bad.find("\"gil\":\"released\""), 16, "\"gil\":\"maybe\"");
    expect_error(bad, "must be held, released or unknown, not 'maybe'");
}

TEST(TraceJson, TheKernelsViewRoundTripsAndItsCoresAreTracksForViewers)
{
    Trace original = sample_trace();
    original.tasks[1].name = "B";
    original.kernel = KernelSummary { KernelSource::Exact, "kernel data: exact (perf_event_open context switches)",
        4'000, 100, 50'000'000, 0 };
    original.tasks[0].cpu_time = 123'456;
    original.tasks[0].kernel = KernelStats { 400, 100, 0, 1, 2, 1 };
    original.tasks[0].spans.insert(original.tasks[0].spans.begin() + 2, Span { 1'900, 2'000, 100, 101, -1, State::Preempted });
    original.tasks[0].spans[1].end = 1'900;
    original.cores = { CoreSpan { 1'500, 1'900, 0, 1 }, CoreSpan { 1'900, 2'500, 1, 1 } };
    for (CpuSample& c : original.cpu) {
        c.own_per_core = { 10.0f, 20.5f };
        c.own_total = 15.25f;
    }
    const std::string text = trace_to_json(original, scorecard_if_any(original));
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(text, back, error)) << error;
    EXPECT_EQ(back, original);

    // Other viewers see a "CPU cores" process with a thread per core, spans named after tasks.
    const auto doc = nlohmann::json::parse(text);
    std::set<std::string> names;
    int core_spans = 0;
    for (const auto& e : doc["traceEvents"]) {
        if (e["pid"] != kCoresTrackPid)
            continue;
        if (e["ph"] == "M")
            names.insert(e["args"].contains("name") ? e["args"]["name"].get<std::string>() : "");
        else if (e["ph"] == "X") {
            ++core_spans;
            EXPECT_EQ(e["cat"], "core");
        }
    }
    EXPECT_TRUE(names.count("CPU cores"));
    EXPECT_TRUE(names.count("CPU 1"));
    EXPECT_EQ(core_spans, 2);
    EXPECT_EQ(doc["otherData"]["timeslice"]["kernel"], "exact");
    EXPECT_EQ(doc["otherData"]["timeslice"]["tasks"][0]["kernel"]["preemptions"], 1);
    EXPECT_DOUBLE_EQ(doc["otherData"]["timeslice"]["tasks"][0]["kernel"]["on_core_s"].get<double>(), 400e-9);

    // A source this Timeslice does not know is refused with the path.
    std::string bad = text;
    bad.replace(bad.find("\"kernel\":\"exact\""), 16, "\"kernel\":\"magic\"");
    EXPECT_FALSE(trace_from_json(bad, back, error));
    EXPECT_NE(error.find("otherData.timeslice.kernel"), std::string::npos) << error;
}

TEST(TraceJson, IsChromeTraceEventFormatWithTheSummary)
{
    const Trace sample = sample_trace();
    const nlohmann::json doc = nlohmann::json::parse(trace_to_json(sample, scorecard_if_any(sample)));
    ASSERT_TRUE(doc["traceEvents"].is_array());
    int x = 0, m = 0, c = 0;
    for (const auto& e : doc["traceEvents"]) {
        const std::string ph = e["ph"];
        x += ph == "X";
        m += ph == "M";
        c += ph == "C";
        if (ph == "X") {
            EXPECT_EQ(e["name"], e["cat"]);
            EXPECT_TRUE(e["ts"].is_number());
            EXPECT_GE(e["dur"].get<double>(), 0.0);
        }
    }
    EXPECT_EQ(x, 6);
    EXPECT_GE(m, 5); // the process and one name per task track
    EXPECT_EQ(c, 4); // per-core and total, per sample
    const auto& s = doc["otherData"]["timeslice"];
    EXPECT_EQ(s["version"], 1);
    EXPECT_EQ(s["workload"], "table-loading");
    EXPECT_EQ(s["model"], "threads");
    EXPECT_EQ(s["gil"], false);
    EXPECT_EQ(s["workers"], 6);
    EXPECT_EQ(s["cores"], 2);
    EXPECT_DOUBLE_EQ(s["makespan_s"].get<double>(), 0.250000123);
    const auto& a = s["tasks"][0];
    EXPECT_EQ(a["name"], "A");
    EXPECT_EQ(a["result"], "1");
    EXPECT_EQ(a["status"], "done");
    EXPECT_EQ(a["pid"], 100);
    EXPECT_DOUBLE_EQ(a["finished_s"].get<double>(), 0.0500015);
    EXPECT_DOUBLE_EQ(a["state_s"]["waiting"].get<double>(), 0.0499995);
    EXPECT_EQ(s["tasks"][1]["name"], "B \xEF\xBF\xBD\xEF\xBF\xBD weird\n"); // bad bytes became U+FFFD
}

// The writer writes the scorecard it is handed and computes none itself.
TEST(TraceJson, TheScorecardIsWrittenAsGivenNotComputed)
{
    const Trace trace = example("table-loading-threads.json");
    const auto scorecard = scorecard_if_any(trace);
    ASSERT_TRUE(scorecard);
    const auto with = nlohmann::json::parse(trace_to_json(trace, scorecard));
    EXPECT_DOUBLE_EQ(with["otherData"]["timeslice"]["scorecard"]["speedup"].get<double>(), scorecard->speedup);
    EXPECT_EQ(with["metadata"]["timeslice-scorecard"], scorecard_text(*scorecard));
    const auto without = nlohmann::json::parse(trace_to_json(trace, std::nullopt));
    EXPECT_FALSE(without["otherData"]["timeslice"].contains("scorecard"));
    EXPECT_FALSE(without["metadata"].contains("timeslice-scorecard"));
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(trace_to_json(trace, std::nullopt), back, error)) << error;
    EXPECT_EQ(back, trace); // the scorecard is derived, not part of the trace
}

TEST(TraceJson, NamesThatAreNotWellFormedUtf8AreSavedSoTheyLoadAgain)
{
    // Overlong forms, surrogates, code points past U+10FFFF and stray lead bytes.
    Trace t = sample_trace();
    t.tasks[0].name = "over\xC0\xAF|\xE0\x80\xAF|surrogate\xED\xA0\x80|big\xF4\x90\x80\x80|lead\xF5\x80|ok \xC3\xA9";
    t.info.hostname = "host\xFF";
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(trace_to_json(t, scorecard_if_any(t)), back, error)) << error;
    EXPECT_NE(back.tasks[0].name.find("ok \xC3\xA9"), std::string::npos); // valid UTF-8 kept as is
    EXPECT_EQ(back.tasks[0].name.find("\xC0"), std::string::npos);
}

TEST(TraceJson, ARealRunRoundTripsThroughAFile)
{
    auto c = config("table-loading", ModelKind::Processes);
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    const std::string path = test::temp_path("timeslice-roundtrip.json");
    ASSERT_EQ(save_trace(*trace, scorecard_if_any(*trace), path), "");
    Trace back;
    std::string error;
    ASSERT_TRUE(load_trace(path, back, error)) << error;
    Trace expected = *trace;
    expected.live_run = 0; // the run's number in this process, never saved
    EXPECT_EQ(back, expected);
    std::remove(path.c_str());
}

// Seen under Xvfb: a trace cut short was "not valid JSON (at byte 0: ...)", and a PNG opened by
// mistake showed the parser's own text with the raw byte. Each now says where, in words.
TEST(TraceJson, TextThatIsNotJsonIsSaidWhereAndWhy)
{
    const std::string good = trace_to_json(sample_trace(), std::nullopt);
    const std::string cut = good.substr(0, 59);
    Trace out;
    std::string error;
    EXPECT_FALSE(trace_from_json(cut, out, error));
    EXPECT_EQ(error.find("byte 0"), std::string::npos) << error;
    EXPECT_EQ(error.rfind("not valid JSON at line ", 0), 0u) << error;
    EXPECT_NE(error.find("it may be cut short"), std::string::npos) << error;

    EXPECT_FALSE(trace_from_json("{\"traceEvents\":[],,}", out, error));
    EXPECT_EQ(error.rfind("not valid JSON at line 1, column 19: syntax error", 0), 0u) << error;
    EXPECT_EQ(error.find("cut short"), std::string::npos) << "a bad comma is not a short file: " << error;
    EXPECT_EQ(error.find("json.exception"), std::string::npos) << error;

    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    EXPECT_FALSE(trace_from_json(png, out, error));
    EXPECT_EQ(error, "not a text file: byte 0 is 0x89, which no JSON file holds (an image, an archive or another "
                     "binary file?)");
    // Opened as a file, it is not then tried as another tool's trace.
    const std::string path = ::testing::TempDir() + "timeslice-not-a-trace.json";
    std::ofstream(path, std::ios::binary) << png;
    EXPECT_FALSE(load_trace(path, out, error));
    EXPECT_EQ(error, "'" + path + "': not a text file: byte 0 is 0x89, which no JSON file holds (an image, an archive "
                     "or another binary file?)");
    std::remove(path.c_str());
    EXPECT_FALSE(trace_from_json(std::string("{\"a\": \0}", 8), out, error));
    EXPECT_NE(error.find("byte 6 is 0x00"), std::string::npos) << error;
}

TEST(TraceJson, BadFilesGetAClearMessage)
{
    const Trace sample = sample_trace();
    const std::string good = trace_to_json(sample, scorecard_if_any(sample));
    expect_error("", "empty");
    expect_error("   \n", "empty");
    expect_error(good.substr(0, good.size() / 2), "not valid JSON");
    expect_error("hello", "not valid JSON");
    expect_error("[1,2,3]", "top level");
    expect_error(R"({"traceEvents":[]})", "otherData.timeslice is missing");
    expect_error(std::string(10000, '[') + std::string(10000, ']'), "top level");
    std::string deep = "{\"otherData\":";
    for (int i = 0; i < 10000; ++i)
        deep += "{\"a\":";
    expect_error(deep, "nesting deeper than 64 levels");
    expect_error("{\"a\":\"\xff\xfe\"}", "not a text file: byte 6 is 0xFF");

    nlohmann::json doc = nlohmann::json::parse(good);
    auto mutate = [&](auto change, const std::string& fragment) {
        nlohmann::json copy = doc;
        change(copy);
        expect_error(copy.dump(), fragment);
    };
    mutate([](auto& d) { d["otherData"]["timeslice"]["version"] = 99; }, "version");
    mutate([](auto& d) { d["otherData"]["timeslice"].erase("tasks"); }, "missing field 'tasks'");
    mutate([](auto& d) { d["otherData"]["timeslice"]["tasks"][0]["name"] = 5; }, "tasks[0].name: must be a string");
    mutate([](auto& d) { d["otherData"]["timeslice"]["workers"] = "six"; }, "workers: must be an integer");
    mutate([](auto& d) { d["otherData"]["timeslice"]["tasks"][0]["status"] = "sleeping"; }, "unknown state 'sleeping'");
    mutate([](auto& d) { d["otherData"]["timeslice"]["makespan_ns"] = -5; }, "makespan_ns");
    mutate([](auto& d) {
        for (auto& e : d["traceEvents"]) {
            if (e["ph"] == "X") {
                e["dur"] = -5;
                break;
            }
        }
    }, ".dur: must be between 0");
    mutate([](auto& d) {
        for (auto& e : d["traceEvents"]) {
            if (e["ph"] == "X") {
                e["tid"] = 99;
                break;
            }
        }
    }, ".tid: must be between 1 and 2");
    // A span's fields of the wrong type: each named with what it must be.
    const auto first_span = [&](auto change, const std::string& fragment) {
        mutate([&](auto& d) {
            for (auto& e : d["traceEvents"]) {
                if (e["ph"] == "X" && e["pid"] == 1) {
                    change(e);
                    break;
                }
            }
        }, fragment);
    };
    first_span([](auto& e) { e["tid"] = 1.5; }, ".tid: must be an integer");
    first_span([](auto& e) { e["tid"] = "1"; }, ".tid: must be an integer");
    first_span([](auto& e) { e["ts"] = "soon"; }, ".ts: must be a number");
    first_span([](auto& e) { e["dur"] = nlohmann::json::array({ 1 }); }, "missing field 'dur'");
    first_span([](auto& e) { e["cat"] = 3; }, ".cat: must be a string");
    first_span([](auto& e) { e["args"]["worker_pid"] = 1e3; }, ".args.worker_pid: must be an integer");
    first_span([](auto& e) { e["args"]["core"] = nlohmann::json::object({ { "a", 1 } }); }, "missing field 'core'");
    first_span([](auto& e) { e["args"]["worker_tid"] = 18446744073709551615ull; }, ".args.worker_tid: must be an integer");
    mutate([](auto& d) { d["traceEvents"] = 5; }, "traceEvents: must be an array");
}

TEST(TraceJson, AbsurdTaskCountsAreRefusedBeforeAllocating)
{
    // 10^12 tasks cannot be in a file, but the count check must not trust the array either.
    const Trace sample = sample_trace();
    nlohmann::json doc = nlohmann::json::parse(trace_to_json(sample, scorecard_if_any(sample)));
    doc["otherData"]["timeslice"]["tasks"] = nlohmann::json::array();
    for (int i = 0; i < 1'000'001; ++i)
        doc["otherData"]["timeslice"]["tasks"].push_back(0);
    expect_error(doc.dump(), "at most 1000000");
}

TEST(TraceJson, MissingFileAndDirectoryGetAClearMessage)
{
    Trace out;
    std::string error;
    EXPECT_FALSE(load_trace("/nonexistent/t.json", out, error));
    EXPECT_NE(error.find("/nonexistent/t.json"), std::string::npos);
    EXPECT_FALSE(load_trace("/tmp", out, error));
    EXPECT_NE(error.find("directory"), std::string::npos);
}

TEST(TraceJson, SavingToAnUnwritablePlaceLeavesNothingAndSaysWhy)
{
    const Trace sample = sample_trace();
    const auto scorecard = scorecard_if_any(sample);
    EXPECT_NE(save_trace(sample, scorecard, "/nonexistent/dir/t.json").find("cannot write"), std::string::npos);
    // An existing file is only replaced on success.
    const std::string path = test::temp_path("timeslice-keep.json");
    {
        std::ofstream(path) << "precious";
    }
    {
        // Writes past 1 KiB fail, like a full disk: the old file must survive, with no debris.
        test::FileSizeLimit limit(1024);
        EXPECT_NE(save_trace(sample, scorecard, path).find("cannot write"), std::string::npos);
    }
    {
        std::ifstream in(path);
        std::string content;
        std::getline(in, content);
        EXPECT_EQ(content, "precious");
    }
    ASSERT_EQ(save_trace(sample, scorecard, path), "");
    Trace back;
    std::string error;
    EXPECT_TRUE(load_trace(path, back, error)) << error;
    std::remove(path.c_str());
}

namespace {

// What a JavaScript viewer computes: every X event's ts + dur, in float64 microseconds, must not
// pass the ts of the next X event on the same track (pid, tid). Counts the events that do.
int spans_past_their_successor(const nlohmann::json& doc)
{
    std::map<std::pair<long long, long long>, std::vector<std::pair<double, double>>> tracks;
    for (const auto& e : doc["traceEvents"]) {
        if (e["ph"] == "X")
            tracks[{ e["pid"].get<long long>(), e["tid"].get<long long>() }].emplace_back(e["ts"].get<double>(), e["dur"].get<double>());
    }
    int bad = 0;
    for (auto& [track, spans] : tracks) {
        std::sort(spans.begin(), spans.end());
        for (std::size_t i = 0; i + 1 < spans.size(); ++i)
            bad += spans[i].first + spans[i].second > spans[i + 1].first;
    }
    return bad;
}

} // namespace

// Independent viewers read the traces as Perfetto, speedscope, Chrome DevTools and TracerBench
// do: the summary in a top-level "metadata" object, a "cat" on every event, process_labels with
// args.labels, and no span that float64 arithmetic pushes past the next one on its track.
TEST(TraceJson, EveryExampleTraceReadsRightInOtherViewers)
{
    for (const char* name : { "table-loading-threads.json", "table-loading-processes.json", "square-numbers-threads-gil.json",
             "async-delay-async.json", "mixed-async.json", "mixed-threads-gil.json" }) {
        std::ifstream in(std::string(TIMESLICE_EXAMPLES_DIR) + "/" + name);
        const auto doc = nlohmann::json::parse(in);
        EXPECT_EQ(spans_past_their_successor(doc), 0) << name;
        ASSERT_TRUE(doc.contains("metadata")) << name;
        EXPECT_EQ(doc["metadata"]["timeslice-workload"], example(name).info.workload) << name;
        bool labels = false;
        for (const auto& e : doc["traceEvents"]) {
            EXPECT_TRUE(e.contains("cat")) << name << ": " << e.dump();
            if (e["ph"] == "M" && e["name"] == "process_labels")
                labels = e["args"].contains("labels");
        }
        EXPECT_TRUE(labels) << name;
    }
}

TEST(TraceJson, DurationsAreWrittenSoFloat64ViewersNeverOverlapSpansAndReadBackExactly)
{
    // Spans that meet at times whose microsecond values round badly in float64.
    Trace t = sample_trace();
    TaskTrace& a = t.tasks[0];
    a.spans.clear();
    Nanos now = 987'654'321'001;
    for (int i = 0; i < 2000; ++i) {
        const Nanos d = 1 + (Nanos(i) * 7919) % 9973;
        a.spans.push_back(Span { now, now + d, 100, 101, 1, State(2 + i % 3) });
        now += d;
    }
    a.submitted = a.started = a.spans.front().start;
    a.finished = now;
    t.tasks.resize(1);
    t.info.makespan = now;
    const std::string text = trace_to_json(t, scorecard_if_any(t));
    EXPECT_EQ(spans_past_their_successor(nlohmann::json::parse(text)), 0);
    Trace back;
    std::string error;
    ASSERT_TRUE(trace_from_json(text, back, error)) << error;
    EXPECT_EQ(back.tasks[0].spans, a.spans);
}

TEST(TraceJson, WorkerProcessTracksAreNamedForViewers)
{
    const auto doc = nlohmann::json::parse(std::ifstream(std::string(TIMESLICE_EXAMPLES_DIR) + "/table-loading-processes.json"));
    std::set<long long> named, worker_pids;
    for (const auto& e : doc["traceEvents"]) {
        if (e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] != kTaskTrackPid)
            named.insert(e["pid"].get<long long>());
        if (e["ph"] == "X" && e["pid"] != kTaskTrackPid)
            worker_pids.insert(e["pid"].get<long long>());
    }
    EXPECT_FALSE(worker_pids.empty());
    EXPECT_EQ(named, worker_pids);
}

TEST(TraceJson, TextThatIsNotJsonIsRefusedWhereverItIs)
{
    // The reader skips what it has no use for, but still checks that it is JSON: a file it
    // accepts is one any viewer reads.
    Trace original = sample_trace();
    original.tasks[1].name = "B"; // invalid UTF-8 is replaced on writing
    const std::string good = trace_to_json(original, scorecard_if_any(original));
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":tru"), "not valid JSON");
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":01"), "not valid JSON");
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":\"\\x\""), "not valid JSON");
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":[1,]"), "not valid JSON");
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":\"a\tb\""), "not valid JSON");
    expect_error(with("\"displayTimeUnit\":\"ms\"", "\"displayTimeUnit\":\"\\ud800\""), "not valid JSON");
    expect_error(with("{\"ph\":\"X\"", "{\"ph\":\"X\",\"x\":-"), "not valid JSON");
    expect_error(good + "x", "not valid JSON");
    expect_error(good + "{}", "not valid JSON");
    // Escaped keys and strings read the same as plain ones.
    Trace back;
    std::string error;
    EXPECT_TRUE(trace_from_json(with("\"displayTimeUnit\":\"ms\"", "\"display\\u0054imeUnit\":\"\\u00e9\""), back, error))
        << error;
    EXPECT_TRUE(trace_from_json(with("{\"ph\":\"X\"", "{\"p\\u0068\":\"\\u0058\""), back, error)) << error;
    EXPECT_EQ(back, original);
}

// read_file reads a regular file straight into a buffer of its size and a pipe in pieces: both
// whole, byte for byte, with the room past the end a parser that reads ahead asks for; a file
// over the limit is refused by its size before any of it is read.
TEST(ReadFile, RegularFilesAndPipesAreReadWholeWithTheirPaddingAndLimit)
{
    std::string content;
    for (int i = 0; content.size() < 300'000; ++i)
        content += std::to_string(i) + (i % 7 ? "," : "\n");
    const std::string path = test::temp_path("timeslice-read-file.txt");
    ASSERT_EQ(write_file_atomically(path, content), "");
    std::string out, error;
    ASSERT_TRUE(read_file(path, out, error, 1 << 20, 64)) << error;
    EXPECT_EQ(out, content);
    EXPECT_GE(out.capacity(), out.size() + 64);

    EXPECT_FALSE(read_file(path, out, error, 100'000));
    EXPECT_NE(error.find("larger than"), std::string::npos) << error;
    EXPECT_NE(error.find(path), std::string::npos) << error;

    std::string piped;
    {
        const test::FilledPipe pipe(content);
        ASSERT_TRUE(read_file(pipe.path(), piped, error, 1 << 20, 64)) << error;
    }
    EXPECT_EQ(piped, content);
    EXPECT_GE(piped.capacity(), piped.size() + 64);
    std::remove(path.c_str());
}

// A trace file another program cuts short while it is loaded (a run exporting over it) is an
// error that says so, and nothing of what was read is kept; the same file whole loads.
TEST(TraceJson, AFileCutShortWhileItIsLoadedIsAnErrorNotACrash)
{
    const Trace original = sample_trace();
    const std::string text = trace_to_json(original, scorecard_if_any(original));
    const std::string path = test::temp_path("timeslice-cut-while-loaded.json");
    ASSERT_EQ(write_file_atomically(path, text), "");
    std::string error;
    {
        FileText whole;
        ASSERT_TRUE(whole.open(path, error, 1 << 30, 64)) << error;
        Trace back;
        EXPECT_TRUE(load_trace(whole, path, back, error)) << error;
        EXPECT_EQ(back.tasks.size(), original.tasks.size());
    }
    FileText file;
    ASSERT_TRUE(file.open(path, error, 1 << 30, 64)) << error;
    ASSERT_TRUE(file.mapped());
    ASSERT_EQ(truncate(path.c_str(), off_t(text.size() / 2)), 0);
    Trace back;
    EXPECT_FALSE(load_trace(file, path, back, error));
    EXPECT_EQ(error, "'" + path + "' changed while it was read: it was cut short (another program writing it?)");
    EXPECT_TRUE(back.tasks.empty());
    std::remove(path.c_str());
}
