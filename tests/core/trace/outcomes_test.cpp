#include "core/trace/outcomes.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

using namespace timeslice;

TEST(Outcomes, ANewSlotIsCancelledWithNothingElse)
{
    Outcomes o(3);
    ASSERT_EQ(o.size(), 3u);
    const TaskOutcome t = o.get(1);
    EXPECT_EQ(t.status, State::Cancelled);
    EXPECT_TRUE(t.result.empty());
    EXPECT_TRUE(t.reason.empty());
    EXPECT_TRUE(t.worker.empty());
    EXPECT_EQ(t.cpu_time, -1);
    EXPECT_EQ(o.add(), 3u);
    EXPECT_EQ(o.status(3), State::Cancelled);
}

TEST(Outcomes, ASlotGivesBackEveryFieldItWasGiven)
{
    Outcomes o(2);
    const std::string long_reason(200, 'r'); // past ShortText's inline bytes
    o.set(0, TaskOutcome { State::Failed, "14.5", long_reason, 1234, "tcp://10.0.0.7:39999" });
    o.set(1, TaskOutcome { State::Done, "1", {}, 5 });
    const TaskOutcome a = o.get(0);
    EXPECT_EQ(a.status, State::Failed);
    EXPECT_EQ(a.result, "14.5");
    EXPECT_EQ(a.reason, long_reason);
    EXPECT_EQ(a.cpu_time, 1234);
    EXPECT_EQ(a.worker, "tcp://10.0.0.7:39999");
    const TaskOutcome b = o.get(1);
    EXPECT_EQ(b.status, State::Done);
    EXPECT_EQ(b.result, "1");
    EXPECT_TRUE(b.reason.empty());
    EXPECT_TRUE(b.worker.empty());
    EXPECT_EQ(b.cpu_time, 5);
}

TEST(Outcomes, AStatusChangeKeepsTheNotesAndANewOutcomeReplacesThem)
{
    Outcomes o(1);
    o.set_reason(0, "ran again on another worker");
    o.set_worker(0, "tcp://127.0.0.1:1");
    o.set_status(0, State::Done);
    EXPECT_EQ(o.status(0), State::Done);
    EXPECT_EQ(o.reason(0), "ran again on another worker");
    EXPECT_EQ(o.worker(0), "tcp://127.0.0.1:1");

    o.set(0, TaskOutcome { State::Failed, {}, "boom" });
    EXPECT_EQ(o.status(0), State::Failed);
    EXPECT_EQ(o.reason(0), "boom");
    EXPECT_TRUE(o.worker(0).empty()) << "a whole outcome replaces the worker too";

    o.set(0, TaskOutcome { State::Done, "2", {} });
    EXPECT_EQ(o.status(0), State::Done);
    EXPECT_TRUE(o.reason(0).empty());
    o.set_status(0, State::Cancelled);
    EXPECT_EQ(o.status(0), State::Cancelled) << "no note left behind a flag";
}

TEST(Outcomes, ShrinkingDropsTheNotesOfSlotsThatGo)
{
    Outcomes o(4);
    o.set_reason(3, "stopped");
    o.resize(3);
    o.resize(4);
    EXPECT_TRUE(o.reason(3).empty());
    EXPECT_EQ(o.status(3), State::Cancelled);
}

TEST(Outcomes, AMovedTableKeepsItsSlotsAndLeavesAnEmptyOne)
{
    Outcomes a(2);
    a.set(1, TaskOutcome { State::Failed, {}, "why" });
    Outcomes b(std::move(a));
    EXPECT_EQ(a.size(), 0u); // NOLINT(bugprone-use-after-move): moved-from is empty, usable
    a.resize(1);
    EXPECT_TRUE(a.reason(0).empty());
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b.reason(1), "why");
    Outcomes c;
    c = std::move(b);
    EXPECT_EQ(c.get(1).status, State::Failed);
    c.clear();
    EXPECT_EQ(c.size(), 0u);
}

// Threads write their own slots at once, notes included (a pool's workers: failures, stops), while
// another reads finished slots' notes; ThreadSanitizer checks the sharing.
TEST(Outcomes, ManyThreadsWriteTheirOwnSlotsAtOnce)
{
    constexpr int kThreads = 4;
    constexpr int kEach = 2000;
    Outcomes o(kThreads * kEach);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&o, t] {
            for (int k = 0; k < kEach; ++k) {
                const std::size_t i = std::size_t(t) * kEach + std::size_t(k);
                if (k % 3 == 0)
                    o.set(i, TaskOutcome { State::Failed, {}, "failed " + std::to_string(i), k });
                else
                    o.set(i, TaskOutcome { State::Done, std::to_string(i), {}, k });
                if (k > 0)
                    (void)o.reason(i - 1);
            }
        });
    }
    for (auto& th : threads)
        th.join();
    for (std::size_t i = 0; i < o.size(); ++i) {
        const int k = int(i % kEach);
        const TaskOutcome x = o.get(i);
        if (k % 3 == 0) {
            ASSERT_EQ(x.status, State::Failed) << i;
            ASSERT_EQ(x.reason, "failed " + std::to_string(i));
        } else {
            ASSERT_EQ(x.status, State::Done) << i;
            ASSERT_EQ(x.result, std::to_string(i));
            ASSERT_TRUE(x.reason.empty());
        }
        ASSERT_EQ(x.cpu_time, k);
    }
}
