// Issue 23: Timeslice's traces read the way other viewers read them. speedscope and Chrome
// DevTools add ts + dur in float64 after taking a first timestamp away, and two spans that met
// exactly overlapped by 1e-12 µs and staircased; speedscope reads only names, and merged a
// worker's back-to-back spans of one task; tracerbench nests by ts and mis-nested a span under
// metadata that had none. The check reads a trace file as they do and counts what goes wrong.
#include "core/formats/trace_writer.h"
#include "python/python_support.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

using namespace timeslice;
using nlohmann::json;

namespace {

struct ViewerSpan {
    double ts = 0, dur = 0;
    std::string name, cat;
    std::size_t index = 0;
};

// What a float64 viewer would get wrong in `text`: one line per problem.
std::vector<std::string> viewer_problems(const std::string& text)
{
    std::vector<std::string> problems;
    const json doc = json::parse(text);
    const json& events = doc.is_array() ? doc : doc.at("traceEvents");
    std::map<std::pair<long long, long long>, std::vector<ViewerSpan>> tracks;
    double first = 1e300;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const json& e = events[i];
        if (!e.contains("ts") || !e["ts"].is_number()) {
            problems.push_back("event " + std::to_string(i) + " (ph " + e.value("ph", "?") + ") has no ts");
            continue;
        }
        if (e.value("ph", "") != "X")
            continue;
        const ViewerSpan s { e["ts"].get<double>(), e["dur"].get<double>(), e.value("name", ""), e.value("cat", ""), i };
        first = std::min(first, s.ts);
        tracks[{ e["pid"].get<long long>(), e["tid"].get<long long>() }].push_back(s);
    }
    for (auto& [track, spans] : tracks) {
        std::stable_sort(spans.begin(), spans.end(), [](const ViewerSpan& a, const ViewerSpan& b) { return a.ts < b.ts; });
        const std::string where = "track " + std::to_string(track.first) + "/" + std::to_string(track.second);
        // Rebased on the file's first timestamp (speedscope) and on the track's (DevTools).
        for (const double base : { first, spans.front().ts }) {
            std::vector<double> open_ends;
            for (const ViewerSpan& s : spans) {
                const double start = s.ts - base, end = start + s.dur;
                while (!open_ends.empty() && open_ends.back() <= start)
                    open_ends.pop_back();
                if (!open_ends.empty() && end > open_ends.back())
                    problems.push_back(where + ": event " + std::to_string(s.index) + " overlaps the end of the span before it");
                open_ends.push_back(end);
            }
        }
        // A viewer that reads only names merges back-to-back spans of one name.
        for (std::size_t k = 0; k + 1 < spans.size(); ++k) {
            const ViewerSpan &a = spans[k], &b = spans[k + 1];
            if (a.name == b.name && a.cat != b.cat && b.ts - (a.ts + a.dur) < 0.01)
                problems.push_back(where + ": events " + std::to_string(a.index) + " and " + std::to_string(b.index)
                    + " meet with one name ('" + a.name + "') for two states");
        }
    }
    return problems;
}

std::string joined(const std::vector<std::string>& lines)
{
    std::string text;
    for (std::size_t i = 0; i < std::min<std::size_t>(lines.size(), 10); ++i)
        text += lines[i] + "\n";
    return text + std::to_string(lines.size()) + " problem(s)";
}

} // namespace

TEST(ViewerCheck, TheCheckFindsWhatViewersGetWrong)
{
    // Two spans that meet exactly in decimal overlap once rebased in float64; metadata without
    // ts; one name for two states that meet.
    const std::string bad = R"([{"ph":"M","name":"thread_name","pid":1,"tid":1,"args":{"name":"t"}},
        {"ph":"X","name":"C","cat":"running","pid":1,"tid":1,"ts":1723.891,"dur":0.1},
        {"ph":"X","name":"C","cat":"waiting","pid":1,"tid":1,"ts":1723.991,"dur":0.2},
        {"ph":"X","name":"D","cat":"running","pid":1,"tid":2,"ts":0.1,"dur":0.2},
        {"ph":"X","name":"D","cat":"running","pid":1,"tid":2,"ts":0.3,"dur":0.1}])";
    const std::vector<std::string> problems = viewer_problems(bad);
    const std::string all = joined(problems);
    EXPECT_NE(all.find("has no ts"), std::string::npos) << all;
    EXPECT_NE(all.find("meet with one name ('C')"), std::string::npos) << all;
    EXPECT_EQ(all.find("('D')"), std::string::npos) << all; // one state: merging them is right
    // 1723.891 - 0.1 + 0.1 ... the float64 sum of the rebased first span passes the second's start.
    EXPECT_NE(all.find("overlaps the end"), std::string::npos) << all;
}

TEST(ViewerCheck, EveryExampleTraceReadsInOtherViewersWithoutAProblem)
{
    // The examples were recorded by earlier versions: what matters is how they are written now.
    DIR* dir = opendir(TIMESLICE_EXAMPLES_DIR);
    ASSERT_TRUE(dir);
    int checked = 0;
    while (const dirent* entry = readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.size() < 5 || name.substr(name.size() - 5) != ".json")
            continue;
        const Trace trace = test::example(name);
        EXPECT_EQ(joined(viewer_problems(trace_to_json(trace, std::nullopt))), "0 problem(s)") << name;
        ++checked;
    }
    closedir(dir);
    EXPECT_GE(checked, 6);
}

TEST(ViewerCheck, FreshNativeRunsReadInOtherViewersWithoutAProblem)
{
    for (const auto& [workload, model] : { std::pair { "table-loading", ModelKind::Processes },
             std::pair { "square-numbers", ModelKind::Threads }, std::pair { "async-delay", ModelKind::Async } }) {
        RunConfig c = test::config(workload, model);
        c.model_options.gil = model == ModelKind::Threads;
        c.workload_options.iterations = 3'000'000;
        const auto trace = run_to_end(c);
        ASSERT_TRUE(trace);
        EXPECT_EQ(joined(viewer_problems(trace_to_json(*trace, std::nullopt))), "0 problem(s)") << workload;
    }
}

TEST(ViewerCheck, AFreshCPythonTraceReadsInOtherViewersWithoutAProblem)
{
    REQUIRE_PYTHON();
    const std::string path = test::script("viewer-check.py",
        "import threading\n"
        "def spin():\n"
        "    n = 0\n"
        "    for i in range(300000):\n"
        "        n += i\n"
        "ts = [threading.Thread(target=spin) for _ in range(2)]\n"
        "for t in ts: t.start()\n"
        "for t in ts: t.join()\n");
    const test::RemovedAtEnd remove_script(path);
    RunConfig c = test::script_config(path);
    c.kernel.mode = KernelMode::Auto;
    const auto trace = run_to_end(c);
    ASSERT_TRUE(trace);
    ASSERT_GE(trace->tasks.size(), 3u);
    EXPECT_EQ(joined(viewer_problems(trace_to_json(*trace, std::nullopt))), "0 problem(s)");
}
