// The clock state changes are recorded with (record_now): CLOCK_MONOTONIC's nanoseconds, from
// the time-stamp counter where it is invariant. What no load bends: each thread's readings
// strictly increase, across its re-anchors too (two state changes of one thread are never of one
// instant, so neither's span is lost); every reading lies between two reads of the clock
// taken around it (within what a millisecond's conversion can be off); and a trace says which
// clock it was timed with.
#include "core/base/record_clock.h"
#include "core/formats/trace_json.h"
#include "cli/program_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace timeslice;

namespace {

TEST(RecordClock, ReadingsStrictlyIncreaseOnAThreadAcrossItsReanchors)
{
    const auto check = [] {
        Nanos last = record_now();
        const Nanos until = monotonic_now() + 5 * kNanosPerMilli; // five re-anchors at least
        std::size_t readings = 0, not_after = 0;
        while (monotonic_now() < until || readings < 200) {
            // Back to back, as a task's wake-up and its next wait are.
            const Nanos a = record_now();
            const Nanos b = record_now();
            not_after += (a <= last) + (b <= a);
            last = b;
            readings += 2;
        }
        EXPECT_EQ(not_after, 0u);
        EXPECT_GT(readings, 100u);
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < 3; ++i)
        threads.emplace_back(check);
    check();
    for (std::thread& t : threads)
        t.join();
}

// Where the clock has not passed a thread's last reading (here set an hour ahead, as a re-anchor
// that found the clock behind would leave it), each reading is the last plus a nanosecond.
TEST(RecordClock, AReadingTheClockHasNotPassedIsTheLastPlusANanosecond)
{
    // A thread of its own: its anchor and last reading go with it.
    std::thread([] {
        const Nanos ahead = record_now() + 3600 * kNanosPerSecond;
        record_clock_detail::t_anchor.last = ahead;
        EXPECT_EQ(record_now(), ahead + 1);
        EXPECT_EQ(record_now(), ahead + 2);
        EXPECT_EQ(record_now(), ahead + 3);
    }).join();
}

TEST(RecordClock, AReadingLiesBetweenTwoReadsOfCLOCK_MONOTONICAroundIt)
{
    // Past the process's first millisecond, once the TSC's rate is measured.
    const Nanos warm = monotonic_now() + 3 * kNanosPerMilli;
    while (monotonic_now() < warm)
        record_now();
    // The rate's error over one millisecond between re-anchors, with room to spare: 20 us.
    constexpr Nanos kSlack = 20'000;
    int outside = 0;
    for (int i = 0; i < 20'000; ++i) {
        const Nanos before = monotonic_now();
        const Nanos t = record_now();
        const Nanos after = monotonic_now();
        outside += (t < before - kSlack || t > after + kSlack) ? 1 : 0;
    }
    EXPECT_EQ(outside, 0) << record_clock_name();
}

TEST(RecordClock, ATraceSaysWhichClockTimedIt)
{
    const std::string name = std::string(record_clock_name());
    EXPECT_TRUE(name == "tsc" || name.starts_with("clock_gettime (")) << name;
    const std::string path = "/tmp/timeslice-clock-" + std::to_string(getpid()) + ".json";
    for (const char* env : { "", "TIMESLICE_CLOCK=clock_gettime " }) {
        int code = -1;
        const std::string out = test::output_of(std::string(env) + test::built_program()
                + " run --workload async-delay --model async --scale 0.01 --kernel off --trace " + path,
            code);
        ASSERT_EQ(code, 0) << out;
        std::ifstream in(path);
        std::stringstream text;
        text << in.rdbuf();
        Trace trace;
        std::string error;
        ASSERT_TRUE(trace_from_json(text.str(), trace, error)) << error;
        if (*env)
            EXPECT_EQ(trace.info.clock, "clock_gettime (TIMESLICE_CLOCK=clock_gettime)");
        else
            EXPECT_EQ(trace.info.clock, name) << "the same machine decides alike in another process";
    }
    ::unlink(path.c_str());
}

} // namespace
