#include "ui/tracks/time_axis.h"
#include "ui/tracks/time_map.h"

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

TEST(TimeMap, MapsTimeToPixelsAndBack)
{
    const TimeMap map { 1'000, 11'000, 100, 1000 }; // 10 ns per pixel
    EXPECT_DOUBLE_EQ(map.to_x(1'000), 100);
    EXPECT_DOUBLE_EQ(map.to_x(11'000), 1100);
    EXPECT_DOUBLE_EQ(map.to_x(6'000), 600);
    EXPECT_EQ(map.to_time(600), 6'000);
    EXPECT_DOUBLE_EQ(map.nanos_per_pixel(), 10);
    for (Nanos t : { 1'000LL, 1'234LL, 9'999LL })
        EXPECT_NEAR(double(map.to_time(map.to_x(t))), double(t), 1.0);
}

TEST(TimeMap, SurvivesAnEmptyRange)
{
    const TimeMap map { 5, 5, 0, 100 };
    EXPECT_TRUE(std::isfinite(map.to_x(5)));
    EXPECT_EQ(map.duration(), 1);
}

TEST(TimeAxis, StepsGoOneTwoFive)
{
    // 5 s over 1000 px with labels >= 90 px apart: 450 ms raw, so 500 ms.
    EXPECT_EQ(tick_step(TimeMap { 0, 5 * kNanosPerSecond, 0, 1000 }, 90), 500 * kNanosPerMilli);
    // 5 ms over 1000 px: 450 us raw, so 500 us.
    EXPECT_EQ(tick_step(TimeMap { 0, 5 * kNanosPerMilli, 0, 1000 }, 90), 500'000);
    // 30 us over 1000 px: 2.7 us raw, so 5 us.
    EXPECT_EQ(tick_step(TimeMap { 0, 30'000, 0, 1000 }, 90), 5'000);
    EXPECT_EQ(tick_step(TimeMap { 0, 1'100, 0, 1000 }, 90), 100);
}

TEST(TimeAxis, LabelsUseTheUnitOfTheZoom)
{
    const auto ticks = compute_ticks(TimeMap { 0, 5 * kNanosPerSecond, 0, 1000 }, 90);
    ASSERT_EQ(ticks.size(), 11u);
    EXPECT_EQ(ticks[0].label, "0.0 s");
    EXPECT_EQ(ticks[3].label, "1.5 s");
    EXPECT_DOUBLE_EQ(ticks[2].x, 200);

    const auto ms = compute_ticks(TimeMap { 0, 50 * kNanosPerMilli, 0, 1000 }, 90);
    EXPECT_EQ(ms[1].label, "5 ms");
    const auto us = compute_ticks(TimeMap { 2'000'000, 2'030'000, 0, 1000 }, 90);
    EXPECT_EQ(us[0].label, "2000 µs");
    EXPECT_EQ(format_time(1'500, 100), "1.5 µs");
    EXPECT_EQ(format_time(800, 50), "800 ns");
}

TEST(TimeAxis, TicksStayInsideTheView)
{
    const TimeMap map { 1'234'567, 9'876'543, 50, 800 };
    for (const Tick& t : compute_ticks(map)) {
        EXPECT_GE(t.t, map.start);
        EXPECT_LE(t.t, map.end);
        EXPECT_GE(t.x, 50);
        EXPECT_LE(t.x, 850);
    }
}

TEST(TimeAxis, DurationsReadNaturally)
{
    EXPECT_EQ(format_duration(5'003'000'000), "5.003 s");
    EXPECT_EQ(format_duration(12'400'000), "12.4 ms");
    EXPECT_EQ(format_duration(830'000), "830 µs");
    EXPECT_EQ(format_duration(120), "120 ns");
}

// Issue 13, defect 10: at a deep zoom the axis wrote "138735.2 µs138735.4 µs", labels running
// into each other. Now they count from a reference the axis names once.
TEST(TimeAxis, DeepZoomLabelsCountFromAReferenceAndStayShort)
{
    const TimeMap deep { 138'735'000, 138'737'000, 150, 800 }; // 2 µs across 800 px
    const auto ticks = compute_ticks(deep, 90);
    ASSERT_GE(ticks.size(), 3u);
    const Nanos reference = axis_reference(deep, tick_step(deep, 90));
    EXPECT_GT(reference, 0);
    EXPECT_LE(reference, deep.start);
    for (std::size_t i = 0; i < ticks.size(); ++i) {
        EXPECT_EQ(ticks[i].label.front(), '+') << ticks[i].label;
        // Short enough to stand apart: at most "+999.9 µs".
        EXPECT_LE(ticks[i].label.size(), std::string("+999.9 µs").size()) << ticks[i].label;
        if (i) {
            EXPECT_GE(ticks[i].x - ticks[i - 1].x, 90 - 1e-6);
        }
    }
    EXPECT_EQ(format_instant(reference, tick_step(deep, 90) * 100), "138.70 ms"); // ticks 0.5 µs apart: +35.0 µs, +35.5 µs …
    EXPECT_EQ(ticks.front().label, "+35.0 µs");
    // The reference stays put while the view pans by a few ticks.
    const TimeMap panned { deep.start + 300, deep.end + 300, 150, 800 };
    EXPECT_EQ(axis_reference(panned, tick_step(panned, 90)), reference);

    // The whole run reads as before: no reference, absolute labels.
    const TimeMap whole { 0, 5 * kNanosPerSecond, 150, 800 };
    EXPECT_EQ(axis_reference(whole, tick_step(whole, 90)), 0);
    EXPECT_EQ(compute_ticks(whole, 90).back().label, "5 s");
}

// One unit rule: a moment is written in the unit its size calls for, as durations are.
TEST(TimeAxis, InstantsUseTheUnitOfTheirSize)
{
    EXPECT_EQ(format_instant(138'735'200, 1000), "138.735 ms");
    EXPECT_EQ(format_instant(2'500'000'000, 1'000'000), "2.500 s");
    EXPECT_EQ(format_instant(830'000, 1000), "830 µs");
    EXPECT_EQ(format_instant(0, 1000), "0 ns");
}
