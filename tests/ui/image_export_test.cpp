// The exported picture: the PNG has each state's colour where the trace says; the SVG parses and
// names every task; the PDF is a PDF; a bad path leaves nothing behind.
#include "core/trace_json.h"
#include "ui/image_export.h"
#include "ui/palette.h"
#include "run_helpers.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <gtest/gtest.h>

using namespace timeslice;
using namespace timeslice::ui;

namespace {

// Checks the pixel at the middle of every span wide enough to see.
void expect_bars_where_the_trace_says(const QImage& image, const Trace& trace)
{
    const ReportLayout layout = layout_report(QSizeF(image.size()), trace);
    const TimeMap map = timeline_time_map(layout.timeline, layout.style, full_range(trace));
    const QRectF plot = timeline_plot_rect(layout.timeline, layout.style);
    int checked = 0;
    for (std::size_t row = 0; row < trace.tasks.size(); ++row) {
        for (const Span& s : trace.tasks[row].spans) {
            const double x0 = map.to_x(s.start), x1 = map.to_x(s.end);
            if (x1 - x0 < 8)
                continue;
            const int x = int((x0 + x1) / 2);
            const int y = int(plot.top() + (double(row) + 0.5) * layout.style.row_height);
            EXPECT_EQ(image.pixelColor(x, y).rgb(), state_color(s.state).rgb())
                << trace.tasks[row].name << " " << state_name(s.state) << " at " << x << "," << y;
            ++checked;
        }
    }
    EXPECT_GE(checked, 3);
}

} // namespace

TEST(ImageExport, PngShowsEachStateWhereTheTraceSaysAndSvgNamesEveryTask)
{
    auto c = test::small_config("table-loading", ModelKind::Processes);
    c.model_options.workers = 2;
    const auto trace = run_to_end(c);
    QTemporaryDir dir;
    const QString png = dir.filePath(QStringLiteral("t.png"));
    ASSERT_EQ(export_image(*trace, png, QSize(1600, 900)), QString());
    const QImage image(png);
    ASSERT_EQ(image.size(), QSize(1600, 900));
    expect_bars_where_the_trace_says(image, *trace);

    const QString svg = dir.filePath(QStringLiteral("t.svg"));
    ASSERT_EQ(export_image(*trace, svg, QSize(1200, 700)), QString());
    QFile file(svg);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QString text;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isCharacters())
            text += xml.text();
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    for (const TaskTrace& t : trace->tasks)
        EXPECT_TRUE(text.contains(QString::fromStdString(t.name) + QStringLiteral(" · pid"))) << t.name;
    EXPECT_TRUE(text.contains(QStringLiteral("table-loading under processes")));
    EXPECT_TRUE(text.contains(QStringLiteral("running")));

    const QString pdf = dir.filePath(QStringLiteral("t.pdf"));
    ASSERT_EQ(export_image(*trace, pdf, QSize(1600, 900)), QString());
    QFile pdf_file(pdf);
    ASSERT_TRUE(pdf_file.open(QIODevice::ReadOnly));
    EXPECT_TRUE(pdf_file.read(5).startsWith("%PDF-"));
    EXPECT_GT(pdf_file.size(), 2000);
}

TEST(ImageExport, EveryModelDrawsAtAnySize)
{
    for (const ModelKind model : { ModelKind::Threads, ModelKind::Async }) {
        const auto trace = run_to_end(test::small_config("mixed", model));
        for (const QSize size : { QSize(800, 450), QSize(2400, 1350) }) {
            QImage image(size, QImage::Format_ARGB32_Premultiplied);
            QPainter p(&image);
            paint_report(p, QSizeF(size), *trace, full_range(*trace));
            p.end();
            expect_bars_where_the_trace_says(image, *trace);
        }
    }
}

TEST(ImageExport, ABadPathOrExtensionIsRefusedAndLeavesNothing)
{
    const auto trace = run_to_end(test::small_config("async-delay", ModelKind::Async));
    EXPECT_TRUE(export_image(*trace, QStringLiteral("/nonexistent/dir/x.png"), QSize(800, 600)).contains(QStringLiteral("cannot write")));
    EXPECT_TRUE(export_image(*trace, QStringLiteral("/tmp/x.gif"), QSize(800, 600)).contains(QStringLiteral(".png")));
    EXPECT_FALSE(export_image(*trace, QStringLiteral("/tmp/x.png"), QSize(10, 10)).isEmpty());

}

TEST(ImageExport, AFailedWriteLeavesTheExistingFileAndNoPartialFile)
{
    const auto trace = run_to_end(test::small_config("async-delay", ModelKind::Async));
    QTemporaryDir dir;
    const QString existing = dir.filePath(QStringLiteral("keep.png"));
    {
        QFile f(existing);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly));
        f.write("precious");
    }
    // A file-size limit makes every write past 4 KiB fail, like a full disk (and works as root).
    {
        test::FileSizeLimit limit(4096);
        for (const char* ext : { "png", "svg", "pdf" }) {
            const QString path = dir.filePath(QStringLiteral("keep.") + QLatin1String(ext));
            if (QLatin1String(ext) != QLatin1String("png"))
                QFile::copy(existing, path);
            const QString error = export_image(*trace, path, QSize(1600, 900));
            EXPECT_TRUE(error.contains(QStringLiteral("cannot write"))) << ext << ": " << error.toStdString();
        }
    }
    for (const char* ext : { "png", "svg", "pdf" }) {
        QFile f(dir.filePath(QStringLiteral("keep.") + QLatin1String(ext)));
        ASSERT_TRUE(f.open(QIODevice::ReadOnly)) << ext;
        EXPECT_EQ(f.readAll(), QByteArray("precious")) << ext;
    }
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files).size(), 3); // no temporary files left
}
