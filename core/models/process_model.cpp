#include "core/models/process_model.h"

#include "core/models/worker_protocol.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <optional>
#include <thread>

extern char** environ;

namespace timeslice {

void set_child_spawn_attributes(posix_spawnattr_t& attr)
{
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
}

namespace {

struct Worker {
    pid_t pid = -1;
    int fd = -1;
    std::string input;
    long task = -1; // index of the task it runs, -1 when idle
};

std::string signal_name(int sig)
{
    const char* abbrev = sigabbrev_np(sig);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// Reaps `pid`, killing it if it does not exit within `grace`. Returns its wait status.
int reap(pid_t pid, Nanos grace)
{
    const Nanos deadline = monotonic_now() + grace;
    int status = 0;
    for (;;) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return 0;
        if (monotonic_now() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
            return status;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
}

class Pool {
public:
    Pool(RunContext& ctx, std::string path, int size)
        : m_ctx(ctx)
        , m_path(std::move(path))
        , m_size(size)
        , m_lane(ctx.recorder.make_lane())
        , m_worker_lanes(ctx.recorder)
        , m_outcome_set(ctx.workload.tasks.size(), false)
    {
    }

    void run()
    {
        const std::size_t n = m_ctx.workload.tasks.size();
        for (std::size_t i = 0; i < n; ++i)
            m_lane.record(make_event(std::uint32_t(i), State::Queued, m_ctx.origin));

        m_cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (m_cancel_fd < 0) {
            fail_all_remaining("cannot create an eventfd: " + std::string(std::strerror(errno)));
            return;
        }
        const int cancel_fd = m_cancel_fd;
        m_ctx.cancel.set_callback([cancel_fd] {
            const std::uint64_t one = 1;
            [[maybe_unused]] auto r = write(cancel_fd, &one, sizeof one);
        });

        while (m_next < n && int(m_workers.size()) < m_size && !m_ctx.cancel.cancelled())
            spawn_for(m_next++);

        while (m_ended < n && !m_ctx.cancel.cancelled()) {
            if (m_workers.empty()) {
                // Every worker is gone and none could be started: try the next task's worker
                // (a failed spawn fails that task), so the queue drains instead of hanging.
                if (m_next >= n)
                    break;
                spawn_for(m_next++);
                continue;
            }
            poll_once();
        }

        m_ctx.cancel.clear_callback();
        shutdown();
        close(m_cancel_fd);
    }

private:
    void spawn_for(std::size_t task)
    {
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
            end_task(task, State::Failed, "cannot create a socket pair: " + std::string(std::strerror(errno)));
            return;
        }
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
        std::string arg0 = m_path;
        char* argv[] = { arg0.data(), nullptr };
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        set_child_spawn_attributes(attr);
        pid_t pid = -1;
        const Nanos t = monotonic_now();
        const int err = posix_spawn(&pid, m_path.c_str(), &actions, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
        posix_spawn_file_actions_destroy(&actions);
        close(fds[1]);
        if (err != 0) {
            close(fds[0]);
            end_task(task, State::Failed, "cannot start worker '" + m_path + "': " + std::strerror(err));
            return;
        }
        m_ctx.watch_thread(pid, pid); // before it is sent the task: its whole run is seen
        LaneEvent e = make_event(std::uint32_t(task), State::Starting, t);
        e.core = -1;
        m_worker_lanes({ pid, pid }).record(e);
        m_workers.push_back(Worker { pid, fds[0], {}, -1 });
        send(m_workers.back(), task);
    }

    void send(Worker& w, std::size_t task)
    {
        w.task = long(task);
        const std::string line = protocol::encode_task(std::uint32_t(task), m_ctx.workload.tasks[task].steps);
        std::size_t done = 0;
        while (done < line.size()) {
            const ssize_t r = ::send(w.fd, line.data() + done, line.size() - done, MSG_NOSIGNAL);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return; // the worker is gone; poll_once() sees the hang-up and fails the task
            done += std::size_t(r);
        }
    }

    void poll_once()
    {
        std::vector<pollfd> fds;
        fds.push_back({ m_cancel_fd, POLLIN, 0 });
        for (const Worker& w : m_workers)
            fds.push_back({ w.fd, POLLIN, 0 });
        const int r = poll(fds.data(), nfds_t(fds.size()), -1);
        if (r < 0)
            return; // EINTR: look again
        if (fds[0].revents)
            return; // cancelled: the caller sees the token
        // Walk backwards: a dead worker is erased from m_workers.
        for (std::size_t k = fds.size() - 1; k >= 1; --k) {
            if (fds[k].revents)
                service(k - 1);
        }
    }

    void service(std::size_t index)
    {
        Worker& w = m_workers[index];
        char buffer[8192];
        const ssize_t n = read(w.fd, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return;
        if (n <= 0) {
            worker_died(index, {});
            return;
        }
        w.input.append(buffer, std::size_t(n));
        std::size_t newline;
        while ((newline = w.input.find('\n')) != std::string::npos) {
            const std::string line = w.input.substr(0, newline);
            w.input.erase(0, newline + 1);
            std::string error;
            if (!handle_line(w, line, error)) {
                kill(w.pid, SIGKILL);
                worker_died(index, "worker sent a malformed message (" + error + "): '" + line.substr(0, 80) + "'");
                return;
            }
        }
        if (w.input.size() > protocol::kMaxLine) {
            kill(w.pid, SIGKILL);
            worker_died(index, "worker sent a line longer than 1 MiB");
        }
    }

    bool handle_line(Worker& w, std::string_view line, std::string& error)
    {
        protocol::WorkerMessage message;
        if (!protocol::parse_worker_message(line, message, error))
            return false;
        const std::size_t n = m_ctx.workload.tasks.size();
        if (const auto* e = std::get_if<protocol::EventMessage>(&message)) {
            if (long(e->task) != w.task || e->task >= n || is_terminal(e->state)) {
                error = "state change for a task it was not given";
                return false;
            }
            // A worker goes on until it is killed: what it began after the Stop was given (read
            // here when poll() woke for it just before) is not drawn; the task ends stopped.
            if (const Nanos stop = m_ctx.cancel.cancelled_at(); stop >= 0 && e->t > stop)
                return true;
            m_worker_lanes({ w.pid, e->tid }).record(LaneEvent { e->t, e->task, e->state, WaitReason::None, std::int16_t(e->core) });
            return true;
        }
        const auto& result = std::get<protocol::ResultMessage>(message);
        if (long(result.task) != w.task || result.task >= n) {
            error = "result for a task it was not given";
            return false;
        }
        // Finished after the Stop was given: it was stopped (what it began after is not drawn).
        if (const Nanos stop = m_ctx.cancel.cancelled_at(); stop >= 0 && result.t > stop)
            return true;
        const TaskSpec& spec = m_ctx.workload.tasks[result.task];
        const bool computes = std::any_of(
            spec.steps.begin(), spec.steps.end(), [](const Step& s) { return std::holds_alternative<Compute>(s); });
        m_worker_lanes({ w.pid, w.pid }).record(LaneEvent { result.t, result.task, State::Done, WaitReason::None, -1 });
        set_outcome(result.task, TaskOutcome { State::Done, computes ? result.result : format_seconds(spec.nominal_seconds), {} });
        w.task = -1;
        if (m_next < n && !m_ctx.cancel.cancelled())
            send(w, m_next++);
        return true;
    }

    void worker_died(std::size_t index, std::string why)
    {
        Worker w = std::move(m_workers[index]);
        m_workers.erase(m_workers.begin() + long(index));
        close(w.fd);
        const int status = reap(w.pid, 2 * kNanosPerSecond);
        if (why.empty())
            why = "worker process " + std::to_string(w.pid) + " " + describe_exit_status(status);
        if (w.task >= 0)
            end_task(std::size_t(w.task), State::Failed, why, w.pid);
        // Like a pool that replaces a lost worker: the queue goes on.
        if (m_next < m_ctx.workload.tasks.size() && !m_ctx.cancel.cancelled())
            spawn_for(m_next++);
    }

    void end_task(std::size_t task, State status, std::string reason, pid_t pid = 0)
    {
        const LaneEvent e = make_event(std::uint32_t(task), status);
        if (pid > 0)
            m_worker_lanes({ pid, pid }).record(e);
        else
            m_lane.record(e);
        set_outcome(task, TaskOutcome { status, {}, std::move(reason) });
    }

    void set_outcome(std::size_t task, TaskOutcome outcome)
    {
        if (!m_outcome_set[task])
            ++m_ended;
        m_outcome_set[task] = true;
        m_ctx.outcomes.set(task, std::move(outcome));
    }

    void fail_all_remaining(const std::string& why)
    {
        for (std::size_t i = 0; i < m_ctx.workload.tasks.size(); ++i) {
            if (!m_outcome_set[i])
                end_task(i, State::Failed, why);
        }
    }

    void shutdown()
    {
        const bool cancelled = m_ctx.cancel.cancelled();
        for (Worker& w : m_workers) {
            if (cancelled)
                kill(w.pid, SIGKILL);
            close(w.fd); // an idle worker exits when its input closes
        }
        for (Worker& w : m_workers) {
            reap(w.pid, cancelled ? 0 : 2 * kNanosPerSecond);
            if (w.task >= 0)
                end_task(std::size_t(w.task), State::Cancelled, "stopped", w.pid);
        }
        m_workers.clear();
        for (std::size_t i = 0; i < m_ctx.workload.tasks.size(); ++i) {
            if (!m_outcome_set[i])
                end_task(i, State::Cancelled, "stopped before it started");
        }
    }

    RunContext& m_ctx;
    std::string m_path;
    int m_size;
    Lane& m_lane;
    WorkerLanes m_worker_lanes; // what the workers did: one lane per worker
    std::vector<Worker> m_workers;
    std::vector<bool> m_outcome_set;
    std::size_t m_next = 0;
    std::size_t m_ended = 0;
    int m_cancel_fd = -1;
};

} // namespace

std::string describe_exit_status(int status)
{
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + signal_name(WTERMSIG(status)) + ")";
    if (WIFEXITED(status))
        return "exited with code " + std::to_string(WEXITSTATUS(status));
    return "ended with wait status " + std::to_string(status);
}

std::string default_worker_path()
{
    if (const char* env = std::getenv("TIMESLICE_WORKER"); env && *env)
        return env;
    char self[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return "timeslice-worker";
    std::string path(self, std::size_t(n));
    return path.substr(0, path.rfind('/') + 1) + "timeslice-worker";
}

ProcessModel::ProcessModel(ModelOptions options)
    : m_options(std::move(options))
{
    if (m_options.worker_path.empty())
        m_options.worker_path = default_worker_path();
}

std::unique_ptr<Model> make_process_model(const ModelOptions& options) { return std::make_unique<ProcessModel>(options); }

int ProcessModel::workers_for(const Workload& workload) const noexcept
{
    const int pool = pool_size(ModelKind::Processes, m_options.workers);
    return std::max(1, std::min<int>(pool, int(workload.tasks.size())));
}

void ProcessModel::run(RunContext& ctx)
{
    Pool pool(ctx, m_options.worker_path, workers_for(ctx.workload));
    pool.run();
}

} // namespace timeslice
