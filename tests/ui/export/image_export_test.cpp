// The exported picture: the PNG has each state's colour where the trace says; the SVG parses and
// names every task; the PDF is a PDF; a bad path leaves nothing behind.
#include "core/formats/trace_json.h"
#include "ui/export/image_export.h"
#include "ui/style/palette.h"
#include "ui/tracks/timeline_painter.h"
#include "painted_text.h"
#include "timeline_helpers.h"
#include "run_helpers.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QSvgRenderer>
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

namespace {

// One task computing for a second while core 0 is busy and core 1 idle, sampled every 10 ms.
Trace busy_core_trace()
{
    Trace trace;
    trace.info.workload = "square-numbers";
    trace.info.model = "threads";
    trace.info.cores = 2;
    trace.info.makespan = kNanosPerSecond;
    trace.complete = true;
    TaskTrace task;
    task.name = "A";
    task.status = State::Done;
    task.submitted = 0;
    task.started = 0;
    task.finished = kNanosPerSecond;
    task.spans.push_back(Span { 0, kNanosPerSecond, 1, 1, 0, State::Running });
    trace.tasks.push_back(task);
    for (Nanos t = 10 * kNanosPerMilli; t <= kNanosPerSecond; t += 10 * kNanosPerMilli)
        trace.cpu.push_back(CpuSample { t, { 100.0f, 0.0f }, 50.0f, {}, -1 });
    return trace;
}

bool near(QColor a, QColor b) { return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue()) < 40; }

// Pixels of core 0's colour in the CPU panel: inside its plot, and outside it (left or right).
std::pair<int, int> core_line_pixels(const QImage& image, const Trace& trace, TimeRange range)
{
    const ReportLayout layout = layout_report(QSizeF(image.size()), trace);
    const TimeMap map = timeline_time_map(layout.timeline, layout.style, range);
    const QColor line = core_color(0);
    int inside = 0, outside = 0;
    for (int y = int(layout.trackArea(QStringLiteral("cpuChart")).top()); y < int(layout.trackArea(QStringLiteral("cpuChart")).bottom()); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (!near(image.pixelColor(x, y), line))
                continue;
            if (x < map.x0 - 3 || x > map.x0 + map.width + 3)
                ++outside;
            else
                ++inside;
        }
    }
    return { inside, outside };
}

} // namespace

// Issue 13, defect 6: QSvgGenerator (Qt 6.4) writes no clip paths, so a zoomed SVG's CPU lines
// ran over the "100%" label and past the right edge while the PDF and PNG were right.
TEST(ImageExport, ZoomedSvgKeepsTheCpuLinesInsideTheirPlot)
{
    const Trace trace = busy_core_trace();
    const TimeRange zoomed { 400 * kNanosPerMilli, 600 * kNanosPerMilli };
    QTemporaryDir dir;
    for (const char* ext : { "svg", "png" }) {
        const QString path = dir.filePath(QStringLiteral("zoomed.") + QLatin1String(ext));
        ASSERT_EQ(export_image(trace, path, QSize(1600, 900), zoomed), QString());
        QImage image;
        if (QLatin1String(ext) == QLatin1String("svg")) {
            QSvgRenderer svg(path);
            ASSERT_TRUE(svg.isValid());
            image = QImage(1600, 900, QImage::Format_RGB32);
            image.fill(Qt::white);
            QPainter p(&image);
            svg.render(&p);
        } else {
            image.load(path);
        }
        const auto [inside, outside] = core_line_pixels(image, trace, zoomed);
        EXPECT_GT(inside, 500) << ext << ": core 0's line is drawn";
        EXPECT_EQ(outside, 0) << ext << ": core 0's line runs outside its plot";
    }
}

namespace {

// Two threads taking turns with the GIL every microsecond for 10 ms: A runs 49 % of the time,
// B the other 51 %, and each waits for the GIL while the other runs.
Trace gil_turns_trace()
{
    Trace trace;
    trace.info.workload = "square-numbers";
    trace.info.model = "threads";
    trace.info.gil = true;
    trace.info.makespan = 10 * kNanosPerMilli;
    trace.complete = true;
    for (const char* name : { "A", "B" }) {
        TaskTrace task;
        task.name = name;
        task.status = State::Done;
        task.submitted = task.started = 0;
        task.finished = trace.info.makespan;
        const bool first = task.name == "A";
        for (Nanos at = 0; at < trace.info.makespan; at += 1000) {
            task.spans.push_back(Span { at, at + 490, 1, 1, 0, first ? State::Running : State::GilWait });
            task.spans.push_back(Span { at + 490, at + 1000, 1, 1, 0, first ? State::GilWait : State::Running });
        }
        trace.tasks.push_back(std::move(task));
    }
    return trace;
}

// Of a row's bar pixels, how many are running blue rather than GIL-wait vermillion (the hatch
// lightens both, so they are told apart by which of red and blue is stronger).
double running_part_of_row(const QImage& image, const Trace& trace, int row)
{
    const ReportLayout layout = layout_report(QSizeF(image.size()), trace);
    const TimeMap map = timeline_time_map(layout.timeline, layout.style, full_range(trace));
    const QRectF plot = timeline_plot_rect(layout.timeline, layout.style);
    int running = 0, waiting = 0;
    for (int y = int(plot.top() + row * layout.style.row_height);
         y < int(plot.top() + (row + 1) * layout.style.row_height); ++y) {
        for (int x = int(map.x0) + 1; x < int(map.x0 + map.width) - 1; ++x) {
            const QColor c = image.pixelColor(x, y);
            if (c.blue() - c.red() > 60)
                ++running;
            else if (c.red() - c.blue() > 60)
                ++waiting;
        }
    }
    EXPECT_GT(running + waiting, 1000);
    return double(running) / std::max(1, running + waiting);
}

} // namespace

// Issue 13, defect 5: spans too narrow to draw were merged into blocks in the colour of their
// dominant state, so a GIL run that was 49 % running showed both threads waiting at once.
TEST(ImageExport, MergedBlocksShowEachStateInProportionToItsTime)
{
    const Trace trace = gil_turns_trace();
    QTemporaryDir dir;
    for (const char* ext : { "png", "svg" }) {
        const QString path = dir.filePath(QStringLiteral("gil.") + QLatin1String(ext));
        ASSERT_EQ(export_image(trace, path, QSize(1600, 900)), QString());
        QImage image;
        if (QLatin1String(ext) == QLatin1String("svg")) {
            QSvgRenderer svg(path);
            ASSERT_TRUE(svg.isValid());
            image = QImage(1600, 900, QImage::Format_RGB32);
            image.fill(Qt::white);
            QPainter p(&image);
            svg.render(&p);
        } else {
            image.load(path);
        }
        EXPECT_NEAR(running_part_of_row(image, trace, 0), 0.49, 0.03) << ext << ": A";
        EXPECT_NEAR(running_part_of_row(image, trace, 1), 0.51, 0.03) << ext << ": B";
    }
    // The legend says what the hatched blocks are, in the help's words.
    QFile svg(dir.filePath(QStringLiteral("gil.svg")));
    ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
    EXPECT_TRUE(QString::fromUtf8(svg.readAll()).contains(QStringLiteral("merged, stacked by share of time")));
}

// Seen under Xvfb on a script of the user's own: the title block said "8 tasks · 0 workers ·
// scale 1" and the legend explained "predicted", none of which such a run has.
TEST(ImageExport, AScriptsImageClaimsNoPoolNoScaleAndNoPrediction)
{
    const auto base = test::load_example("table-loading-threads.json");
    ASSERT_FALSE(base->ideal.empty());
    Trace script = *base;
    script.info.model = "script";
    script.info.workload = "mine.py";
    script.info.workers = 0;
    script.ideal = {};
    const QString line = parameters_text(script);
    EXPECT_FALSE(line.contains(QStringLiteral("worker"))) << line.toStdString();
    EXPECT_FALSE(line.contains(QStringLiteral("scale"))) << line.toStdString();
    EXPECT_TRUE(line.startsWith(QStringLiteral("%1 tasks").arg(script.tasks.size()))) << line.toStdString();
    const QSize size(1600, 900);
    const QString text = test::painted_text(size, [&](QPainter& p) { paint_report(p, QSizeF(size), script, full_range(script)); });
    // The legend's entries, in order: "... blocked predicted merged, stacked ...".
    EXPECT_FALSE(text.contains(QStringLiteral("predicted merged"))) << text.toStdString();
    const QString built_in = test::painted_text(size, [&](QPainter& p) { paint_report(p, QSizeF(size), *base, full_range(*base)); });
    EXPECT_TRUE(built_in.contains(QStringLiteral("predicted merged"))) << "a built-in run's has it";
    EXPECT_TRUE(parameters_text(*base).contains(QStringLiteral("worker")));
}
