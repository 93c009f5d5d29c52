// Every: a periodic thread. What no load bends: it calls again and again while it lives, never
// after it is destroyed, and its destruction does not wait out a period.
#include "core/base/every.h"

#include <gtest/gtest.h>

#include <atomic>

using namespace timeslice;

namespace {

TEST(Every, CallsAgainAndAgainWhileItLivesAndNeverAfter)
{
    std::atomic<int> calls { 0 };
    {
        Every every(std::chrono::milliseconds(1), [&calls] { ++calls; });
        // No deadline of ours: ctest's timeout catches a thread that never calls.
        while (calls.load() < 3)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const int at_end = calls.load();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(calls.load(), at_end);
}

TEST(Every, ItsDestructionWakesItRatherThanWaitOutAPeriod)
{
    std::atomic<int> calls { 0 };
    {
        // A period of an hour: were the destructor to wait it out, ctest's timeout would fail this.
        Every every(std::chrono::hours(1), [&calls] { ++calls; });
    }
    EXPECT_EQ(calls.load(), 0);
}

} // namespace
