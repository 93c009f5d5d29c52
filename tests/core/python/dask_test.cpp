// The dask model: the article's programs on a Dask cluster (a LocalCluster the run starts, or a
// scheduler and workers started outside Timeslice), and a user's own Dask script. Each test
// asserts what load cannot bend: which worker ran what, overlaps, counts, exact results, that
// nothing of the run is left running.
#include "core/python/dask.h"
#include "python_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <fstream>
#include <map>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

using namespace timeslice;
using namespace timeslice::test;

namespace {

RunConfig dask(const std::string& workload)
{
    RunConfig c = cpython(workload, ModelKind::Dask);
    c.kernel.mode = KernelMode::Off;
    return c;
}

// A user's Dask script at `path` (removed afterwards) run to its end under the interpreter
// the dask model finds.
std::shared_ptr<const Trace> run_dask_script(const std::string& path, const std::vector<std::string>& args = {})
{
    RunConfig c = script_config(path, args);
    c.python.executable = find_dask_python("").executable;
    auto trace = run_to_end(c);
    ::unlink(path.c_str());
    return trace;
}

// Spans of `state` that two rows spend at the same moment, on different workers.
bool at_once_on_two_workers(const Trace& trace, State state)
{
    for (const TaskTrace& a : trace.tasks) {
        for (const TaskTrace& b : trace.tasks) {
            if (a.worker.empty() || a.worker == b.worker)
                continue;
            for (const Span& x : spans_in(a, state)) {
                for (const Span& y : spans_in(b, state)) {
                    if (x.start < y.end && y.start < x.end)
                        return true;
                }
            }
        }
    }
    return false;
}

// The most rows in `state` at one moment.
int most_at_once(const Trace& trace, State state)
{
    std::vector<std::pair<Nanos, int>> edges;
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& s : spans_in(t, state)) {
            edges.emplace_back(s.start, 1);
            edges.emplace_back(s.end, -1);
        }
    }
    std::sort(edges.begin(), edges.end()); // an end sorts before a start at the same moment
    int now = 0, most = 0;
    for (const auto& [t, d] : edges)
        most = std::max(most, now += d);
    return most;
}

// Each row's worker and running spans, for a failure's message.
std::string rows_seen(const Trace& trace)
{
    std::string out;
    for (const TaskTrace& t : trace.tasks) {
        out += "\n  " + t.name + " on " + (t.worker.empty() ? "?" : t.worker) + ":";
        for (const Span& s : spans_in(t, State::Running))
            out += " [" + std::to_string(s.start / 1'000'000) + ", " + std::to_string(s.end / 1'000'000) + ") ms";
    }
    return out + "\n  cluster: " + trace.info.cluster;
}

std::string sum_of_squares(std::uint64_t n)
{
    const unsigned __int128 v = (unsigned __int128)(n - 1) * n * (2 * n - 1) / 6;
    std::string s;
    unsigned __int128 x = v;
    do {
        s.insert(s.begin(), char('0' + int(x % 10)));
        x /= 10;
    } while (x);
    return s;
}

// Every process that ran a row is gone (or a zombie its new parent has yet to reap) within a
// few seconds of the run's end.
void expect_gone(const std::set<int>& pids)
{
    for (const int pid : pids) {
        bool gone = false;
        for (int i = 0; i < 100 && !gone; ++i) {
            std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
            std::string text;
            std::getline(stat, text);
            const auto paren = text.rfind(')');
            gone = !stat.good() || text.empty() || (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z');
            if (!gone)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        EXPECT_TRUE(gone) << "process " << pid << " of the run is still running";
    }
}

// Processes whose environment holds `entry`.
std::set<int> processes_with(const std::string& entry)
{
    std::set<int> pids;
    for (const auto& d : std::filesystem::directory_iterator("/proc")) {
        const std::string name = d.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(d.path() / "environ");
        std::string e;
        while (std::getline(in, e, '\0')) {
            if (e.starts_with(entry)) {
                pids.insert(std::stoi(name));
                break;
            }
        }
    }
    return pids;
}

std::set<int> worker_pids(const Trace& trace)
{
    std::set<int> pids;
    for (const TaskTrace& t : trace.tasks) {
        for (const Span& s : spans_in(t, State::Running)) {
            if (s.pid() > 0)
                pids.insert(s.pid());
        }
    }
    return pids;
}

// A process of the test's own (a scheduler or a worker started outside Timeslice), killed when
// the test ends.
struct Outside {
    pid_t pid = -1;
    explicit Outside(std::vector<std::string> args)
    {
        std::vector<char*> argv;
        for (std::string& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
        if (posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0)
            pid = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~Outside()
    {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    bool running() const { return pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0; }
};

std::string wait_for_address(const std::string& scheduler_file)
{
    for (int i = 0; i < 600; ++i) {
        std::ifstream in(scheduler_file);
        try {
            const auto j = nlohmann::json::parse(in);
            if (j.contains("address"))
                return j["address"];
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return {};
}

} // namespace

TEST(Dask, ALocalClusterOfTwoWorkersComputesOnBothAtOnceWithExactResultsAndLeavesNothingRunning)
{
    REQUIRE_DASK();
    RunConfig c = dask("square-numbers");
    c.model_options.workers = 2;
    c.workload_options.tasks = 4;
    c.workload_options.iterations = 6'000'000; // about 0.3 s a task in CPython
    Runner runner(c);
    runner.start();
    runner.wait();
    const auto trace = runner.snapshot();
    EXPECT_EQ(trace->info.exit, "exit status 0") << runner.python_outcome().output;
    EXPECT_EQ(trace->info.model, "dask");
    EXPECT_EQ(trace->info.workers, 2);
    ASSERT_EQ(trace->tasks.size(), 4u);
    std::set<std::string> workers;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        EXPECT_EQ(t.result, sum_of_squares(6'000'000)) << t.name;
        EXPECT_TRUE(t.worker.starts_with("tcp://127.0.0.1:")) << t.worker;
        EXPECT_FALSE(spans_in(t, State::Running).empty()) << t.name;
        workers.insert(t.worker);
    }
    EXPECT_EQ(workers.size(), 2u);
    EXPECT_TRUE(at_once_on_two_workers(*trace, State::Running));
    EXPECT_NE(trace->info.cluster.find("Dask clocks"), std::string::npos) << trace->info.cluster;
    EXPECT_NE(trace->info.cluster.find("4 of 4 ran on workers this machine's kernel view reaches"), std::string::npos)
        << trace->info.cluster;
    // What the cluster cost a task, against what it computed.
    EXPECT_NE(trace->info.cluster.find("per task, mean: "), std::string::npos) << trace->info.cluster;
    EXPECT_NE(trace->info.cluster.find(" ms compute"), std::string::npos) << trace->info.cluster;
    // The workers were the run's: their processes went with it.
    const std::set<int> pids = worker_pids(*trace);
    EXPECT_EQ(pids.size(), 2u);
    expect_gone(pids);
}

TEST(Dask, TableLoadingWaitsThreeTablesAtOnceOnTwoWorkersOfTwoThreads)
{
    REQUIRE_DASK();
    RunConfig c = dask("table-loading");
    c.workload_options.waits = { 1.0, 1.0, 1.0 };
    c.workload_options.scale = 1.0;
    c.model_options.workers = 2;
    c.model_options.worker_threads = 2;
    const auto trace = run_to_end(c);
    ASSERT_EQ(trace->tasks.size(), 3u);
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        EXPECT_EQ(t.result, t.name); // load_data returns its table's name
    }
    // Each task's time on its worker is one piece of Dask's "compute" (a sleep, to Dask).
    EXPECT_EQ(most_at_once(*trace, State::Running), 3) << rows_seen(*trace);
}

TEST(Dask, AUsersMapOfFiftyItemsGivesFiftyRowsByKeyAndTheOneThatRaisesFailsWithItsMessage)
{
    REQUIRE_DASK();
    const std::string path = script("dask_map.py", R"(
from distributed import Client, LocalCluster

def square(x):
    if x == 7:
        raise ValueError("seven is not allowed")
    return x * x

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        futures = client.map(square, range(50))
        results = client.gather(futures, errors="skip")
        print("sum", sum(results))
)");
    const auto trace = run_dask_script(path);
    ASSERT_EQ(trace->info.exit, "exit status 0");
    std::vector<const TaskTrace*> rows;
    for (const TaskTrace& t : trace->tasks) {
        if (t.name.starts_with("square-"))
            rows.push_back(&t);
    }
    ASSERT_EQ(rows.size(), 50u);
    std::set<std::string> names;
    int failed = 0;
    for (const TaskTrace* t : rows) {
        names.insert(t->name);
        EXPECT_TRUE(t->worker.starts_with("tcp://127.0.0.1:")) << t->name;
        if (t->status == State::Failed) {
            ++failed;
            EXPECT_EQ(t->reason, "ValueError: seven is not allowed");
        } else {
            EXPECT_EQ(t->status, State::Done) << t->name << ": " << t->reason;
        }
    }
    EXPECT_EQ(names.size(), 50u);
    EXPECT_EQ(failed, 1);
    // Dask's own threads and event-loop coroutines are machinery, not rows.
    for (const TaskTrace& t : trace->tasks)
        EXPECT_TRUE(t.name.starts_with("square-") || t.thread_row) << t.name;
}

TEST(Dask, AClientClosedWhileTheProbeIsReadingItsTasksKeepsEveryRow)
{
    REQUIRE_DASK();
    // The program closes its client while the probe's own thread is in the middle of reading
    // the finished tasks (held there by a slow run_on_scheduler). Every row still gets its times.
    const std::string path = script("dask_close_while_read.py", R"(
import threading
from distributed import Client, LocalCluster

reading = threading.Event()
read = Client.run_on_scheduler

def slow_read(self, *args, **kwargs):
    if threading.current_thread() is not threading.main_thread():
        reading.set()
        threading.Event().wait(1.0)
    return read(self, *args, **kwargs)

Client.run_on_scheduler = slow_read

def square(x):
    return x * x

if __name__ == "__main__":
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        client = Client(cluster)
        print("sum", sum(client.gather(client.map(square, range(4)))))
        if not reading.wait(60):
            raise SystemExit("the probe never read the finished tasks")
        client.close()
)");
    const auto trace = run_dask_script(path);
    ASSERT_EQ(trace->info.exit, "exit status 0");
    int rows = 0;
    for (const TaskTrace& t : trace->tasks) {
        if (!t.name.starts_with("square-"))
            continue;
        ++rows;
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        EXPECT_TRUE(t.worker.starts_with("tcp://127.0.0.1:")) << t.name;
        EXPECT_FALSE(spans_in(t, State::Running).empty()) << t.name;
    }
    EXPECT_EQ(rows, 4);
    EXPECT_NE(trace->info.cluster.find("Dask clocks: the scheduler's is"), std::string::npos) << trace->info.cluster;
}

TEST(Dask, StopEndsTheLocalClustersProcesses)
{
    REQUIRE_DASK();
    // The probe's pipe is made under TMPDIR: every process of this run (the program, its
    // cluster's workers) carries that path in its environment, and no other process does.
    const std::string tmp = temp_path("dask-stop");
    ::mkdir(tmp.c_str(), 0700);
    ::setenv("TMPDIR", tmp.c_str(), 1);
    RunConfig c = dask("table-loading");
    c.workload_options.waits = { 60.0, 60.0 };
    c.workload_options.scale = 1.0;
    c.model_options.workers = 2;
    Runner runner(c);
    runner.start();
    std::set<int> pids;
    for (int i = 0; i < 1200 && pids.size() < 3; ++i) { // the program and both workers
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        pids = processes_with("TIMESLICE_PROBE=" + tmp + "/");
    }
    ASSERT_GE(pids.size(), 3u);
    std::this_thread::sleep_for(std::chrono::seconds(1)); // the tasks are on their workers
    runner.cancel();
    runner.wait();
    ::unsetenv("TMPDIR");
    ::rmdir(tmp.c_str());
    const auto trace = runner.snapshot();
    EXPECT_EQ(trace->info.exit, "stopped");
    for (const TaskTrace& t : trace->tasks)
        EXPECT_EQ(t.status, State::Cancelled) << t.name;
    expect_gone(pids);
}

TEST(Dask, AScheduler_And_TwoWorkersStartedOutsideRunTheTasksOnBothAndAreLeftRunning)
{
    REQUIRE_DASK();
    const std::string file = temp_path("dask-scheduler.json");
    ::unlink(file.c_str());
    const std::string bin = "/usr/bin/"; // Debian's python3-distributed
    if (::access((bin + "dask-scheduler").c_str(), X_OK) != 0)
        SKIP_OR_FAIL_FOR_LACK_OF("no dask-scheduler command in /usr/bin (Debian's python3-distributed has it)");
    Outside scheduler({ bin + "dask-scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", file });
    const std::string address = wait_for_address(file);
    ASSERT_FALSE(address.empty()) << "the scheduler never wrote its address";
    Outside a({ bin + "dask-worker", "--scheduler-file", file, "--nthreads", "1", "--no-dashboard", "--no-nanny", "--host", "127.0.0.1" });
    Outside b({ bin + "dask-worker", "--scheduler-file", file, "--nthreads", "1", "--no-dashboard", "--no-nanny", "--host", "127.0.0.1" });
    // Both workers have joined when a one-line client says so.
    const std::string wait_script = script("dask_wait.py", "import sys\nfrom distributed import Client\n"
                                                            "Client(sys.argv[1], timeout='60s').wait_for_workers(2, timeout=120)\n");
    const std::string python = find_dask_python("").path;
    ASSERT_EQ(std::system((python + " " + wait_script + " " + address).c_str()), 0);
    ::unlink(wait_script.c_str());

    RunConfig c = dask("square-numbers");
    c.model_options.scheduler = address;
    c.workload_options.tasks = 4;
    c.workload_options.iterations = 6'000'000;
    const auto trace = run_to_end(c);
    ::unlink(file.c_str());
    EXPECT_EQ(trace->info.exit, "exit status 0");
    EXPECT_EQ(trace->info.workers, 2);
    ASSERT_EQ(trace->tasks.size(), 4u);
    std::set<std::string> workers;
    for (const TaskTrace& t : trace->tasks) {
        EXPECT_EQ(t.status, State::Done) << t.name << ": " << t.reason;
        EXPECT_EQ(t.result, sum_of_squares(6'000'000));
        workers.insert(t.worker);
        // Workers started outside the run: no kernel view reaches them, and none is claimed.
        for (const Span& s : spans_in(t, State::Running))
            EXPECT_EQ(s.pid(), 0) << t.name;
    }
    EXPECT_EQ(workers.size(), 2u);
    EXPECT_TRUE(at_once_on_two_workers(*trace, State::Running));
    EXPECT_NE(trace->info.cluster.find("0 of 4 ran on workers this machine's kernel view reaches"), std::string::npos)
        << trace->info.cluster;
    // Timeslice started nothing there and stopped nothing of theirs.
    EXPECT_TRUE(scheduler.running());
    EXPECT_TRUE(a.running());
    EXPECT_TRUE(b.running());
}

TEST(Dask, ASchedulerAddressIsCheckedBeforeAnythingStarts)
{
    EXPECT_EQ(check_scheduler_address("tcp://127.0.0.1:8786"), "");
    EXPECT_EQ(check_scheduler_address("tls://scheduler.example:8786"), "");
    EXPECT_EQ(check_scheduler_address("127.0.0.1:8786"), "");
    EXPECT_EQ(check_scheduler_address("tcp://[::1]:8786"), "");
    EXPECT_NE(check_scheduler_address("").find("empty"), std::string::npos);
    EXPECT_NE(check_scheduler_address("tcp://127.0.0.1").find("names no port"), std::string::npos);
    EXPECT_NE(check_scheduler_address("tcp://127.0.0.1:0").find("not a number from 1 to 65535"), std::string::npos);
    EXPECT_NE(check_scheduler_address("tcp://127.0.0.1:99999").find("not a number from 1 to 65535"), std::string::npos);
    EXPECT_NE(check_scheduler_address("http://127.0.0.1:8786").find("not http://"), std::string::npos);
    EXPECT_NE(check_scheduler_address("tcp://:8786").find("names no host"), std::string::npos);
    EXPECT_NE(check_scheduler_address("tcp://a b:8786").find("is not a host name"), std::string::npos);
    // Port 1 on this machine: nothing listens there.
    try {
        require_scheduler("tcp://127.0.0.1:1");
        ADD_FAILURE() << "port 1 answered";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("cannot reach the Dask scheduler at tcp://127.0.0.1:1: Connection refused"),
            std::string::npos)
            << e.what();
    }
}

TEST(Dask, AnInterpreterWithoutDistributedIsNamedWithHowToInstallIt)
{
    REQUIRE_PYTHON();
    // A virtual environment of this machine's Python without its packages.
    const std::string venv = temp_path("venv-no-dask");
    const std::string python = find_python("").path;
    ASSERT_EQ(std::system((python + " -m venv --without-pip " + venv + " >/dev/null 2>&1").c_str()), 0);
    try {
        find_dask_python(venv + "/bin/python3");
        ADD_FAILURE() << "a bare venv imported distributed";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("cannot import distributed: ModuleNotFoundError: No module named 'distributed'"), std::string::npos)
            << what;
        EXPECT_NE(what.find("apt install python3-distributed"), std::string::npos) << what;
    }
    std::system(("rm -rf " + venv).c_str());
}

namespace {

// A worker killed with SIGKILL under its task, Dask allowing `allowed` such failures: the row of
// the task it ran.
void kill_a_worker_under_its_task(int allowed)
{
    {
        const std::string marker = temp_path("killed-once");
        ::unlink(marker.c_str());
        const std::string path = script("dask_kill.py", R"(
import os, signal, sys
import dask
from distributed import Client, LocalCluster

def fragile(x, marker):
    if not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return x * 2

if __name__ == "__main__":
    dask.config.set({"distributed.scheduler.allowed-failures": int(sys.argv[2])})
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, Client(cluster) as client:
        future = client.submit(fragile, 21, sys.argv[1])
        try:
            print("result", future.result())
        except Exception as error:
            print("failed", type(error).__name__)
)");
        const auto trace = run_dask_script(path, { marker, std::to_string(allowed) });
        ::unlink(marker.c_str());
        EXPECT_EQ(trace->info.exit, "exit status 0") << allowed;
        const TaskTrace* row = nullptr;
        for (const TaskTrace& t : trace->tasks) {
            if (t.name.starts_with("fragile-"))
                row = &t;
        }
        ASSERT_NE(row, nullptr) << allowed;
        if (allowed > 0) {
            EXPECT_EQ(row->status, State::Done) << row->reason;
            EXPECT_EQ(row->result, "42");
            EXPECT_EQ(row->reason, "its worker died while running it; Dask ran it again (1 time)");
        } else {
            EXPECT_EQ(row->status, State::Failed);
            EXPECT_TRUE(row->reason.starts_with("KilledWorker: ")) << row->reason;
        }
    }
}

} // namespace

// Dask runs the task again elsewhere: the row is done, and says so.
TEST(Dask, AWorkerKilledUnderItsTaskIsRetriedAndTheRowSaysSo)
{
    REQUIRE_DASK();
    kill_a_worker_under_its_task(3);
}

// Allowed no failures, Dask fails the task with KilledWorker: the row says that.
TEST(Dask, AWorkerKilledUnderItsTaskWithNoFailuresAllowedFailsWithKilledWorker)
{
    REQUIRE_DASK();
    kill_a_worker_under_its_task(0);
}
