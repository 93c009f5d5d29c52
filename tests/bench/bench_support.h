// Helpers shared by the scale benchmarks: resident memory from /proc, running a Python reference
// script in the same benchmark run, percentiles, and the summary table printed at the end.
#pragma once

#include <nlohmann/json.hpp>

#include <malloc.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#ifndef TIMESLICE_PYTHON_DIR
#define TIMESLICE_PYTHON_DIR "scripts/python"
#endif

namespace bench {

// A field of /proc/self/status in bytes (VmRSS, VmHWM, ...), 0 if absent.
inline long long status_bytes(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(in, line)) {
        if (line.rfind(key, 0) == 0)
            return std::atoll(line.c_str() + key.size()) * 1024;
    }
    return 0;
}

// Gives freed heap back to the system and resets the peak (VmHWM) to the current RSS, so that
// VmHWM - VmRSS-now, read after a run, is the run's own peak growth.
inline long long begin_memory_measure()
{
    malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";
    return status_bytes("VmRSS");
}

inline long long peak_growth_since(long long before) { return status_bytes("VmHWM") - before; }

inline std::string python_dir()
{
    if (const char* d = std::getenv("TIMESLICE_PYTHON_DIR"))
        return d;
    return TIMESLICE_PYTHON_DIR;
}

// Runs `python3 <dir>/<script> <args>` and parses the last line of its output as JSON.
// Returns a JSON object with "error" set when the script could not be run.
inline nlohmann::json run_python(const std::string& script, const std::string& args)
{
    const std::string cmd = "python3 " + python_dir() + "/" + script + " " + args;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p)
        return { { "error", "popen failed: " + cmd } };
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    const int status = pclose(p);
    std::string last;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty())
            last = line;
    }
    if (status != 0 || last.empty())
        return { { "error", cmd + " exited with status " + std::to_string(WEXITSTATUS(status)) } };
    try {
        return nlohmann::json::parse(last);
    } catch (const std::exception& e) {
        return { { "error", std::string("bad output from ") + cmd + ": " + e.what() } };
    }
}

template <class T> double percentile(std::vector<T> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    const auto k = std::size_t(std::lround(p / 100.0 * double(v.size() - 1)));
    return double(v[std::min(k, v.size() - 1)]);
}

// One row of the summary: a figure measured for Timeslice, its goal (smaller is better) and a
// reference measured in the same run. ratio = reference / measured: > 1 means Timeslice wins.
struct Row {
    std::string figure;
    std::string unit;
    double measured = NAN;
    double goal = NAN; // NaN: no absolute goal, only the comparison
    std::string reference_name;
    double reference = NAN;
};

inline std::vector<Row>& rows()
{
    static std::vector<Row> r;
    return r;
}

inline void add_row(Row row) { rows().push_back(std::move(row)); }

inline std::string fmt(double v)
{
    if (std::isnan(v))
        return "-";
    char buf[64];
    if (std::fabs(v) >= 100)
        std::snprintf(buf, sizeof buf, "%.0f", v);
    else if (std::fabs(v) >= 10)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else
        std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

inline void print_summary()
{
    std::printf("\n| figure | goal | measured | reference (same run) | ratio ref/measured | pass |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const Row& r : rows()) {
        if (std::isnan(r.measured))
            continue; // not run (filtered out or skipped)
        const bool has_goal = !std::isnan(r.goal);
        const bool has_ref = !std::isnan(r.reference);
        const bool pass = (!has_goal || r.measured <= r.goal) && (!has_ref || r.measured <= r.reference);
        std::printf("| %s | %s | %s %s | %s | %s | %s |\n", r.figure.c_str(),
            has_goal ? ("<= " + fmt(r.goal) + " " + r.unit).c_str() : "beat the reference",
            fmt(r.measured).c_str(), r.unit.c_str(),
            has_ref ? (r.reference_name + " " + fmt(r.reference) + " " + r.unit).c_str() : "-",
            has_ref ? (fmt(r.reference / r.measured) + "x").c_str() : "-", std::isnan(r.measured) ? "n/a" : pass ? "pass" : "FAIL");
    }
    std::fflush(stdout);
}

} // namespace bench
