// Chrome traces Timeslice did not write: rows per thread and depth, spans by name, and what is
// not understood counted. Fixtures: a trace written by Node 20 (--trace-events-enabled, a
// worker thread and a timer) and a VizTracer-style trace of a recursive function.
#include "core/formats/foreign_trace.h"
#include "core/formats/trace_json.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sys/wait.h>
#include <unistd.h>

using namespace timeslice;

namespace {

const std::string kFixtures = TIMESLICE_FIXTURES_DIR;

std::vector<std::string> row_names(const Trace& t)
{
    std::vector<std::string> names;
    for (const TaskTrace& task : t.tasks)
        names.push_back(task.name);
    return names;
}

std::vector<std::string> span_names(const Trace& t, std::size_t row)
{
    std::vector<std::string> names;
    for (const std::uint32_t n : t.foreign->span_names[row])
        names.push_back(t.foreign->names[n]);
    return names;
}

// The threads that have something to draw, and their names, straight from the file.
std::map<std::pair<long long, long long>, std::string> threads_with_spans(const std::string& path)
{
    std::ifstream in(path);
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::map<std::pair<long long, long long>, std::string> threads, names;
    for (const auto& e : doc["traceEvents"]) {
        const std::pair<long long, long long> key { e["pid"].get<long long>(), e["tid"].get<long long>() };
        const std::string ph = e["ph"];
        if (ph == "M" && e["name"] == "thread_name")
            names[key] = e["args"]["name"];
        else if (ph == "X" || ph == "B")
            threads[key];
    }
    for (auto& [key, name] : threads)
        name = names.count(key) ? names[key] : "tid " + std::to_string(key.second);
    return threads;
}

void expect_one_row_per_thread(const std::string& path)
{
    Trace t;
    std::string error;
    ASSERT_TRUE(load_trace(path, t, error)) << error;
    ASSERT_TRUE(t.foreign);
    EXPECT_EQ(t.foreign->source, "Node.js");
    const auto threads = threads_with_spans(path);
    EXPECT_EQ(t.foreign->threads, threads.size());
    std::set<std::string> outer_rows, expected;
    for (std::size_t row = 0; row < t.tasks.size(); ++row) {
        if (t.foreign->depth[row] == 0)
            outer_rows.insert(t.tasks[row].name);
    }
    for (const auto& [key, name] : threads)
        expected.insert(name);
    EXPECT_EQ(outer_rows, expected);
    EXPECT_FALSE(t.foreign->not_understood.empty()); // Node writes async (b/e) and instant events
    EXPECT_NE(not_understood_text(*t.foreign).find("ph 'b' (async)"), std::string::npos)
        << not_understood_text(*t.foreign);
    EXPECT_TRUE(t.ideal.empty()); // so no scorecard
    // Every row's spans follow each other, as the timeline's culling needs.
    for (const TaskTrace& task : t.tasks) {
        for (std::size_t k = 0; k + 1 < task.spans.size(); ++k)
            EXPECT_LE(task.spans[k].end, task.spans[k + 1].start) << task.name;
    }
}

} // namespace

TEST(ForeignTrace, ANodeTraceHasOneRowPerThread)
{
    expect_one_row_per_thread(kFixtures + "/node-worker-threads.json");
}

TEST(ForeignTrace, ATraceNodeWritesNowHasOneRowPerThread)
{
    if (std::system("command -v node >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "node is not installed; the committed Node trace is tested above";
    const std::string dir = std::filesystem::temp_directory_path() / ("timeslice-node-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const std::string script = "const { Worker } = require('worker_threads');"
                               "setTimeout(() => require('fs').readFileSync('/etc/hostname'), 5);"
                               "new Worker('let s = 0; for (let i = 0; i < 1e6; i++) s += i;', { eval: true });";
    const int status = std::system(("cd " + dir + " && node --trace-events-enabled --trace-event-categories "
                                       "v8,node,node.async_hooks -e \"" + script + "\" >/dev/null 2>&1")
                                       .c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    expect_one_row_per_thread(dir + "/node_trace.1.log");
    std::filesystem::remove_all(dir);
}

TEST(ForeignTrace, NestedSpansGoOneRowDeeperPerLevel)
{
    Trace t;
    std::string error;
    ASSERT_TRUE(load_trace(kFixtures + "/viztracer-fib.json", t, error)) << error;
    ASSERT_TRUE(t.foreign);
    EXPECT_EQ(t.foreign->source, "VizTracer");
    EXPECT_EQ(t.foreign->threads, 2u);
    EXPECT_EQ(row_names(t),
        (std::vector<std::string> { "MainThread", "MainThread · depth 1", "MainThread · depth 2", "MainThread · depth 3",
            "Thread-1 (worker)", "Thread-1 (worker) · depth 1" }));
    EXPECT_EQ(t.foreign->depth, (std::vector<int> { 0, 1, 2, 3, 0, 1 }));
    EXPECT_EQ(span_names(t, 0), (std::vector<std::string> { "main (/home/u/fib.py:8)", "builtins.print" }));
    EXPECT_EQ(span_names(t, 1), (std::vector<std::string> { "fib (/home/u/fib.py:1)" }));
    EXPECT_EQ(span_names(t, 2), (std::vector<std::string> { "fib (/home/u/fib.py:1)", "fib (/home/u/fib.py:1)" }));
    EXPECT_EQ(span_names(t, 3), (std::vector<std::string> { "fib (/home/u/fib.py:1)", "fib (/home/u/fib.py:1)" }));
    EXPECT_EQ(span_names(t, 5), (std::vector<std::string> { "time.sleep" }));
    // Times from the earliest span, to the nanosecond: main starts at 0 and lasts 5.8 µs.
    EXPECT_EQ(t.tasks[0].spans[0].start, 0);
    EXPECT_EQ(t.tasks[0].spans[0].duration(), 5800);
    EXPECT_EQ(t.foreign->not_understood,
        (std::vector<std::string> { "1 event with ph 'C' (counter)", "1 event with ph 'i' (instant)" }));
}

TEST(ForeignTrace, BeginAndEndPairUpAndWhatDoesNotIsCounted)
{
    const std::string text = R"([
        {"ph":"E","pid":3,"tid":4,"ts":1},
        {"ph":"B","pid":3,"tid":4,"ts":2,"name":"outer"},
        {"ph":"B","pid":3,"tid":4,"ts":3,"name":"inner"},
        {"ph":"E","pid":3,"tid":4,"ts":5},
        {"ph":"E","pid":3,"tid":4,"ts":9},
        {"ph":"B","pid":3,"tid":4,"ts":10,"name":"never ends"},
        {"ph":"X","pid":3,"tid":4,"ts":11,"name":"no duration"},
        {"ph":"X","pid":"main","tid":4,"ts":11,"dur":1,"name":"odd pid"},
        {"ph":"Q","pid":3,"tid":4,"ts":11},
        {"pid":3,"tid":4,"ts":11},
        7
    ])";
    Trace t;
    std::string error;
    ASSERT_TRUE(foreign_trace_from_json(text, t, error)) << error;
    EXPECT_EQ(row_names(t), (std::vector<std::string> { "tid 4", "tid 4 · depth 1" }));
    // A B with no E is drawn to the trace's end (the last time any event names: 11 µs).
    EXPECT_EQ(span_names(t, 0), (std::vector<std::string> { "outer", "never ends" }));
    EXPECT_EQ(t.tasks[0].spans[0].duration(), 7000);
    EXPECT_EQ(t.tasks[0].spans[1].duration(), 1000);
    EXPECT_EQ(span_names(t, 1), (std::vector<std::string> { "inner" }));
    EXPECT_EQ(t.foreign->not_understood,
        (std::vector<std::string> { "1 B event without an E, drawn to the trace's end", "1 E event without a B",
            "1 X event without a number >= 0 for dur", "1 event whose pid or tid is not a 32-bit integer",
            "1 event with ph 'Q' (unknown)", "1 event without a ph", "1 non-object event" }));
}

TEST(ForeignTrace, WhatCannotBeShownIsRefusedWithAReason)
{
    Trace t;
    std::string error;
    EXPECT_FALSE(foreign_trace_from_json("{\"traceEvents\":[{\"ph\":\"X\"", t, error));
    EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
    EXPECT_FALSE(foreign_trace_from_json(R"({"traceEvents":[{"ph":"C","pid":1,"tid":1,"ts":1}]})", t, error));
    EXPECT_NE(error.find("no spans"), std::string::npos) << error;
    EXPECT_NE(error.find("counter"), std::string::npos) << error;
    EXPECT_FALSE(foreign_trace_from_json(R"({"events":[]})", t, error));
    EXPECT_NE(error.find("not a Chrome trace"), std::string::npos) << error;
    EXPECT_FALSE(foreign_trace_from_json("5", t, error));
    EXPECT_FALSE(foreign_trace_from_json(std::string(5000, '['), t, error));
}

TEST(ForeignTrace, TimeslicesOwnTracesStayTimeslicesAndBrokenOnesSaySo)
{
    for (const auto& entry : std::filesystem::directory_iterator(TIMESLICE_EXAMPLES_DIR)) {
        if (entry.path().extension() != ".json")
            continue;
        Trace t;
        std::string error;
        ASSERT_TRUE(load_trace(entry.path(), t, error)) << error;
        EXPECT_FALSE(t.foreign) << entry.path();
    }
    // A Timeslice trace with a bad span is a broken Timeslice trace, not a foreign one.
    const std::string path = std::filesystem::temp_directory_path() / ("timeslice-broken-" + std::to_string(getpid()) + ".json");
    std::ifstream in(std::string(TIMESLICE_EXAMPLES_DIR) + "/table-loading-threads.json");
    nlohmann::json doc = nlohmann::json::parse(in);
    for (auto& e : doc["traceEvents"]) {
        if (e["ph"] == "X" && e["pid"] == 1) {
            e["cat"] = "sleeping";
            break;
        }
    }
    std::ofstream(path) << doc.dump();
    Trace t;
    std::string error;
    EXPECT_FALSE(load_trace(path, t, error));
    EXPECT_NE(error.find("unknown state 'sleeping'"), std::string::npos) << error;
    // One cut short in its events is a truncated Timeslice trace, not an unclosed foreign array.
    {
        std::ifstream whole(std::string(TIMESLICE_EXAMPLES_DIR) + "/table-loading-threads.json");
        const std::string text((std::istreambuf_iterator<char>(whole)), std::istreambuf_iterator<char>());
        std::ofstream(path, std::ios::trunc) << text.substr(0, text.find("\"ph\":\"X\"") + 400);
    }
    Trace cut;
    EXPECT_FALSE(load_trace(path, cut, error));
    EXPECT_NE(error.find("it may be cut short"), std::string::npos) << error;
    std::filesystem::remove(path);
}

// Issue 23: traces others write that were refused or dropped. Unix-epoch microseconds (Ray's
// timeline), an event array never closed (a crashed program), partly overlapping spans.
TEST(ForeignTrace, EpochMicrosecondsAreTimesFromTheFirstEvent)
{
    const std::string text = R"({"traceEvents": [
        {"ph":"X","pid":1,"tid":1,"ts":1733212800123456.5,"dur":250,"name":"task"},
        {"ph":"X","pid":1,"tid":1,"ts":1733212800124000,"dur":1000,"name":"next"}]})";
    Trace t;
    std::string error;
    ASSERT_TRUE(foreign_trace_from_json(text, t, error)) << error;
    ASSERT_EQ(t.tasks.size(), 1u);
    ASSERT_EQ(t.tasks[0].spans.size(), 2u);
    EXPECT_EQ(t.tasks[0].spans[0].start, 0);
    EXPECT_EQ(t.tasks[0].spans[0].duration(), 250'000);
    EXPECT_EQ(t.tasks[0].spans[1].start, 543'500);
    EXPECT_EQ(t.tasks[0].spans[1].duration(), 1'000'000);
    EXPECT_TRUE(t.foreign->not_understood.empty());
}

TEST(ForeignTrace, AnEventArrayNeverClosedIsReadUpToItsLastWholeEvent)
{
    for (const std::string& text : {
             std::string(R"([{"ph":"X","pid":1,"tid":1,"ts":0,"dur":5,"name":"a"},
                            {"ph":"X","pid":1,"tid":1,"ts":6,"dur":5,"name":"b"},)"),
             std::string(R"([{"ph":"X","pid":1,"tid":1,"ts":0,"dur":5,"name":"a"},
                            {"ph":"X","pid":1,"tid":1,"ts":6,"dur":5,"name":"b","args":{"k":1}},
                            {"ph":"X","pid":1,"tid":1,"ts":12,"du)"),
             std::string(R"({"traceEvents":[{"ph":"X","pid":1,"tid":1,"ts":0,"dur":5,"name":"a"},
                            {"ph":"X","pid":1,"tid":1,"ts":6,"dur":5,"name":"b"})") }) {
        Trace t;
        std::string error;
        ASSERT_TRUE(foreign_trace_from_json(text, t, error)) << error << "\n" << text;
        EXPECT_EQ(span_names(t, 0), (std::vector<std::string> { "a", "b" })) << text;
        ASSERT_EQ(t.foreign->not_understood.size(), 1u) << text;
        EXPECT_NE(t.foreign->not_understood[0].find("unclosed event array"), std::string::npos)
            << t.foreign->not_understood[0];
    }
    // What is not JSON at all is still refused, with the reason.
    Trace t;
    std::string error;
    EXPECT_FALSE(foreign_trace_from_json("[{\"ph\": oops", t, error));
    EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
}

TEST(ForeignTrace, SpansThatOutlastTheirParentAreDrawnDeeperAndSaidSo)
{
    const std::string text = R"([{"ph":"X","pid":1,"tid":1,"ts":0,"dur":10,"name":"a"},
                                 {"ph":"X","pid":1,"tid":1,"ts":5,"dur":10,"name":"b"}])";
    Trace t;
    std::string error;
    ASSERT_TRUE(foreign_trace_from_json(text, t, error)) << error;
    ASSERT_EQ(t.tasks.size(), 2u);
    EXPECT_EQ(span_names(t, 1), (std::vector<std::string> { "b" }));
    EXPECT_EQ(t.foreign->not_understood,
        (std::vector<std::string> { "1 span overlapping the end of an enclosing span (drawn one row deeper, not nested)" }));
}
