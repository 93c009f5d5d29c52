#include "core/trace/trace.h"
#include "core/trace/worker_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace timeslice;

TEST(WorkerNumbers, ASpanIs24BytesAndGivesBackThePidAndTidItWasMadeWith)
{
    static_assert(sizeof(Span) == 24);
    // Foreign traces carry any 32-bit pid and tid.
    for (const WorkerId w : { WorkerId { 1, 2 }, WorkerId { INT32_MAX, INT32_MIN }, WorkerId { -1, 0 }, WorkerId { 0, 7 } }) {
        const Span s { 10, 20, w.pid, w.tid, 3, State::GilWait, WaitReason::Lock, GilHold::Released, 65535 };
        EXPECT_EQ(s.pid(), w.pid);
        EXPECT_EQ(s.tid(), w.tid);
        EXPECT_EQ(s.worker(), w);
        // The fields packed beside the number keep theirs.
        EXPECT_EQ(s.start, 10);
        EXPECT_EQ(s.end, 20);
        EXPECT_EQ(s.core, 3);
        EXPECT_EQ(s.state, State::GilWait);
        EXPECT_EQ(s.reason, WaitReason::Lock);
        EXPECT_EQ(s.gil, GilHold::Released);
        EXPECT_EQ(s.target, 65535);
    }
    // Every state, reason and GIL value survives its few bits.
    for (int st = 0; st < kStateCount; ++st) {
        for (const WaitReasonInfo& r : kWaitReasons) {
            Span s;
            s.state = State(st);
            s.reason = r.reason;
            s.gil = GilHold::Held;
            EXPECT_EQ(s.state, State(st));
            EXPECT_EQ(s.reason, r.reason);
            EXPECT_EQ(s.gil, GilHold::Held);
        }
    }
    const Span none;
    EXPECT_EQ(none.worker_number, 0u);
    EXPECT_EQ(none.worker(), WorkerId {});
    EXPECT_EQ(none.core, -1);
}

TEST(WorkerNumbers, AWorkerHasOneNumberAndTwoWorkersTwo)
{
    WorkerNumbers numbers;
    EXPECT_EQ(numbers.number({ 0, 0 }), 0u) << "0 is no worker";
    const std::uint32_t a = numbers.number({ 100, 101 });
    const std::uint32_t b = numbers.number({ 100, 102 });
    const std::uint32_t c = numbers.number({ 101, 101 });
    EXPECT_NE(a, 0u);
    EXPECT_NE(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(b, c);
    EXPECT_EQ(numbers.number({ 100, 101 }), a);
    EXPECT_EQ(numbers.worker(a), (WorkerId { 100, 101 }));
    EXPECT_EQ(numbers.worker(b), (WorkerId { 100, 102 }));
    EXPECT_EQ(numbers.worker(c), (WorkerId { 101, 101 }));
    EXPECT_EQ(numbers.count(), 3u);
    EXPECT_EQ(numbers.worker(0), WorkerId {});
    EXPECT_EQ(numbers.worker(1'000'000), WorkerId {}) << "a number never given is no worker";
    // Spans of one worker are equal whichever way they were made.
    Span made { 0, 1, 5, 6 };
    Span set;
    set.start = 0;
    set.end = 1;
    set.set_worker({ 5, 6 });
    EXPECT_EQ(made, set);
    EXPECT_NE(made, (Span { 0, 1, 5, 7 }));
}

TEST(WorkerNumbers, PastItsCapacityATableSaysSoAndKeepsTheNumbersItGave)
{
    WorkerNumbers numbers(3);
    for (int i = 1; i <= 3; ++i)
        EXPECT_EQ(numbers.number({ 7, i }), std::uint32_t(i));
    try {
        numbers.number({ 7, 4 });
        FAIL() << "a fourth worker had a number";
    } catch (const std::length_error& e) {
        EXPECT_NE(std::string(e.what()).find("more than 3 distinct threads"), std::string::npos) << e.what();
    }
    EXPECT_EQ(numbers.number({ 7, 2 }), 2u) << "a worker it has is still found";
    EXPECT_EQ(numbers.worker(3), (WorkerId { 7, 3 }));
    EXPECT_EQ(numbers.count(), 3u);
}

TEST(WorkerNumbers, ThreadsNumberingTheSameWorkersAtOnceAgreeOnEveryNumber)
{
    // Past one chunk of the table (4,096), so chunks are made while others read.
    constexpr int kWorkers = 10'000;
    constexpr int kThreads = 4;
    WorkerNumbers numbers;
    std::vector<std::vector<std::uint32_t>> seen(kThreads, std::vector<std::uint32_t>(kWorkers));
    std::vector<std::jthread> threads;
    for (int k = 0; k < kThreads; ++k) {
        threads.emplace_back([&, k] {
            // Each thread in its own order, reading back each number as soon as it has it.
            for (int j = 0; j < kWorkers; ++j) {
                const int i = k % 2 ? kWorkers - 1 - j : (j * 7 + k) % kWorkers;
                seen[std::size_t(k)][std::size_t(i)] = numbers.number({ 1, i + 1 });
                const WorkerId back = numbers.worker(seen[std::size_t(k)][std::size_t(i)]);
                if (back != WorkerId { 1, i + 1 })
                    ADD_FAILURE() << "worker " << i + 1 << " read back as " << back.pid << "/" << back.tid;
            }
        });
    }
    threads.clear();
    for (int k = 1; k < kThreads; ++k)
        EXPECT_EQ(seen[std::size_t(k)], seen[0]) << "thread " << k;
    std::vector<std::uint32_t> sorted = seen[0];
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "two workers shared a number";
    EXPECT_EQ(sorted.front(), 1u);
    EXPECT_EQ(sorted.back(), std::uint32_t(kWorkers));
    EXPECT_EQ(numbers.count(), std::uint32_t(kWorkers));
}
