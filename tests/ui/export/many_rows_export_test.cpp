// Issue 13, defect 4 (export): a run of 300 tasks exported at 1600x900 had 2-px rows, labels
// drawn over each other and no CPU panel. The picture now grows so that every row keeps
// kReportMinRowHeight, the export dialog says so before anything is written, and past
// kReportMaxHeight the picture stops growing and says what that costs.
#include "hand_made_trace.h"
#include "core/formats/trace_json.h"
#include "ui/export/export_dialog.h"
#include "ui/export/image_export.h"
#include "ui/style/palette.h"
#include "run_helpers.h"
#include "action_helpers.h"
#include "painted_text.h"

#include <QAction>
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QRegularExpression>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

std::shared_ptr<const Trace> hand_made(int tasks) { return test::waiting_tasks(tasks); }

QAction* action(FileActions& files, const QString& text)
{
    for (QAction* a : files.findChildren<QAction*>()) {
        if (a->text() == text)
            return a;
    }
    return nullptr;
}

} // namespace

TEST(ManyRowsExport, ThreeHundredRowsGrowThePictureAndTheDialogSaysSoFirst)
{
    auto c = test::small_config("table-loading", ModelKind::Async);
    c.workload_options.tasks = 300;
    c.kernel.mode = KernelMode::Off;
    const auto trace = run_to_end(c);
    ASSERT_EQ(trace->tasks.size(), 300u);
    QTemporaryDir dir;
    const QString trace_path = dir.filePath(QStringLiteral("many.json"));
    ASSERT_EQ(save_trace(*trace, scorecard_if_any(*trace), trace_path.toStdString()), std::string());

    test::Files f;
    ASSERT_EQ(test::open(*f.files, trace_path), QString());
    QSettings().setValue(QStringLiteral("export/size"), QSize(1600, 900));
    const QString png = dir.filePath(QStringLiteral("many.png"));
    QString note;
    bool note_visible = false;
    // File > Export image…, answered from the keyboard and the mouse as a user would.
    QTimer::singleShot(0, [&] {
        auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
        ASSERT_NE(dialog, nullptr);
        auto* label = dialog->findChild<QLabel*>(QStringLiteral("sizeNote"));
        note = label->text();
        note_visible = label->isVisible();
        auto* path = dialog->findChild<QLineEdit*>(QStringLiteral("exportPath"));
        path->selectAll();
        QTest::keyClicks(path, png);
        QTest::keyClick(path, Qt::Key_Return);
    });
    QAction* export_action = action(*f.files, QStringLiteral("&Export image…"));
    ASSERT_NE(export_action, nullptr);
    export_action->trigger();

    const ReportSize expected = report_size(*trace, QSize(1600, 900));
    ASSERT_TRUE(expected.grown);
    ASSERT_FALSE(expected.capped);
    EXPECT_TRUE(note_visible);
    EXPECT_EQ(note,
        QStringLiteral("300 rows: the image grows to 1600 × %1 px so each row stays readable (%2 px).")
            .arg(expected.size.height())
            .arg(int(expected.row_height)));

    const QImage image(png);
    ASSERT_FALSE(image.isNull());
    EXPECT_EQ(image.width(), 1600);
    EXPECT_EQ(image.height(), expected.size.height());
    EXPECT_GT(image.height(), 900 * 5);

    // Every row at least the minimum, and the CPU panel whole inside the picture, under the rows.
    const ReportLayout layout = layout_report(QSizeF(image.size()), *trace);
    EXPECT_DOUBLE_EQ(layout.unit, 1.0);
    EXPECT_GE(layout.style.row_height, kReportMinRowHeight);
    const QRectF plot = timeline_plot_rect(layout.timeline, layout.style);
    EXPECT_GE(layout.trackArea(QStringLiteral("cpuChart")).top(), plot.top() + 300 * layout.style.row_height);
    EXPECT_GE(layout.trackArea(QStringLiteral("cpuChart")).height(), 300.0);
    EXPECT_LE(layout.trackArea(QStringLiteral("cpuChart")).bottom(), image.height());
    // The last row's bar is drawn where the layout puts it: a waiting task in the waiting colour.
    const TaskTrace& last = trace->tasks.back();
    const TimeMap map = timeline_time_map(layout.timeline, layout.style, full_range(*trace));
    const Span& longest = *std::max_element(
        last.spans.begin(), last.spans.end(), [](const Span& a, const Span& b) { return a.duration() < b.duration(); });
    const int x = int((map.to_x(longest.start) + map.to_x(longest.end)) / 2);
    const int y = int(plot.top() + 299.5 * layout.style.row_height);
    EXPECT_EQ(image.pixelColor(x, y).rgb(), state_color(longest.state).rgb()) << state_name(longest.state);
    // The CPU panel has its frame and labels: some dark pixels in it.
    int dark = 0;
    for (int py = int(layout.trackArea(QStringLiteral("cpuChart")).top()); py < int(layout.trackArea(QStringLiteral("cpuChart")).bottom()); py += 2) {
        for (int px = int(layout.trackArea(QStringLiteral("cpuChart")).left()); px < int(layout.trackArea(QStringLiteral("cpuChart")).right()); px += 2)
            dark += qGray(image.pixel(px, py)) < 128;
    }
    EXPECT_GT(dark, 50);
    EXPECT_EQ(f.status,
        QStringLiteral("Exported %1 (1600×%2)").arg(png).arg(image.height()));
}

TEST(ManyRowsExport, AFewRowsKeepTheAskedSizeAndTooManyStopAtTheTallestPicture)
{
    const auto few = hand_made(3);
    const ReportSize as_asked = report_size(*few, QSize(1600, 900));
    EXPECT_EQ(as_asked.size, QSize(1600, 900));
    EXPECT_FALSE(as_asked.grown);
    EXPECT_EQ(report_size_note(as_asked), QString());

    const auto many = hand_made(2000);
    const ReportSize capped = report_size(*many, QSize(1600, 900));
    EXPECT_TRUE(capped.capped);
    EXPECT_EQ(capped.size, QSize(1600, kReportMaxHeight));
    EXPECT_LT(capped.row_height, kReportMinRowHeight);
    EXPECT_TRUE(report_size_note(capped).startsWith(QStringLiteral("2000 rows: the image is 1600 × 10000 px, the tallest it gets")))
        << report_size_note(capped).toStdString();
    // Even then the CPU panel stays inside the picture.
    const ReportLayout layout = layout_report(QSizeF(capped.size), *many);
    EXPECT_LE(layout.trackArea(QStringLiteral("cpuChart")).bottom(), kReportMaxHeight);
    EXPECT_GE(layout.trackArea(QStringLiteral("cpuChart")).top(), layout.timeline.bottom());

    // The dialog shows the note for the size typed, and hides it when the picture is as asked.
    const auto three_hundred = hand_made(300);
    ExportDialog dialog;
    dialog.setSizeNote([three_hundred](QSize size) { return report_size_note(report_size(*three_hundred, size)); });
    dialog.show();
    auto* label = dialog.findChild<QLabel*>(QStringLiteral("sizeNote"));
    EXPECT_TRUE(label->isVisible());
    EXPECT_TRUE(dialog.sizeNote().startsWith(
        QStringLiteral("300 rows: the image grows to 1600 × %1 px").arg(report_size(*three_hundred, QSize(1600, 900)).size.height())));
    auto* width = dialog.findChild<QSpinBox*>(QStringLiteral("exportWidth"));
    width->setFocus();
    width->selectAll();
    QTest::keyClicks(width, QStringLiteral("800"));
    EXPECT_TRUE(dialog.sizeNote().startsWith(
        QStringLiteral("300 rows: the image grows to 800 × %1 px").arg(report_size(*three_hundred, QSize(800, 900)).size.height())))
        << dialog.sizeNote().toStdString();
    dialog.setSizeNote([few](QSize size) { return report_size_note(report_size(*few, size)); });
    EXPECT_FALSE(label->isVisible());
    EXPECT_EQ(dialog.sizeNote(), QString());
}

// Issue 23, defect 10: a 300-row PDF was one 1600x6020 pt page, and its CPU chart, 6,000 pt
// below the time axis, had no time of its own. The PDF now has pages as tall as asked, cut
// between rows, each after the first under the time axis again; the CPU chart labels its time.
TEST(ManyRowsExport, AThreeHundredRowPdfHasPagesCutBetweenRowsAndTheCpuChartItsOwnTime)
{
    const auto trace = hand_made(300);
    const QSize asked(1600, 900);
    const ReportSize size = report_size(*trace, asked);
    ASSERT_TRUE(size.grown);
    const ReportPages pages = report_pages(*trace, asked);
    const ReportLayout l = layout_report(QSizeF(size.size), *trace);
    const QRectF plot = timeline_plot_rect(l.timeline, l.style);
    ASSERT_GE(pages.slices.size(), 5u);
    EXPECT_EQ(pages.slices.front().first, 0.0);
    EXPECT_DOUBLE_EQ(pages.slices.back().second, double(size.size.height()));
    EXPECT_DOUBLE_EQ(pages.repeat.top(), l.timeline.top());
    EXPECT_DOUBLE_EQ(pages.repeat.bottom(), plot.top());
    for (std::size_t i = 0; i < pages.slices.size(); ++i) {
        const auto [top, bottom] = pages.slices[i];
        if (i > 0) {
            EXPECT_DOUBLE_EQ(top, pages.slices[i - 1].second) << "no gap, no overlap";
        }
        EXPECT_LE(bottom - top + (i > 0 ? pages.repeat.height() : 0.0), asked.height() + 0.5) << "page " << i;
        if (i + 1 < pages.slices.size()) {
            const double rows = (bottom - plot.top()) / l.style.row_height;
            EXPECT_NEAR(rows, std::round(rows), 1e-6) << "page " << i << " ends between two rows";
        }
    }
    // The CPU chart is whole on the last page.
    const QRectF cpu = l.trackArea(QStringLiteral("cpuChart"));
    EXPECT_LE(pages.slices.back().first, cpu.top());
    EXPECT_GE(pages.slices.back().second, cpu.bottom());

    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("many.pdf"));
    ASSERT_EQ(export_image(*trace, pdf, asked), QString());
    QFile file(pdf);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    EXPECT_EQ(bytes.count("/Type /Page\n") + bytes.count("/Type /Page\r") + bytes.count("/Type /Page "),
        qsizetype(pages.slices.size()))
        << "a page per slice";

    // Its CPU chart names the time under its plot, as the axis at the top does.
    const QString text = test::painted_text(size.size, [&](QPainter& svg) {
        paint_report(svg, QSizeF(size.size), *trace, full_range(*trace));
    });
    const QString one = test::painted_text(asked, [&](QPainter& svg) {
        paint_report(svg, QSizeF(asked), *hand_made(3), full_range(*hand_made(3)));
    });
    const auto ticks = [](const QString& words) {
        return words.count(QRegularExpression(QStringLiteral("\\b\\d+(\\.\\d+)? (ms|s|µs)\\b")));
    };
    EXPECT_GT(ticks(text), ticks(one)) << "more time labels: the CPU chart's own";
}
