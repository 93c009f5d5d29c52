#include "core/python/engine.h"

#include "core/base/parse.h"
#include "core/kernel/wait_sampler.h"
#include "core/models/process_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <unordered_map>
#include <unordered_set>

extern char** environ;

namespace timeslice {

std::string PythonInfo::version() const
{
    return fmt::format("{}.{}.{}{}", major, minor, micro, free_threaded ? " free-threaded" : "");
}

namespace {

bool is_dir(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string self_dir()
{
    char buf[4096];
    const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return ".";
    std::string path(buf, std::size_t(n));
    return path.substr(0, path.rfind('/'));
}

struct Spawned {
    pid_t pid = -1;
    int out = -1; // read end of stdout (+ stderr) when captured
    int error = 0;
};

// Starts argv[0] (looked up on PATH) in a process group of its own, with no signal blocked and
// default dispositions whatever this process set up for itself.
Spawned spawn(const std::vector<std::string>& args, const std::vector<std::string>& env, bool capture)
{
    Spawned s;
    int fds[2] = { -1, -1 };
    if (capture && ::pipe2(fds, O_CLOEXEC) != 0) {
        s.error = errno;
        return s;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (capture) {
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, fds[1], STDERR_FILENO);
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    set_child_spawn_attributes(attr);
    std::vector<char*> argv;
    for (const std::string& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (const std::string& e : env)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    s.error = posix_spawnp(&s.pid, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (capture) {
        ::close(fds[1]);
        if (s.error == 0)
            s.out = fds[0];
        else
            ::close(fds[0]);
    }
    if (s.error != 0)
        s.pid = -1;
    return s;
}

std::vector<std::string> current_environment()
{
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e)
        env.emplace_back(*e);
    return env;
}

void set_env(std::vector<std::string>& env, std::string_view name, const std::string& value)
{
    const std::string prefix = std::string(name) + "=";
    for (std::string& e : env) {
        if (e.starts_with(prefix)) {
            e = prefix + value;
            return;
        }
    }
    env.push_back(prefix + value);
}

std::string describe_status(int status)
{
    if (WIFEXITED(status))
        return fmt::format("exit status {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return fmt::format("killed by signal {}{}{}", WTERMSIG(status), name ? " (SIG" : "", name ? std::string(name) + ")" : "");
    }
    return "ended";
}

template <class T> bool parse_number(std::string_view& s, T& out)
{
    if (s.empty() || s.front() == '-') // times, ids and deadlines are never negative
        return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc {} || (p != s.data() + s.size() && *p != ' '))
        return false;
    s.remove_prefix(std::size_t(p - s.data()));
    if (!s.empty())
        s.remove_prefix(1);
    return true;
}

std::string_view next_field(std::string_view& s)
{
    const std::size_t space = s.find(' ');
    const std::string_view field = s.substr(0, space);
    s = space == std::string_view::npos ? std::string_view {} : s.substr(space + 1);
    return field;
}

} // namespace

namespace {

struct Captured {
    int error = 0; // from posix_spawn
    int status = 0; // from waitpid
    std::string text; // stdout and stderr, the first 64 KB
};

// Runs a short command to its end (killed after `timeout`), keeping what it prints.
Captured run_captured(const std::vector<std::string>& args, Nanos timeout)
{
    Captured c;
    Spawned s = spawn(args, current_environment(), true);
    c.error = s.error;
    if (s.error != 0)
        return c;
    std::string& text = c.text;
    char buf[4096];
    const Nanos deadline = monotonic_now() + timeout;
    for (;;) {
        pollfd p { s.out, POLLIN, 0 };
        const int left = int(std::max<Nanos>(0, (deadline - monotonic_now()) / kNanosPerMilli));
        if (::poll(&p, 1, left) <= 0) {
            ::kill(-s.pid, SIGKILL);
            break;
        }
        const ssize_t n = ::read(s.out, buf, sizeof buf);
        if (n <= 0)
            break;
        if (text.size() < 65536)
            text.append(buf, std::size_t(n));
    }
    ::close(s.out);
    while (::waitpid(s.pid, &c.status, 0) < 0 && errno == EINTR) {
    }
    return c;
}

} // namespace

PythonInfo find_python(const std::string& requested)
{
    PythonInfo info;
    info.executable = requested.empty() ? "python3" : requested;
    // -I -S: no site, no .pth files, no environment. Where site-packages holds many .pth
    // files (certifi's, ...) site alone costs a start-up hundreds of ms; the version needs none.
    const Captured c = run_captured({ info.executable, "-I", "-S", "-c",
                                        "import sys; print(sys.version_info[0], sys.version_info[1], sys.version_info[2], "
                                        "int(not getattr(sys, '_is_gil_enabled', lambda: True)()), sys.executable)" },
        20 * kNanosPerSecond);
    if (c.error == ENOENT)
        throw std::invalid_argument(fmt::format("Python not found: looked for '{}'{}; install python3 (3.8 or newer) or "
                                                "choose an interpreter with --python",
            info.executable, info.executable.find('/') == std::string::npos ? " on PATH" : ""));
    if (c.error != 0)
        throw std::invalid_argument(fmt::format("cannot run '{}': {}", info.executable, std::strerror(c.error)));
    const int status = c.status;
    const std::string& text = c.text;
    std::string_view line(text);
    line = line.substr(0, line.find('\n'));
    const bool parsed = WIFEXITED(status) && WEXITSTATUS(status) == 0 && parse_number(line, info.major)
        && parse_number(line, info.minor) && parse_number(line, info.micro);
    int free = 0;
    if (!parsed || !parse_number(line, free))
        throw std::invalid_argument(fmt::format("'{}' is not a Python 3 interpreter ({}: {})", info.executable,
            describe_status(status), text.substr(0, text.find('\n')).substr(0, 200)));
    info.free_threaded = free != 0;
    info.path = std::string(line);
    if (info.major != 3 || info.minor < 8)
        throw std::invalid_argument(
            fmt::format("'{}' is Python {}; Timeslice's probe needs Python 3.8 or newer", info.executable, info.version()));
    return info;
}

double cpython_ns_per_iteration(const PythonInfo& python)
{
    static std::mutex mutex;
    static std::vector<std::pair<std::string, double>> cache;
    std::lock_guard lock(mutex);
    for (const auto& [path, ns] : cache) {
        if (path == python.path)
            return ns;
    }
    // The programs' own loop, in a function as they have it (locals are faster than globals);
    // the best of three, as timeit does.
    const Captured c = run_captured({ python.executable, "-I", "-S", "-c",
                                        "import time\n"
                                        "def f(n):\n"
                                        "    total = 0\n"
                                        "    for i in range(n):\n"
                                        "        total += i * i\n"
                                        "    return total\n"
                                        "best = min((lambda t: (f(1000000), time.perf_counter_ns() - t)[1])(time.perf_counter_ns()) for _ in range(3))\n"
                                        "print(best / 1000000)\n" },
        60 * kNanosPerSecond);
    double ns = 0;
    const std::string_view text(c.text);
    std::from_chars(text.data(), text.data() + text.size(), ns);
    if (c.error != 0 || !WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0 || !(ns > 0))
        throw std::runtime_error(fmt::format("cannot measure CPython's speed with '{}': {}", python.executable, c.text.substr(0, 200)));
    cache.emplace_back(python.path, ns);
    return ns;
}

std::string python_dir()
{
    if (const char* env = std::getenv("TIMESLICE_PYTHON_DIR"); env && *env)
        return env;
    const std::string installed = self_dir() + "/../share/timeslice/python";
    if (is_dir(installed + "/probe"))
        return installed;
    return TIMESLICE_SOURCE_PYTHON_DIR;
}

bool parse_probe_line(std::string_view line, ProbeLine& out) noexcept
{
    if (line.size() < 8 || line[1] != ' ')
        return false;
    out.kind = line[0];
    line.remove_prefix(2);
    if (!parse_number(line, out.t) || !parse_number(line, out.pid) || !parse_number(line, out.tid))
        return false;
    switch (out.kind) {
    case 'P':
    case 'S':
    case 'E':
    case 'H':
    case 'G':
        out.key = {};
        out.rest = line;
        return true;
    case 'T':
    case 'R':
    case 'W':
    case 'Y':
    case 'D':
    case 'F':
    case 'C':
    case 'X':
        out.key = next_field(line);
        out.rest = line;
        return !out.key.empty();
    default:
        return false;
    }
}

std::string unescape_probe_text(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            const char c = text[++i];
            out.push_back(c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

PythonModel::PythonModel(ModelKind kind, PythonOptions options, PythonInfo python)
    : m_kind(kind)
    , m_options(std::move(options))
    , m_python(std::move(python))
{
    m_outcome.python = m_python;
}

PythonOutcome PythonModel::outcome() const
{
    std::lock_guard lock(m_mutex);
    return m_outcome;
}

namespace {

// Turns the probe's lines into the recorder's events, one task per key.
class ProbeReader {
public:
    ProbeReader(RunContext& ctx, bool builtin, Lane& lane, std::int32_t root_pid)
        : m_ctx(ctx)
        , m_builtin(builtin)
        , m_lane(lane)
        , m_root_pid(root_pid)
    {
    }

    struct Task {
        std::uint32_t index = 0;
        bool ignored = false; // asyncio's top-level task in a built-in program
        bool ended = false;
        bool thread = false; // a thread's own row
        Nanos deadline = 0; // when the sleep it waits in is due
        Nanos last = 0; // its latest event
        State state = State::Queued;
        std::int32_t tid = 0;
    };

    void line(std::string_view text)
    {
        ++m_lines;
        ProbeLine p;
        if (!parse_probe_line(text, p)) {
            ++m_bad;
            return;
        }
        switch (p.kind) {
        case 'P':
            return;
        case 'S':
            thread_started(p);
            return;
        case 'E':
            thread_ended(p);
            return;
        case 'H':
            if (std::uint64_t tstate = 0; m_ctx.waits && parse_hex(p.rest, tstate))
                m_ctx.waits->thread_state(p.pid, p.tid, tstate);
            return;
        case 'G': {
            std::string_view rest = p.rest;
            std::uint64_t address = 0;
            if (!parse_hex(next_field(rest), address))
                ++m_bad;
            else if (m_ctx.waits)
                m_ctx.waits->gil_at(p.pid, address, unescape_probe_text(rest));
            return;
        }
        case 'T':
            created(p);
            return;
        default:
            break;
        }
        const auto it = m_tasks.find(std::string(p.key));
        if (it == m_tasks.end()) {
            ++m_bad;
            return;
        }
        Task& task = it->second;
        if (task.ignored || task.ended)
            return;
        switch (p.kind) {
        case 'R':
            watch(p.pid, p.tid);
            if (m_ctx.kernel && task.state == State::Waiting && task.deadline && task.deadline < p.t) {
                // The sleep was due at its deadline; from then on the thread wanted to run, and
                // the kernel's record says how it spent the time until its next line ran (under
                // the GIL, mostly waiting for it: kernel_view.h).
                ProbeLine due = p;
                due.t = task.deadline;
                record(task, due, State::Running);
            }
            record(task, p, State::Running);
            task.deadline = 0;
            return;
        case 'W': {
            watch(p.pid, p.tid);
            record(task, p, State::Waiting);
            std::string_view rest = p.rest;
            Nanos deadline = 0;
            parse_number(rest, deadline);
            task.deadline = deadline > p.t ? deadline : 0;
            return;
        }
        case 'Y':
            // Ready from the moment its timer was due, if the loop was too busy to see it then.
            if (task.deadline && task.deadline < p.t)
                p.t = std::max(task.deadline, task.last);
            task.deadline = 0;
            record(task, p, State::Ready);
            return;
        case 'D':
            end(task, p, State::Done, unescape_probe_text(p.rest));
            return;
        case 'F':
            end(task, p, State::Failed, unescape_probe_text(p.rest));
            return;
        case 'C':
            end(task, p, State::Cancelled, unescape_probe_text(p.rest));
            return;
        case 'X': {
            // The submitter saw the future settle without the worker saying the task ended:
            // its worker died (BrokenProcessPool) or it was cancelled before it started.
            std::string_view rest = p.rest;
            const std::string_view status = next_field(rest);
            const State s = status == "C" ? State::Cancelled : status == "F" ? State::Failed : State::Done;
            end(task, p, s, unescape_probe_text(rest));
            return;
        }
        default:
            ++m_bad;
        }
    }

    // Every task not yet ended ends now: `state`, for `reason`.
    void end_all(State state, const std::string& reason)
    {
        const Nanos now = monotonic_now();
        for (auto& [key, task] : m_tasks) {
            if (task.ignored || task.ended)
                continue;
            ProbeLine p;
            p.t = std::max(now, task.last);
            p.tid = task.tid;
            // A thread that never said it ended (the main thread) ended with its program.
            if (task.thread && state != State::Cancelled)
                end(task, p, State::Done, {});
            else
                end(task, p, state, reason);
        }
        for (std::size_t i = m_next_builtin; i < m_ctx.outcomes.size(); ++i) {
            if (m_ctx.outcomes[i].status == State::Cancelled && m_ctx.outcomes[i].reason.empty())
                m_ctx.outcomes[i] = TaskOutcome { state, {}, reason.empty() ? "the program never started it" : reason };
        }
    }

    void unwatch_all()
    {
        for (const std::uint64_t k : m_watched)
            m_ctx.unwatch_thread(std::int32_t(k >> 32), std::int32_t(k & 0xffffffffu));
        m_watched.clear();
    }

    std::uint64_t lines() const { return m_lines; }
    std::uint64_t bad() const { return m_bad; }

private:
    static std::uint64_t key_of(std::int32_t pid, std::int32_t tid) { return (std::uint64_t(std::uint32_t(pid)) << 32) | std::uint32_t(tid); }

    void watch(std::int32_t pid, std::int32_t tid)
    {
        if (m_watched.insert(key_of(pid, tid)).second)
            m_ctx.watch_thread(pid, tid);
    }

    // "S kind name": every thread is watched; a threading.Thread (and the program's main
    // thread) of a user's script is a row of its own. An executor's worker threads are not:
    // their work items are the rows.
    void thread_started(const ProbeLine& p)
    {
        watch(p.pid, p.tid);
        std::string_view rest = p.rest;
        const std::string_view kind = next_field(rest);
        const bool main = p.pid == p.tid;
        if (kind != "t" || m_builtin || !m_ctx.declare_task || (main && p.pid != m_root_pid))
            return;
        Task task;
        task.thread = true;
        task.last = p.t;
        task.index = m_ctx.declare_task(unescape_probe_text(rest), true);
        auto [it, fresh] = m_tasks.emplace(thread_key(p.pid, p.tid), task);
        if (!fresh) {
            ++m_bad;
            return;
        }
        record(it->second, p, State::Running);
    }

    void thread_ended(const ProbeLine& p)
    {
        if (const auto it = m_tasks.find(thread_key(p.pid, p.tid)); it != m_tasks.end() && !it->second.ended)
            end(it->second, p, State::Done, {});
        if (m_watched.erase(key_of(p.pid, p.tid)))
            m_ctx.unwatch_thread(p.pid, p.tid);
    }

    static std::string thread_key(std::int32_t pid, std::int32_t tid) { return fmt::format("thread {}.{}", pid, tid); }

    void created(const ProbeLine& p)
    {
        std::string_view rest = p.rest;
        const std::string_view root = next_field(rest);
        Task task;
        task.last = p.t;
        if (m_builtin && root == "1") {
            task.ignored = true;
        } else if (m_builtin && m_next_builtin < m_ctx.outcomes.size()) {
            task.index = std::uint32_t(m_next_builtin++);
        } else if (m_ctx.declare_task) {
            task.index = m_ctx.declare_task(unescape_probe_text(rest), false);
        } else {
            task.ignored = true; // a built-in program made more tasks than its workload has
        }
        auto [it, fresh] = m_tasks.emplace(std::string(p.key), task);
        if (!fresh) {
            ++m_bad;
            return;
        }
        if (!it->second.ignored)
            record(it->second, p, State::Queued);
    }

    void record(Task& task, const ProbeLine& p, State state)
    {
        if (state == task.state && p.tid == task.tid && state != State::Queued)
            return; // no change
        task.state = state;
        task.tid = p.tid;
        Event e;
        e.t = p.t;
        e.task = task.index;
        e.state = state;
        e.pid = p.pid;
        e.tid = p.tid;
        e.core = -1;
        m_lane.record(e);
        task.last = std::max(task.last, p.t);
    }

    void end(Task& task, const ProbeLine& p, State state, std::string text)
    {
        task.ended = true;
        record(task, p, state);
        TaskOutcome& o = m_ctx.outcomes[task.index];
        o.status = state;
        if (state == State::Done)
            o.result = std::move(text);
        else
            o.reason = std::move(text);
    }

    RunContext& m_ctx;
    bool m_builtin;
    Lane& m_lane;
    std::int32_t m_root_pid;
    std::unordered_map<std::string, Task> m_tasks;
    std::unordered_set<std::uint64_t> m_watched;
    std::size_t m_next_builtin = 0;
    std::uint64_t m_lines = 0;
    std::uint64_t m_bad = 0;
};

struct TempFifo {
    std::string dir;
    std::string path;
    int read_fd = -1;
    int keep_fd = -1; // our own write end: readers see no end of file while writers come and go
    ~TempFifo()
    {
        if (read_fd >= 0)
            ::close(read_fd);
        if (keep_fd >= 0)
            ::close(keep_fd);
        if (!path.empty())
            ::unlink(path.c_str());
        if (!dir.empty())
            ::rmdir(dir.c_str());
    }
};

} // namespace

void PythonModel::run(RunContext& ctx)
{
    Lane& lane = ctx.recorder.make_lane();
    auto fail_all = [&](const std::string& why) {
        for (TaskOutcome& o : ctx.outcomes)
            o = TaskOutcome { State::Failed, {}, why };
        std::lock_guard lock(m_mutex);
        m_outcome.summary = why;
    };
    const PythonInfo& python = m_python;

    TempFifo fifo;
    {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/timeslice-XXXXXX";
        if (!::mkdtemp(templ.data()))
            throw std::runtime_error(fmt::format("cannot make a directory for the probe's pipe: {}", std::strerror(errno)));
        fifo.dir = templ;
        fifo.path = templ + "/probe";
        if (::mkfifo(fifo.path.c_str(), 0600) != 0)
            throw std::runtime_error(fmt::format("cannot make the probe's pipe: {}", std::strerror(errno)));
        fifo.read_fd = ::open(fifo.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        fifo.keep_fd = ::open(fifo.path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fifo.read_fd < 0 || fifo.keep_fd < 0)
            throw std::runtime_error(fmt::format("cannot open the probe's pipe: {}", std::strerror(errno)));
        ::fcntl(fifo.read_fd, F_SETPIPE_SZ, 1 << 20); // best effort: fewer stalls for busy writers
    }

    std::vector<std::string> env = current_environment();
    const std::string probe_dir = python_dir() + "/probe";
    std::string pythonpath = probe_dir;
    if (const char* old = std::getenv("PYTHONPATH"); old && *old)
        pythonpath += std::string(":") + old;
    set_env(env, "PYTHONPATH", pythonpath);
    set_env(env, "TIMESLICE_PROBE", fifo.path);
    // The interpreter find_python asked, by its own sys.executable: the version shown is the
    // one that runs, and a launcher in between (a pyenv shim is a bash script) is not paid twice.
    std::vector<std::string> args { python.path.empty() ? python.executable : python.path, m_options.program.script };
    args.insert(args.end(), m_options.program.args.begin(), m_options.program.args.end());

    Spawned child = spawn(args, env, m_options.capture_output);
    if (child.pid < 0) {
        const std::string why = fmt::format("cannot start '{}': {}", python.executable, std::strerror(child.error));
        fail_all(why);
        throw std::runtime_error(why);
    }
    const pid_t group = child.pid;

    // A Stop kills the program's whole process group (its pool's workers with it) at once.
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        ::kill(-group, SIGKILL);
        throw std::runtime_error("cannot make a pipe");
    }
    ctx.cancel.set_callback([fd = wake[1]] {
        const char c = 1;
        [[maybe_unused]] const ssize_t n = ::write(fd, &c, 1);
    });

    ProbeReader reader(ctx, m_options.builtin, lane, child.pid);
    std::string pending; // a partial probe line
    std::vector<char> buf(1 << 16);
    auto drain_probe = [&] {
        for (;;) {
            const ssize_t n = ::read(fifo.read_fd, buf.data(), buf.size());
            if (n <= 0)
                return;
            std::string_view chunk(buf.data(), std::size_t(n));
            while (!chunk.empty()) {
                const std::size_t nl = chunk.find('\n');
                if (nl == std::string_view::npos) {
                    pending.append(chunk);
                    break;
                }
                if (pending.empty()) {
                    reader.line(chunk.substr(0, nl));
                } else {
                    pending.append(chunk.substr(0, nl));
                    reader.line(pending);
                    pending.clear();
                }
                chunk.remove_prefix(nl + 1);
            }
        }
    };
    auto drain_output = [&] {
        if (child.out < 0)
            return;
        for (;;) {
            const ssize_t n = ::read(child.out, buf.data(), buf.size());
            if (n == 0) {
                ::close(child.out);
                child.out = -1;
                return;
            }
            if (n < 0)
                return;
            std::lock_guard lock(m_mutex);
            std::string& out = m_outcome.output;
            out.append(buf.data(), std::size_t(n));
            if (out.size() > m_options.output_cap) {
                const std::size_t drop = out.size() - m_options.output_cap;
                out.erase(0, drop);
                m_outcome.output_dropped += drop;
            }
        }
    };
    if (child.out >= 0)
        ::fcntl(child.out, F_SETFL, O_NONBLOCK);

    int status = 0;
    bool exited = false;
    bool stopped = false;
    while (!exited) {
        pollfd fds[3] = { { fifo.read_fd, POLLIN, 0 }, { wake[0], POLLIN, 0 }, { child.out, POLLIN, 0 } };
        ::poll(fds, child.out >= 0 ? 3 : 2, 10);
        drain_probe();
        drain_output();
        if (!stopped && ctx.cancel.cancelled()) {
            stopped = true;
            ::kill(-group, SIGKILL);
        }
        const pid_t r = ::waitpid(child.pid, &status, WNOHANG);
        exited = r == child.pid || (r < 0 && errno != EINTR);
    }
    // What the program left behind in its group (workers of a pool it did not shut down) goes
    // with it; then everything they wrote is read.
    ::kill(-group, SIGKILL);
    drain_probe();
    for (int i = 0; i < 100 && child.out >= 0; ++i) {
        pollfd p { child.out, POLLIN, 0 };
        ::poll(&p, 1, 10);
        drain_output();
    }
    if (child.out >= 0)
        ::close(child.out);
    ctx.cancel.clear_callback();
    ::close(wake[0]);
    ::close(wake[1]);

    const std::string summary = stopped ? "stopped" : describe_status(status);
    const bool ok = !stopped && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (stopped)
        reader.end_all(State::Cancelled, "stopped");
    else
        reader.end_all(State::Failed, fmt::format("the program ended ({}) before this task did", summary));
    reader.unwatch_all();
    std::lock_guard lock(m_mutex);
    m_outcome.summary = summary;
    m_outcome.ok = ok;
    m_outcome.probe_lines = reader.lines();
    m_outcome.bad_lines = reader.bad();
}

} // namespace timeslice
