// Issue 13, defect 4 (in part): a run with many rows had no scroll bar, no keys to move through
// its rows, a vertical drag could scroll every row out of sight, and a fit did not bring them back.
#include "hand_made_trace.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "window_helpers.h"

#include <QScrollBar>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

std::shared_ptr<const Trace> many_tasks(int n) { return test::waiting_tasks(n); }

} // namespace

TEST(TimelineView, ManyRowsScrollWithABarAndKeysAndStayInSight)
{
    ZoomState zoom;
    zoom.setBounds(TimeRange { 0, kNanosPerSecond });
    TimelineView view(&zoom);
    view.resize(900, 500);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setTrace(many_tasks(300));
    const int fit = view.rowsFit();
    const int last_first = 300 - fit;
    ASSERT_GT(last_first, 0);
    EXPECT_TRUE(view.rowScrollBar()->isVisible());
    EXPECT_EQ(view.rowScrollBar()->maximum(), last_first);
    EXPECT_GT(view.plotLeft() + view.plotWidth(), 0);
    EXPECT_LE(view.plotLeft() + view.plotWidth(), view.rowScrollBar()->x()) << "the bar covers the plot";

    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Down);
    EXPECT_EQ(view.firstRow(), 1);
    QTest::keyClick(&view, Qt::Key_PageDown);
    EXPECT_EQ(view.firstRow(), 1 + fit);
    QTest::keyClick(&view, Qt::Key_End);
    EXPECT_EQ(view.firstRow(), last_first);
    EXPECT_EQ(view.rowScrollBar()->value(), last_first);
    QTest::keyClick(&view, Qt::Key_Home);
    EXPECT_EQ(view.firstRow(), 0);

    // The bar moves the rows.
    view.rowScrollBar()->setValue(100);
    EXPECT_EQ(view.firstRow(), 100);

    // A long drag upwards stops with the last row at the bottom, not past it.
    const QPoint from(int(view.plotLeft() + 100), 300);
    for (int drag = 0; drag < 40; ++drag) {
        QTest::mousePress(&view, Qt::LeftButton, Qt::NoModifier, from);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(&view, from - QPoint(0, 25 * i));
        QTest::mouseRelease(&view, Qt::LeftButton, Qt::NoModifier, from - QPoint(0, 250));
    }
    EXPECT_EQ(view.firstRow(), last_first);

    // A fit brings the first rows back.
    zoom.fit();
    EXPECT_EQ(view.firstRow(), 0);
}
