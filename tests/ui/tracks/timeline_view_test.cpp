// The timeline on its own, as a person uses it: Tracy's and Perfetto's keys zoom (W/S) and pan (A/D).
#include "timeline_helpers.h"

using namespace timeslice;
using namespace timeslice::ui;
using timeslice::test::Timeline;

TEST(KeyboardNavigation, WAndSZoomAtTheMiddleAAndDPan)
{
    Timeline f(test::load_example("mixed-async.json"));
    TimelineView* view = &f.view;
    view->setFocus();
    ZoomState* zoom = &f.zoom;
    const TimeRange whole = zoom->range();
    const auto width = [](TimeRange r) { return r.end - r.start; };
    const auto middle = [](TimeRange r) { return r.start + (r.end - r.start) / 2; };

    QTest::keyClick(view, Qt::Key_W);
    QTest::keyClick(view, Qt::Key_W);
    TimeRange r = zoom->range();
    EXPECT_NEAR(double(width(r)), double(width(whole)) / 1.5625, 2.0);
    EXPECT_NEAR(double(middle(r)), double(middle(whole)), 2.0);
    const TimeRange zoomed = r;
    QTest::keyClick(view, Qt::Key_D);
    r = zoom->range();
    EXPECT_EQ(r.start - zoomed.start, width(zoomed) / 10);
    QTest::keyClick(view, Qt::Key_A);
    EXPECT_EQ(zoom->range(), zoomed);
    QTest::keyClick(view, Qt::Key_S);
    QTest::keyClick(view, Qt::Key_S);
    EXPECT_NEAR(double(width(zoom->range())), double(width(whole)), 4.0);
    // Left and Right pan too while no span is chosen.
    QTest::keyClick(view, Qt::Key_W);
    const TimeRange in = zoom->range();
    QTest::keyClick(view, Qt::Key_Right);
    EXPECT_EQ(zoom->range().start - in.start, width(in) / 10);
}
