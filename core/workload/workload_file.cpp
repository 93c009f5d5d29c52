#include "core/workload/workload_file.h"

#include "core/base/atomic_file.h"
#include "core/workload/compute.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>

namespace timeslice {

namespace {

using json = nlohmann::json;

constexpr int kMaxRepeatDepth = 16;
constexpr std::size_t kMaxStepsPerTask = 1'000'000;
constexpr std::size_t kMaxFileBytes = 16u << 20;

[[noreturn]] void fail(const std::string& where, const std::string& rule)
{
    throw std::invalid_argument(where + ": " + rule);
}

std::string shown(const json& v)
{
    std::string s = v.dump();
    return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

double seconds_at(const json& v, const std::string& where)
{
    if (!v.is_number())
        fail(where, "must be a number of seconds, not " + shown(v));
    const double s = v.get<double>();
    if (!std::isfinite(s) || s < 0 || s > Limits::kMaxWaitSeconds)
        fail(where, "must be between 0 and " + format_seconds(Limits::kMaxWaitSeconds) + " s, not " + shown(v));
    return s;
}

std::uint64_t count_at(const json& v, const std::string& where, std::uint64_t lo, std::uint64_t hi, const char* what)
{
    if (!v.is_number_integer() || (v.is_number_integer() && !v.is_number_unsigned() && v.get<long long>() < 0))
        fail(where, std::string("must be a whole number of ") + what + ", not " + shown(v));
    const std::uint64_t n = v.get<std::uint64_t>();
    if (n < lo || n > hi)
        fail(where, "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " + shown(v));
    return n;
}

struct Builder {
    const WorkloadOptions& options;
    double nominal = 0; // seconds a wait-only task waits, unscaled: what it returns

    Nanos scaled_wait(double seconds) const { return Nanos(std::llround(seconds * options.scale * 1e9)); }

    void steps(const json& list, const std::string& where, std::vector<Step>& out, int depth)
    {
        if (!list.is_array())
            fail(where, "must be a list of steps");
        for (std::size_t i = 0; i < list.size(); ++i)
            step(list[i], where + "[" + std::to_string(i) + "]", out, depth);
    }

    void step(const json& s, const std::string& where, std::vector<Step>& out, int depth)
    {
        if (!s.is_object() || s.empty())
            fail(where, "must be an object such as {\"wait\": 1} or {\"compute\": 1000000}");
        const auto kind = s.begin().key();
        const auto expect_only = [&](std::initializer_list<const char*> keys) {
            for (const auto& [key, value] : s.items()) {
                bool known = false;
                for (const char* k : keys)
                    known = known || key == k;
                if (!known)
                    fail(where + "." + key, "is not a field of a " + kind + " step");
            }
        };
        if (out.size() >= kMaxStepsPerTask)
            fail(where, "a task may have at most " + std::to_string(kMaxStepsPerTask) + " steps, repeats included");
        if (s.contains("compute")) {
            expect_only({ "compute", "scaled" });
            std::uint64_t n = count_at(s["compute"], where + ".compute", 1, Limits::kMaxIterations, "iterations");
            if (s.contains("scaled")) {
                if (!s["scaled"].is_boolean())
                    fail(where + ".scaled", "must be true or false");
                if (s["scaled"].get<bool>())
                    n = std::max<std::uint64_t>(1, std::uint64_t(std::llround(double(n) * options.scale)));
            }
            out.push_back(Compute { n });
        } else if (s.contains("cpu_s")) {
            expect_only({ "cpu_s", "scaled" });
            const json& v = s["cpu_s"];
            if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() <= 0
                || v.get<double>() > Limits::kMaxWaitSeconds)
                fail(where + ".cpu_s", "must be a number of CPU seconds above 0 and at most "
                        + format_seconds(Limits::kMaxWaitSeconds) + ", not " + shown(v));
            double seconds = v.get<double>();
            if (s.contains("scaled")) {
                if (!s["scaled"].is_boolean())
                    fail(where + ".scaled", "must be true or false");
                if (s["scaled"].get<bool>())
                    seconds *= options.scale;
            }
            const std::uint64_t n = iterations_for_cpu_seconds(seconds);
            if (n > Limits::kMaxIterations)
                fail(where + ".cpu_s", "makes more than " + std::to_string(Limits::kMaxIterations) + " iterations here");
            out.push_back(Compute { n, seconds });
        } else if (s.contains("wait") || s.contains("block")) {
            const bool blocking = s.contains("block");
            const char* key = blocking ? "block" : "wait";
            expect_only({ key });
            const double seconds = seconds_at(s[key], where + "." + key);
            nominal += seconds;
            out.push_back(Wait { scaled_wait(seconds), blocking });
        } else if (s.contains("yield")) {
            expect_only({ "yield" });
            if (s["yield"] != true)
                fail(where + ".yield", "must be true");
            out.push_back(Wait { 0 });
        } else if (s.contains("repeat")) {
            expect_only({ "repeat", "steps" });
            if (depth >= kMaxRepeatDepth)
                fail(where, "repeats may nest at most " + std::to_string(kMaxRepeatDepth) + " deep");
            const std::uint64_t n = count_at(s["repeat"], where + ".repeat", 1, kMaxStepsPerTask, "repetitions");
            if (!s.contains("steps"))
                fail(where, "a repeat needs \"steps\"");
            std::vector<Step> body;
            const double before = nominal;
            steps(s["steps"], where + ".steps", body, depth + 1);
            if (body.size() * n > kMaxStepsPerTask - out.size())
                fail(where + ".repeat", "makes more than " + std::to_string(kMaxStepsPerTask) + " steps in the task");
            nominal = before + (nominal - before) * double(n);
            for (std::uint64_t k = 0; k < n; ++k)
                out.insert(out.end(), body.begin(), body.end());
        } else {
            fail(where + "." + kind, "is not a step; use compute, cpu_s, wait, block, yield or repeat");
        }
    }
};

} // namespace

bool is_workload_file(std::string_view argument)
{
    return argument.size() > 5 && argument.substr(argument.size() - 5) == ".json";
}

Workload workload_from_json(std::string_view text, const WorkloadOptions& options, std::string_view fallback_name)
{
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        const auto colon = what.find("parse error");
        throw std::invalid_argument("not valid JSON: " + (colon == std::string::npos ? what : what.substr(colon)));
    }
    if (!doc.is_object())
        fail("(top level)", "must be an object with \"tasks\"");
    if (!std::isfinite(options.scale) || options.scale <= 0 || options.scale > Limits::kMaxScale)
        throw std::invalid_argument("scale must be a number in (0, " + format_seconds(Limits::kMaxScale) + "]");
    for (const auto& [key, value] : doc.items()) {
        if (key != "name" && key != "description" && key != "tasks" && key != "workers" && key != "$schema")
            fail(key, "is not a field of a workload (name, description, tasks, workers)");
    }
    Workload w;
    w.name = std::string(fallback_name);
    if (doc.contains("name")) {
        if (!doc["name"].is_string() || doc["name"].get<std::string>().empty())
            fail("name", "must be a non-empty string");
        w.name = doc["name"].get<std::string>();
    }
    if (doc.contains("workers"))
        w.workers = int(count_at(doc["workers"], "workers", 1, std::uint64_t(Limits::kMaxThreadWorkers), "workers"));
    if (!doc.contains("tasks"))
        fail("tasks", "is missing: a workload needs at least one task");
    const json& tasks = doc["tasks"];
    if (!tasks.is_array() || tasks.empty())
        fail("tasks", "must be a non-empty list of tasks");
    for (std::size_t i = 0; i < tasks.size(); ++i) {
        const std::string where = "tasks[" + std::to_string(i) + "]";
        const json& t = tasks[i];
        if (!t.is_object())
            fail(where, "must be an object with \"name\" and \"steps\"");
        for (const auto& [key, value] : t.items()) {
            if (key != "name" && key != "steps" && key != "count" && key != "count_from")
                fail(where + "." + key, "is not a field of a task (name, steps, count, count_from)");
        }
        if (!t.contains("name") || !t["name"].is_string() || t["name"].get<std::string>().empty())
            fail(where + ".name", "must be a non-empty string");
        std::uint64_t copies = 1, first = 0;
        bool numbered = false;
        if (t.contains("count_from"))
            first = count_at(t["count_from"], where + ".count_from", 0, 1'000'000, "the first number");
        if (t.contains("count")) {
            numbered = true;
            copies = t["count"] == "cores" ? std::uint64_t(online_cores())
                                           : count_at(t["count"], where + ".count", 1, Limits::kMaxTaskCountSquare, "tasks");
        }
        if (!t.contains("steps"))
            fail(where + ".steps", "is missing");
        Builder b { options };
        std::vector<Step> steps;
        b.steps(t["steps"], where + ".steps", steps, 0);
        if (w.tasks.size() + copies > std::size_t(Limits::kMaxTasks))
            fail(where, "makes more than " + std::to_string(Limits::kMaxTasks) + " tasks");
        const std::string name = t["name"].get<std::string>();
        for (std::uint64_t k = 0; k < copies; ++k)
            w.tasks.push_back(TaskSpec { numbered ? name + std::to_string(first + k) : name, steps, b.nominal });
    }
    return w;
}

Workload load_workload_file(const std::string& path, const WorkloadOptions& options)
{
    std::string text, error;
    if (!read_file(path, text, error, kMaxFileBytes))
        throw std::invalid_argument(error);
    std::string stem = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
    stem.resize(stem.size() - std::min<std::size_t>(stem.size(), 5));
    try {
        return workload_from_json(text, options, stem);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("'" + path + "': " + e.what());
    }
}

std::string workload_to_json(const Workload& workload, std::string_view description)
{
    json doc;
    doc["name"] = workload.name;
    if (!description.empty())
        doc["description"] = std::string(description);
    if (workload.workers > 0)
        doc["workers"] = workload.workers;
    json tasks = json::array();
    for (const TaskSpec& t : workload.tasks) {
        json steps = json::array();
        for (const Step& s : t.steps) {
            if (const auto* c = std::get_if<Compute>(&s)) {
                if (c->cpu_seconds > 0)
                    steps.push_back({ { "cpu_s", c->cpu_seconds } });
                else
                    steps.push_back({ { "compute", c->iterations } });
            } else {
                const Wait& wait = std::get<Wait>(s);
                if (wait.duration == 0 && !wait.blocking)
                    steps.push_back({ { "yield", true } });
                else
                    steps.push_back({ { wait.blocking ? "block" : "wait", to_seconds(wait.duration) } });
            }
        }
        tasks.push_back({ { "name", t.name }, { "steps", std::move(steps) } });
    }
    doc["tasks"] = std::move(tasks);
    return doc.dump(2) + "\n";
}

} // namespace timeslice
