#pragma once

#include "core/base/machine_info.h"
#include "core/run/runner.h"
#include "core/formats/trace_json.h"

#include <filesystem>
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace timeslice::test {

// Tests run the article's seconds at 0.05x: table-loading takes 0.25 s instead of 5 s.
constexpr double kScale = 0.05;

inline RunConfig config(const std::string& workload, ModelKind model, double scale = kScale)
{
    RunConfig c;
    c.workload = workload;
    c.model = model;
    c.workload_options.scale = scale;
    c.model_options.gil = false;
    // Model tests check the emulation's own states; the kernel's view has its own tests
    // (kernel_test.cpp), and the Stop and fault tests run with it on.
    c.kernel.mode = KernelMode::Off;
    return c;
}

#ifdef TIMESLICE_EXAMPLES_DIR
// One of the recorded traces in resources/examples/, by file name.
inline Trace example(const std::string& name)
{
    Trace trace;
    std::string error;
    if (!load_trace(std::string(TIMESLICE_EXAMPLES_DIR) + "/" + name, trace, error))
        throw std::runtime_error(error);
    return trace;
}
#endif

// A path in the temporary folder that no other test process uses at the same time (suites of
// two builds may run side by side).
inline std::string temp_path(const std::string& name)
{
    const std::size_t dot = name.rfind('.');
    const std::string stem = name.substr(0, dot), ext = dot == std::string::npos ? "" : name.substr(dot);
    return "/tmp/" + stem + "-" + std::to_string(getpid()) + ext;
}

// Removes a file or a folder when it goes out of scope, whatever the test's assertions did.
class RemovedAtEnd {
public:
    explicit RemovedAtEnd(std::string path)
        : m_path(std::move(path))
    {
    }
    ~RemovedAtEnd()
    {
        std::error_code ignored;
        std::filesystem::remove_all(m_path, ignored);
    }
    RemovedAtEnd(const RemovedAtEnd&) = delete;
    RemovedAtEnd& operator=(const RemovedAtEnd&) = delete;

private:
    std::string m_path;
};

// Runs a workload given as data under `model`.
inline std::shared_ptr<const Trace> run_workload(const Workload& workload, ModelKind model, ModelOptions options = {})
{
    RunConfig c;
    c.model = model;
    c.model_options = options;
    c.custom = workload;
    c.kernel.mode = KernelMode::Off;
    return run_to_end(c);
}

// Live child processes of this process (zombies included).
using timeslice::child_pids;

inline int open_fd_count()
{
    int n = 0;
    DIR* dir = opendir("/proc/self/fd");
    while (dirent* e = readdir(dir)) {
        if (e->d_name[0] != '.')
            ++n;
    }
    closedir(dir);
    return n - 1; // the directory stream itself
}

inline const TaskTrace& task_named(const Trace& trace, std::string_view name)
{
    for (const TaskTrace& t : trace.tasks) {
        if (t.name == name)
            return t;
    }
    throw std::runtime_error("no task " + std::string(name));
}

// A task's spans in state `s`, in time order.
inline std::vector<Span> spans_in(const TaskTrace& t, State s)
{
    std::vector<Span> out;
    for (const Span& span : t.spans) {
        if (span.state == s)
            out.push_back(span);
    }
    return out;
}

// The first place where a core lane holds two spans at once ("core 1: task 0 until 12 ms overlaps
// task 2 from 11 ms"), or "" when none does. trace.cores is sorted by core, then start.
inline std::string core_lane_overlap(const Trace& trace)
{
    Nanos busy_until = 0;
    std::size_t holder = 0;
    for (std::size_t i = 0; i < trace.cores.size(); ++i) {
        const CoreSpan& b = trace.cores[i];
        if (i > 0 && trace.cores[i - 1].core == b.core && b.start < busy_until)
            return "core " + std::to_string(b.core) + ": task " + std::to_string(trace.cores[holder].task) + " until "
                + std::to_string(busy_until) + " ns overlaps task " + std::to_string(b.task) + " from "
                + std::to_string(b.start) + " ns";
        if (i == 0 || trace.cores[i - 1].core != b.core || b.end > busy_until) {
            busy_until = b.end;
            holder = i;
        }
    }
    return {};
}

// A pipe a thread fills with `content` in 4 KB writes, then closes: read it by path(), as a
// program reads a file name it was given. The destructor waits for the writer.
class FilledPipe {
public:
    explicit FilledPipe(const std::string& content)
        : m_content(content)
    {
        int fds[2] = { -1, -1 };
        if (pipe(fds) != 0)
            throw std::runtime_error("pipe failed");
        m_read = fds[0];
        m_writer = std::thread([this, write_fd = fds[1]] {
            std::size_t at = 0;
            while (at < m_content.size()) {
                const ssize_t n = write(write_fd, m_content.data() + at, std::min<std::size_t>(4096, m_content.size() - at));
                if (n <= 0)
                    break;
                at += std::size_t(n);
            }
            close(write_fd);
        });
    }
    FilledPipe(const FilledPipe&) = delete;
    FilledPipe& operator=(const FilledPipe&) = delete;
    ~FilledPipe()
    {
        // What the reader left (a test that failed early) is drained, so the writer ends.
        char sink[4096];
        while (read(m_read, sink, sizeof sink) > 0) { }
        m_writer.join();
        close(m_read);
    }
    std::string path() const { return "/proc/self/fd/" + std::to_string(m_read); }

private:
    std::string m_content;
    int m_read = -1;
    std::thread m_writer;
};

} // namespace timeslice::test
