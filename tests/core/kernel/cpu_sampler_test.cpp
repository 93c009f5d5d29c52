#include "core/kernel/cpu_sampler.h"
#include "core/workload/workload.h"

#include <gtest/gtest.h>

#include <thread>

using namespace timeslice;

TEST(ProcStat, ParsesAggregateAndPerCoreLines)
{
    const char* text = "cpu  100 0 50 800 50 0 0 7 0 0\n"
                       "cpu0 60 0 20 400 20 0 0 3 0 0\n"
                       "cpu1 40 0 30 400 30 0 0 4 0 0\n"
                       "intr 12345\nctxt 999\n";
    const auto t = parse_proc_stat(text);
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].total, 1007u);
    EXPECT_EQ(t[0].busy, 157u); // idle and iowait are not busy; stolen time is
    EXPECT_EQ(t[1].busy, 83u);
    EXPECT_EQ(t[0].steal, 7u);
    EXPECT_EQ(t[2].steal, 4u);
}

TEST(ProcStat, UtilisationIsBusyShareOfTheInterval)
{
    EXPECT_FLOAT_EQ(utilisation({ 100, 1000 }, { 150, 1100 }), 50.0f);
    EXPECT_FLOAT_EQ(utilisation({ 100, 1000 }, { 100, 1000 }), 0.0f); // no time passed
    EXPECT_FLOAT_EQ(utilisation({ 100, 1000 }, { 300, 1200 }), 100.0f);
}

TEST(CpuSampler, SamplesEveryCoreDuringARun)
{
    CpuSampler sampler(monotonic_now(), 20 * kNanosPerMilli);
    sampler.start();
    // Keep one core busy so the samples have something to show.
    const Nanos end = monotonic_now() + 300 * kNanosPerMilli;
    volatile std::uint64_t x = 0;
    while (monotonic_now() < end)
        x = x + 1;
    sampler.stop();
    const auto samples = sampler.samples();
    ASSERT_GE(samples.size(), 5u);
    float peak = 0;
    for (const CpuSample& s : samples) {
        EXPECT_EQ(int(s.per_core.size()), online_cores());
        EXPECT_GE(s.total, 0.0f);
        EXPECT_LE(s.total, 100.0f);
        peak = std::max(peak, s.total);
    }
    EXPECT_GT(peak, 100.0f / float(online_cores()) * 0.5f);
    for (std::size_t i = 1; i < samples.size(); ++i)
        EXPECT_GT(samples[i].t, samples[i - 1].t);
}
