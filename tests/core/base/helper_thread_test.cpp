#include "core/base/helper_thread.h"

#include <gtest/gtest.h>

#include <dirent.h>
#include <sched.h>

#include <algorithm>
#include <fstream>
#include <future>
#include <set>
#include <string>

using namespace timeslice;

namespace {

std::set<int> own_threads()
{
    std::set<int> tids;
    DIR* dir = opendir("/proc/self/task");
    if (!dir)
        return tids;
    while (const dirent* e = readdir(dir)) {
        if (e->d_name[0] != '.')
            tids.insert(std::stoi(e->d_name));
    }
    closedir(dir);
    return tids;
}

} // namespace

TEST(HelperThread, HasBeenOnACoreByTheKernelsCountBeforeItsMakerGoesOn)
{
    // Maker and helper on one core (a thread inherits its maker's): a thread made by
    // std::thread alone then waits until its maker sleeps or is preempted, so it has not run
    // when the maker looks. This one must have.
    cpu_set_t all;
    ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
    // A sanitizer may start a thread of its own with the process's first: that one comes now.
    std::thread([] { }).join();
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    const std::set<int> before = own_threads();
    std::thread t = start_helper_thread([released] { released.wait(); });
    const std::set<int> after = own_threads();
    std::vector<int> made;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(), std::back_inserter(made));
    // schedstat's first field: the thread's time on a core, in nanoseconds.
    long long on_core = -1;
    if (made.size() == 1) {
        std::ifstream in("/proc/self/task/" + std::to_string(made[0]) + "/schedstat");
        in >> on_core;
    }
    // Let go before checking: a failed check must not leave a thread waiting, or the core pinned.
    release.set_value();
    t.join();
    sched_setaffinity(0, sizeof all, &all);
    ASSERT_EQ(made.size(), 1u) << "one thread made";
    EXPECT_GT(on_core, 0) << "the helper had not been on a core when its maker went on";
}

TEST(HelperThread, RunsItsBodyOnceAndTheBodyKeepsWhatItWasGiven)
{
    auto owned = std::make_unique<int>(41); // move-only, as a helper's state may be
    int seen = 0;
    int calls = 0;
    std::thread t = start_helper_thread([owned = std::move(owned), &seen, &calls] {
        seen = *owned + 1;
        ++calls;
    });
    t.join();
    EXPECT_EQ(seen, 42);
    EXPECT_EQ(calls, 1);
}
