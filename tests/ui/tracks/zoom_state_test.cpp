#include "ui/tracks/zoom_state.h"

#include <QSignalSpy>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

TEST(ZoomState, WheelZoomKeepsTheTimeUnderTheCursorInPlace)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 1'000'000 });
    const Nanos anchor = 250'000;
    const double ratio_before = double(anchor - zoom.range().start) / double(zoom.range().end - zoom.range().start);
    zoom.zoomAt(anchor, 4.0);
    const TimeRange r = zoom.range();
    EXPECT_EQ(r.end - r.start, 250'000);
    EXPECT_NEAR(double(anchor - r.start) / double(r.end - r.start), ratio_before, 1e-6);
    EXPECT_FALSE(zoom.following());
}

TEST(ZoomState, PanMovesTheViewAndFitShowsEverything)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 1'000'000 });
    zoom.zoomAt(500'000, 10.0);
    const TimeRange before = zoom.range();
    zoom.panBy(20'000);
    EXPECT_EQ(zoom.range().start, before.start + 20'000);
    QSignalSpy spy(&zoom, &ZoomState::rangeChanged);
    zoom.fit();
    EXPECT_EQ(zoom.range(), (TimeRange { 0, 1'000'000 }));
    EXPECT_EQ(spy.count(), 1);
    EXPECT_TRUE(zoom.following());
}

TEST(ZoomState, CannotZoomPastAMicrosecondOrPanFarOff)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 1'000'000 });
    zoom.zoomAt(0, 1e9);
    EXPECT_EQ(zoom.range().end - zoom.range().start, ZoomState::kMinSpan);
    zoom.panBy(1'000'000'000);
    EXPECT_LE(zoom.range().end, 1'050'000);
    zoom.zoomAt(0, 1e-9);
    EXPECT_LE(zoom.range().end - zoom.range().start, 1'100'000);
}

TEST(ZoomState, AFollowingViewGrowsWithALiveRun)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, 100 * kNanosPerMilli });
    zoom.setBounds(TimeRange { 0, 200 * kNanosPerMilli });
    EXPECT_EQ(zoom.range().end, 200 * kNanosPerMilli);
    zoom.zoomAt(0, 2.0); // the user zoomed: stop following
    zoom.setBounds(TimeRange { 0, 300 * kNanosPerMilli });
    EXPECT_EQ(zoom.range().end, 100 * kNanosPerMilli);
}
