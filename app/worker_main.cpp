// timeslice-worker: one process of the processes model. It reads task lines on standard input,
// runs each task's steps (really computing, really sleeping) and reports every state change with
// a CLOCK_MONOTONIC timestamp on standard output. It exits when its input closes.
#include "core/workload/compute.h"
#include "core/models/worker_protocol.h"

#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

using namespace timeslice;

namespace {

bool write_all(const std::string& text)
{
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        const ssize_t n = write(STDOUT_FILENO, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        left -= std::size_t(n);
    }
    return true;
}

bool report(std::uint32_t task, State state, Nanos t)
{
    static const std::int32_t tid = std::int32_t(getpid());
    return write_all(protocol::encode(protocol::EventMessage { task, state, t, sched_getcpu(), tid }));
}

void sleep_until(Nanos deadline)
{
    timespec ts { time_t(deadline / kNanosPerSecond), long(deadline % kNanosPerSecond) };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) { }
}

bool run(const protocol::TaskMessage& task)
{
    if (!report(task.task, State::Running, monotonic_now()))
        return false;
    u128 sum = 0;
    bool computed = false;
    for (const Step& step : task.steps) {
        if (const auto* c = std::get_if<Compute>(&step)) {
            computed = true;
            // In the same slices as the other models, so all three run the same loop (one long
            // call measured 1.7x slower in this binary).
            square_sum_in_slices(c->iterations, sum, [] { return true; });
        } else {
            const Nanos start = monotonic_now();
            if (!report(task.task, State::Waiting, start))
                return false;
            sleep_until(start + std::get<Wait>(step).duration);
            if (!report(task.task, State::Running, monotonic_now()))
                return false;
        }
    }
    // A wait-only task's result is filled in by the parent, which knows the article's seconds.
    return write_all(protocol::encode(protocol::ResultMessage { task.task, monotonic_now(), computed ? to_string(sum) : "0" }));
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
        std::puts("timeslice-worker: a worker process of Timeslice's processes model.\n"
                  "It is started by timeslice and reads tasks on standard input; it is not meant to be run by hand.");
        return 0;
    }
    // If the parent dies, so do we: a worker must never outlive its run.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Wake from a wait step within 1 ns of slack rather than the kernel's default 50 us.
    prctl(PR_SET_TIMERSLACK, 1UL);
    std::signal(SIGPIPE, SIG_IGN);

    std::string buffer;
    char chunk[4096];
    for (;;) {
        const std::size_t newline = buffer.find('\n');
        if (newline != std::string::npos) {
            const std::string line = buffer.substr(0, newline);
            buffer.erase(0, newline + 1);
            protocol::TaskMessage task;
            std::string error;
            if (!protocol::parse_task(line, task, error)) {
                std::fprintf(stderr, "timeslice-worker: %s\n", error.c_str());
                return 3;
            }
            if (!run(task))
                return 4;
            continue;
        }
        if (buffer.size() > protocol::kMaxLine) {
            std::fprintf(stderr, "timeslice-worker: task line too long\n");
            return 3;
        }
        const ssize_t n = read(STDIN_FILENO, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        buffer.append(chunk, std::size_t(n));
    }
}
