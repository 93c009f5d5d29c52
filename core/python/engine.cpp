#include "core/python/engine.h"

#include "core/base/parse.h"
#include "core/kernel/wait_sampler.h"
#include "core/python/interpreter_cache.h"
#include "core/python/probe_reader.h"
#include "core/models/process_model.h"

#include <fmt/format.h>

#include <filesystem>

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
#include <map>
#include <mutex>
#include <optional>
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

namespace {

PythonInfo query_python(const std::string& requested);

} // namespace

PythonInfo find_python(const std::string& requested)
{
    // Keyed by the file the name resolves to (a virtual environment's python3 is another key than
    // the interpreter it links to: its sys.path differs).
    static InterpreterCache<PythonInfo> cache;
    const std::string file = resolve_executable(requested.empty() ? "python3" : requested);
    const std::string key = requested + '\0' + file;
    if (auto known = cache.find(key, file)) {
        known->executable = requested.empty() ? "python3" : requested;
        return *known;
    }
    PythonInfo info = query_python(requested);
    cache.keep(key, file, info);
    return info;
}

namespace {

PythonInfo query_python(const std::string& requested)
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
                                                "choose another interpreter (the window's Python field; --python on the command line)",
            info.executable, info.executable.find('/') == std::string::npos ? " on PATH" : ""));
    if (c.error != 0)
        throw std::invalid_argument(fmt::format("cannot run '{}': {}", info.executable, std::strerror(c.error)));
    const int status = c.status;
    const std::string& text = c.text;
    std::string_view line(text);
    line = line.substr(0, line.find('\n'));
    const bool parsed = WIFEXITED(status) && WEXITSTATUS(status) == 0 && take_number(line, info.major)
        && take_number(line, info.minor) && take_number(line, info.micro);
    int free = 0;
    if (!parsed || !take_number(line, free))
        throw std::invalid_argument(fmt::format("'{}' is not a Python 3 interpreter ({}: {})", info.executable,
            describe_status(status), text.substr(0, text.find('\n')).substr(0, 200)));
    info.free_threaded = free != 0;
    info.path = std::string(line);
    if (info.major != 3 || info.minor < 8)
        throw std::invalid_argument(
            fmt::format("'{}' is Python {}; Timeslice's probe needs Python 3.8 or newer", info.executable, info.version()));
    return info;
}

// `origin`: the file the module was found in (its package's __init__.py).
ImportCheck check_import_now(const PythonInfo& python, const std::string& module, std::string& origin)
{
    // -I: no PYTHON* variables and no user site, as a clean start; site-packages stay.
    // Found, not imported: importing distributed takes 0.2 s here (and more from a cold disk),
    // on the thread that pressed Run. Its version is its installed metadata.
    const Captured c = run_captured({ python.path.empty() ? python.executable : python.path, "-I", "-c",
                                        "import sys, importlib.util\n"
                                        "name = sys.argv[1]\n"
                                        "spec = importlib.util.find_spec(name)\n"
                                        "if spec is None:\n"
                                        "    sys.exit(f\"ModuleNotFoundError: No module named '{name}'\")\n"
                                        "print('origin', spec.origin or '')\n"
                                        "try:\n"
                                        "    from importlib.metadata import version\n"
                                        "    print(version(name))\n"
                                        "except Exception:\n"
                                        "    print('?')\n",
                                        module },
        60 * kNanosPerSecond);
    ImportCheck check;
    std::string text = c.text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    const std::string last = text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
    check.ok = c.error == 0 && WIFEXITED(c.status) && WEXITSTATUS(c.status) == 0;
    if (check.ok) {
        check.version = last;
        const std::size_t at = text.rfind("origin ");
        if (at != std::string::npos && (at == 0 || text[at - 1] == '\n'))
            origin = text.substr(at + 7, text.find('\n', at) - (at + 7));
    }
    else
        check.error = c.error != 0 ? std::string(std::strerror(c.error)) : last.empty() ? describe_status(c.status) : last;
    return check;
}

} // namespace

ImportCheck check_import(const PythonInfo& python, const std::string& module)
{
    // Kept while the interpreter and the file the module was found in are the same: a module
    // removed, upgraded or installed again in another environment is asked again.
    struct Found {
        std::string version;
        std::string origin;
        FileIdentity origin_id;
    };
    static InterpreterCache<Found> cache;
    const std::string file = python.path.empty() ? resolve_executable(python.executable) : python.path;
    const std::string key = file + '\0' + module;
    if (auto found = cache.find(key, file); found && file_identity(found->origin) == found->origin_id)
        return ImportCheck { true, found->version, {} };
    std::string origin;
    ImportCheck check = check_import_now(python, module, origin);
    if (const auto id = check.ok ? file_identity(origin) : std::nullopt)
        cache.keep(key, file, Found { check.version, origin, *id });
    return check;
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
        if (!dir.empty()) {
            // What the program's Dask workers kept there (DASK_TEMPORARY_DIRECTORY) goes too,
            // even when they were killed: the directory is this run's own.
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    }

    // Makes the pipe in a directory of its own under $TMPDIR (or /tmp); throws on failure.
    void open()
    {
        const char* tmp = std::getenv("TMPDIR");
        std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/timeslice-XXXXXX";
        if (!::mkdtemp(templ.data()))
            throw std::runtime_error(fmt::format("cannot make a directory for the probe's pipe: {}", std::strerror(errno)));
        dir = templ;
        path = templ + "/probe";
        if (::mkfifo(path.c_str(), 0600) != 0)
            throw std::runtime_error(fmt::format("cannot make the probe's pipe: {}", std::strerror(errno)));
        read_fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        keep_fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (read_fd < 0 || keep_fd < 0)
            throw std::runtime_error(fmt::format("cannot open the probe's pipe: {}", std::strerror(errno)));
        ::fcntl(read_fd, F_SETPIPE_SZ, 1 << 20); // best effort: fewer stalls for busy writers
    }
};

// The program's environment: ours, with the probe first on PYTHONPATH (its sitecustomize
// installs it) and the pipe it writes to.
std::vector<std::string> probe_environment(const std::string& pipe)
{
    std::vector<std::string> env = current_environment();
    std::string pythonpath = python_dir() + "/probe";
    if (const char* old = std::getenv("PYTHONPATH"); old && *old)
        pythonpath += std::string(":") + old;
    set_env(env, "PYTHONPATH", pythonpath);
    set_env(env, "TIMESLICE_PROBE", pipe);
    // A Dask cluster's workers keep their files beside the pipe, in the run's own directory,
    // which goes with the run: a Stop leaves no stale worker directories behind.
    set_env(env, "DASK_TEMPORARY_DIRECTORY", pipe.substr(0, pipe.rfind('/')) + "/dask");
    return env;
}

// What the program writes: the probe's lines, read into the reader line by line, and its own
// output, kept (the last `cap` bytes) for the window.
struct ProgramStreams {
    int probe_fd;
    int out_fd; // -1 once it has closed, or when the output passes through
    ProbeReader& reader;
    std::string pending {}; // a partial probe line
    std::vector<char> buf = std::vector<char>(1 << 16);

    void drain_probe()
    {
        for (;;) {
            const ssize_t n = ::read(probe_fd, buf.data(), buf.size());
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
    }

    void drain_output(std::mutex& mutex, PythonOutcome& outcome, std::size_t cap)
    {
        if (out_fd < 0)
            return;
        for (;;) {
            const ssize_t n = ::read(out_fd, buf.data(), buf.size());
            if (n == 0) {
                ::close(out_fd);
                out_fd = -1;
                return;
            }
            if (n < 0)
                return;
            std::lock_guard lock(mutex);
            std::string& out = outcome.output;
            out.append(buf.data(), std::size_t(n));
            if (out.size() > cap) {
                const std::size_t drop = out.size() - cap;
                out.erase(0, drop);
                outcome.output_dropped += drop;
            }
        }
    }
};

// How the program ended, into the outcome; every task still going ends with it.
void settle(ProbeReader& reader, bool stopped, int status, std::mutex& mutex, PythonOutcome& outcome)
{
    const std::string summary = stopped ? "stopped" : describe_status(status);
    if (stopped)
        reader.end_all(State::Cancelled, "stopped");
    else
        reader.end_all(State::Failed, fmt::format("the program ended ({}) before this task did", summary));
    reader.unwatch_all();
    std::lock_guard lock(mutex);
    outcome.summary = summary;
    outcome.ok = !stopped && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    outcome.probe_lines = reader.lines();
    outcome.cluster = reader.cluster_note();
    outcome.bad_lines = reader.bad();
}

} // namespace

void PythonModel::run(RunContext& ctx)
{
    auto fail_all = [&](const std::string& why) {
        for (std::size_t i = 0; i < ctx.outcomes.size(); ++i)
            ctx.outcomes.set(i, TaskOutcome { State::Failed, {}, why });
        std::lock_guard lock(m_mutex);
        m_outcome.summary = why;
    };
    const PythonInfo& python = m_python;

    TempFifo fifo;
    fifo.open(); // throws
    const std::vector<std::string> env = probe_environment(fifo.path);
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

    ProbeReader reader(ctx, m_options.builtin, child.pid);
    ProgramStreams io { fifo.read_fd, child.out, reader };
    const auto drain_output = [&] { io.drain_output(m_mutex, m_outcome, m_options.output_cap); };
    if (io.out_fd >= 0)
        ::fcntl(io.out_fd, F_SETFL, O_NONBLOCK);

    int status = 0;
    bool exited = false;
    bool stopped = false;
    while (!exited) {
        pollfd fds[3] = { { fifo.read_fd, POLLIN, 0 }, { wake[0], POLLIN, 0 }, { io.out_fd, POLLIN, 0 } };
        ::poll(fds, io.out_fd >= 0 ? 3 : 2, 10);
        io.drain_probe();
        reader.find_unnamed_threads(monotonic_now());
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
    io.drain_probe();
    for (int i = 0; i < 100 && io.out_fd >= 0; ++i) {
        pollfd p { io.out_fd, POLLIN, 0 };
        ::poll(&p, 1, 10);
        drain_output();
    }
    if (io.out_fd >= 0)
        ::close(io.out_fd);
    ctx.cancel.clear_callback();
    ::close(wake[0]);
    ::close(wake[1]);

    settle(reader, stopped, status, m_mutex, m_outcome);
}

} // namespace timeslice
