#include "ui/export/image_export.h"

#include "ui/tracks/core_lanes.h"
#include "ui/tracks/foreign_rows.h"
#include "ui/tracks/hand_over_arrows.h"
#include "ui/tracks/time_axis.h"

#include "core/analysis/schedule.h"
#include "core/analysis/wait_summary.h"
#include "core/base/atomic_file.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

TimeRange full_range(const Trace& trace)
{
    // A foreign trace may last microseconds (a VizTracer trace of a few calls).
    return TimeRange { 0, std::max<Nanos>(trace.foreign ? 1000 : kNanosPerMilli, trace.end_time()) };
}

QString title_text(const Trace& trace)
{
    if (trace.foreign)
        return QString::fromStdString(trace.info.workload);
    QString model = QString::fromStdString(trace.info.model);
    if (const ModelDescriptor* m = find_model(trace.info.model); m && m->gil)
        model += trace.info.gil ? QStringLiteral(" with the GIL") : QStringLiteral(" without the GIL");
    const EngineDescriptor* e = find_engine(trace.info.engine);
    const QString engine = e && e->interpreter.empty()
        ? QString()
        : QStringLiteral(" in %1 %2").arg(e ? QString::fromUtf8(e->interpreter.data(), qsizetype(e->interpreter.size()))
                                            : QString::fromStdString(trace.info.engine),
              QString::fromStdString(trace.info.python));
    if (trace.info.ran_script())
        return QStringLiteral("%1%2").arg(QString::fromStdString(trace.info.workload), engine);
    return QStringLiteral("%1 under %2%3").arg(QString::fromStdString(trace.info.workload), model, engine);
}

QString parameters_text(const Trace& trace)
{
    if (trace.foreign)
        return foreign_summary(trace);
    const RunInfo& info = trace.info;
    QStringList parts;
    parts << QStringLiteral("%1 task%2").arg(trace.tasks.size()).arg(trace.tasks.size() == 1 ? QString() : QStringLiteral("s"));
    const ModelDescriptor* model = find_model(info.model);
    // A script of the user's own has no pool and no loop of Timeslice's: its threads are its own.
    const bool script = info.ran_script();
    if (!script && (!model || model->pool))
        parts << QStringLiteral("%1 worker%2").arg(info.workers).arg(info.workers == 1 ? QString() : QStringLiteral("s"));
    else if (!script)
        parts << QStringLiteral("1 event loop");
    if (!script) // it runs at its own pace
        parts << QStringLiteral("scale %1").arg(info.scale);
    if (info.iterations)
        parts << QStringLiteral("%1 iterations").arg(QLocale::c().toString(qulonglong(info.iterations)));
    if (model && model->gil && info.gil)
        parts << QStringLiteral("switch interval %1 ms").arg(info.switch_interval_ms);
    if (trace.complete)
        parts << QStringLiteral("makespan %1").arg(QString::fromStdString(format_duration(info.makespan)));
    else
        parts << QStringLiteral("running for %1").arg(QString::fromStdString(format_duration(info.makespan)));
    return parts.join(QStringLiteral("  ·  "));
}

QString no_scorecard_reason(const Trace& trace)
{
    if (trace.foreign)
        return QStringLiteral("no scorecard: Timeslice did not run this %1").arg(QString::fromStdString(trace.info.workload));
    if (!trace.complete || has_scorecard(trace))
        return {};
    int done = 0, failed = 0, stopped = 0;
    for (const TaskTrace& t : trace.tasks) {
        done += t.status == State::Done;
        failed += t.status == State::Failed;
        stopped += t.status == State::Cancelled;
    }
    const int total = int(trace.tasks.size());
    if (stopped)
        return QStringLiteral("no scorecard: stopped after %1, with %2 of %3 tasks done")
            .arg(QString::fromStdString(format_duration(trace.info.makespan)))
            .arg(done)
            .arg(total);
    if (failed)
        return QStringLiteral("no scorecard: %1 of %2 tasks failed").arg(failed).arg(total);
    return QStringLiteral("no scorecard: the trace has no predicted schedule to compare with");
}

QString scorecard_line(const Trace& trace)
{
    if (trace.foreign)
        return QStringLiteral("no scorecard: Timeslice did not run this; each span is drawn in a colour of its name");
    if (!has_scorecard(trace))
        return no_scorecard_reason(trace);
    const Scorecard s = compute_scorecard(trace);
    const QString predicted = s.ideal_makespan > 0
        ? QStringLiteral("predicted %1 (measured %2x of it)").arg(QString::fromStdString(format_duration(s.ideal_makespan))).arg(s.vs_ideal, 0, 'f', 2)
        : QStringLiteral("no prediction for real Python");
    QString text = QStringLiteral("%1  ·  speedup %2x over one after another  ·  CPU %3%  ·  %4 tasks at once")
                       .arg(predicted)
                       .arg(s.speedup, 0, 'f', 2)
                       .arg(s.cpu_utilisation, 0, 'f', 0)
                       .arg(s.concurrency, 0, 'f', 1);
    if (s.max_startup > 0)
        text += QStringLiteral("  ·  worker start-up %1 mean").arg(QString::fromStdString(format_duration(s.mean_startup)));
    if (s.gil_switches)
        text += QStringLiteral("  ·  %1 GIL hand-overs").arg(s.gil_switches);
    return text;
}

QString machine_text(const Trace& trace)
{
    if (trace.foreign)
        return QStringLiteral("spans %1").arg(trace.span_count());
    const RunInfo& info = trace.info;
    return QStringLiteral("%1 × %2 cores  ·  %3  ·  %4")
        .arg(QString::fromStdString(info.cpu_model))
        .arg(info.cores)
        .arg(QString::fromStdString(info.hostname), QString::fromStdString(info.date));
}

ReportLayout layout_report(const QSizeF& size, const Trace& trace)
{
    ReportLayout l;
    l.unit = std::clamp(std::min(size.width() / 1600.0, size.height() / 900.0), 0.45, 4.0);
    const double unit = l.unit;
    const double margin = 24 * unit;
    l.base = QFont(QStringLiteral("DejaVu Sans"));
    l.base.setPixelSize(std::max(9, int(std::lround(14 * unit))));
    l.title = l.base;
    l.title.setPixelSize(int(std::lround(24 * unit)));
    l.title.setBold(true);
    l.small = l.base;
    l.small.setPixelSize(std::max(8, int(std::lround(12 * unit))));
    l.header_top = margin;
    // A foreign trace's list of what was not understood wraps rather than run off the edge.
    l.parameters_height = std::max(20 * unit,
        QFontMetricsF(l.base)
            .boundingRect(QRectF(0, 0, size.width() - 2 * margin, 1e6), Qt::TextWordWrap, parameters_text(trace))
            .height());

    double y = margin + 34 * unit + l.parameters_height + 18 * unit + 26 * unit;
    l.legend = QRectF(margin, y, size.width() - 2 * margin, 60 * unit);
    const double legend_height = paint_legend_height(l.base, l.legend.width(), { core_lane_count(trace) > 0, ran_without_gil(trace), false, !trace.ideal.empty() });
    l.legend.setHeight(legend_height);
    y += legend_height + 14 * unit;

    l.style.font = l.base;
    l.style.label_width = fitted_label_width(trace, l.base, 210 * unit, size.width() / 3.0);
    l.style.axis_height = 26 * unit;
    // Rows share about 60% of the height (at most 90 px each at 1600x900); the bands (the CPU
    // plot) take the rest, up to 320 px.
    double available = size.height() - y - margin - 10 * unit - l.style.axis_height;
    // Tracks of rows (the CPU lanes) first, each its share of the room.
    double bands_most = 0;
    int bands = 0;
    for (const Track* kind : track_kinds()) {
        if (!kind->shown(trace))
            continue;
        const ExportRoom room = kind->exportRoom();
        ReportLayout::PlacedTrack placed { kind, {}, 0 };
        if (kind->band()) {
            bands_most += room.most * unit;
            ++bands;
        } else {
            const int n = std::max(1, kind->rows(trace));
            const double height = std::min(double(n) * room.per_row * unit, available * room.share);
            available -= height + room.gap * unit;
            placed.area.setHeight(height);
            placed.row_height = height / n;
        }
        l.tracks.push_back(placed);
    }
    const std::size_t rows = std::max<std::size_t>(1, trace.tasks.size());
    // Without a band (a foreign trace has no CPU plot) the rows may take the whole height.
    const double rows_height = bands == 0 ? std::min(double(rows) * 90 * unit, available)
                                          : std::min(double(rows) * 90 * unit, std::max(available - bands_most, available * 0.6));
    // Past kReportMaxHeight rows get thinner than the labels' font: the painter then labels
    // every few rows only. They never get taller than the room, so the bands stay.
    l.style.row_height = std::max(0.25, rows_height / double(rows));
    l.timeline = QRectF(margin, y, size.width() - 2 * margin, l.style.axis_height + l.style.row_height * double(rows));
    double bottom = l.timeline.bottom();
    for (ReportLayout::PlacedTrack& placed : l.tracks) {
        const ExportRoom room = placed.track->exportRoom();
        const double height = placed.track->band()
            ? std::clamp((available - l.style.row_height * double(rows)) / bands, room.least * unit, room.most * unit)
            : placed.area.height();
        placed.area = QRectF(margin, bottom + room.gap * unit, size.width() - 2 * margin, height);
        bottom = placed.area.bottom();
    }
    return l;
}

QRectF ReportLayout::trackArea(const QString& name) const
{
    for (const PlacedTrack& placed : tracks) {
        if (placed.track->name() == name)
            return placed.area;
    }
    return {};
}

double ReportLayout::trackRowHeight(const QString& name) const
{
    for (const PlacedTrack& placed : tracks) {
        if (placed.track->name() == name)
            return placed.row_height;
    }
    return 0;
}

ReportSize report_size(const Trace& trace, QSize requested)
{
    ReportSize r;
    r.rows = trace.tasks.size();
    const auto readable = [&](int height) {
        const ReportLayout l = layout_report(QSizeF(requested.width(), height), trace);
        return l.style.row_height >= kReportMinRowHeight * l.unit - 1e-9;
    };
    r.size = requested;
    if (r.rows && !readable(requested.height())) {
        if (requested.height() >= kReportMaxHeight || !readable(kReportMaxHeight)) {
            r.capped = true;
            r.size.setHeight(std::max(requested.height(), kReportMaxHeight));
        } else {
            // Rows grow with the picture once the width sets the scale: the first readable
            // height is found by bisection, on the same layout paint_report uses.
            int low = requested.height(), high = kReportMaxHeight;
            while (high - low > 1) {
                const int mid = low + (high - low) / 2;
                (readable(mid) ? high : low) = mid;
            }
            r.size.setHeight(high);
        }
        r.grown = r.size.height() > requested.height();
    }
    r.row_height = layout_report(QSizeF(r.size), trace).style.row_height;
    return r;
}

QString report_size_note(const ReportSize& r)
{
    if (!r.grown && !r.capped)
        return {};
    const QString size = QStringLiteral("%1 × %2 px").arg(r.size.width()).arg(r.size.height());
    if (r.capped)
        return QStringLiteral("%1 rows: the image is %2, the tallest it gets, so each row is %3 px and only some rows "
                              "are labelled. Export fewer tasks for readable rows.")
            .arg(r.rows)
            .arg(size)
            .arg(r.row_height, 0, 'f', 1);
    return QStringLiteral("%1 rows: the image grows to %2 so each row stays readable (%3 px).")
        .arg(r.rows)
        .arg(size)
        .arg(int(std::floor(r.row_height)));
}

void paint_report(QPainter& p, const QSizeF& size, const Trace& trace, TimeRange range, bool hand_over_arrows)
{
    const ReportLayout l = layout_report(size, trace);
    const double unit = l.unit;
    const double margin = 24 * unit;
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);

    double y = l.header_top;
    p.setPen(QColor(0x10, 0x10, 0x10));
    p.setFont(l.title);
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, 32 * unit), Qt::AlignLeft | Qt::AlignVCenter,
        title_text(trace));
    y += 34 * unit;
    p.setFont(l.base);
    p.setPen(QColor(0x30, 0x30, 0x30));
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, l.parameters_height),
        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, parameters_text(trace));
    y += l.parameters_height;
    p.setFont(l.small);
    p.setPen(QColor(0x30, 0x30, 0x30));
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, 18 * unit), Qt::AlignLeft | Qt::AlignVCenter,
        scorecard_line(trace));
    y += 18 * unit;
    p.setPen(QColor(0x60, 0x60, 0x60));
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, 18 * unit), Qt::AlignLeft | Qt::AlignVCenter,
        machine_text(trace) + QStringLiteral("  ·  Timeslice"));

    if (!trace.foreign)
        paint_legend(p, l.legend, l.base, true, { core_lane_count(trace) > 0, ran_without_gil(trace), false, !trace.ideal.empty() });
    paint_timeline(p, l.timeline, trace, range, 0, l.style);
    if (hand_over_arrows && !trace.foreign)
        paint_hand_overs(p, l.timeline, l.style, range, 0, int(trace.tasks.size()), hand_overs(trace));
    const TimeMap map = timeline_time_map(l.timeline, l.style, range);
    for (const ReportLayout::PlacedTrack& placed : l.tracks) {
        // More than a 1600x900 picture's height below the axis (hundreds of rows), a track
        // labels the time itself.
        const bool far = placed.area.top() - l.timeline.top() > 900 * l.unit;
        placed.track->paint(
            p, TrackFrame { placed.area, map, l.style.label_width, l.base, l.small, 0, placed.row_height, far }, trace);
    }
}

QString export_image(const Trace& trace, const QString& path, QSize size)
{
    return export_image(trace, path, size, full_range(trace));
}

namespace {

// Renders through `paint` into PNG, SVG or PDF bytes in memory, then hands them to the same
// atomic writer the traces use: the write-then-rename is in one place, and every write's result
// is checked (QSvgGenerator on a QSaveFile was seen to lose a failed write and replace the file
// with a truncated SVG).
QString size_error(QSize size)
{
    if (size.width() < 200 || size.height() < 150 || size.width() > 10000 || size.height() > 10000)
        return QStringLiteral("the image size must be between 200x150 and 10000x10000 pixels");
    return {};
}

// Each slice of the picture on a page of its own height, after the first under the repeated band:
// the picture is painted whole for each, clipped to what the page shows.
template <typename Paint> bool paint_pages(QPdfWriter& pdf, QSizeF size, const ReportPages& pages, Paint& paint)
{
    QPainter p;
    for (std::size_t i = 0; i < pages.slices.size(); ++i) {
        const auto [top, bottom] = pages.slices[i];
        const double band = i > 0 ? pages.repeat.height() : 0.0;
        const QSizeF page(size.width(), std::ceil(band + bottom - top));
        pdf.setPageSize(QPageSize(page, QPageSize::Point, QString(), QPageSize::ExactMatch));
        if (i == 0 ? !p.begin(&pdf) : !pdf.newPage())
            return false;
        if (band > 0) {
            p.save();
            p.setClipRect(QRectF(0, 0, size.width(), band));
            p.translate(0, -pages.repeat.top());
            paint(p);
            p.restore();
        }
        p.save();
        p.setClipRect(QRectF(0, band, size.width(), bottom - top));
        p.translate(0, band - top);
        paint(p);
        p.restore();
    }
    return p.end();
}

template <typename Paint>
QString write_image(
    const QString& path, QSize size, const QString& title, const QString& description, Paint paint, const ReportPages* pages = nullptr)
{
    if (const QString error = size_error(size); !error.isEmpty())
        return error;
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf"))
        return QStringLiteral("'%1': choose a .png, .svg or .pdf file name").arg(path);

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    bool painted = false;
    if (suffix == QLatin1String("png")) {
        // Opaque, and light compression: a 1600x900 PNG takes ~15 ms instead of ~90 ms to encode
        // at zlib's default level, for a file a little larger.
        QImage image(size, QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter p(&image);
        paint(p);
        p.end();
        painted = image.save(&buffer, "PNG", 80);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(title);
        svg.setDescription(description);
        QPainter p;
        if ((painted = p.begin(&svg))) {
            paint(p);
            p.end();
        }
    } else {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(72); // one pixel of the requested size is one point
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("Timeslice"));
        const ReportPages whole { { { 0.0, double(size.height()) } }, {} };
        painted = paint_pages(pdf, QSizeF(size), pages ? *pages : whole, paint);
    }
    buffer.close();
    if (!painted || bytes.isEmpty())
        return QStringLiteral("cannot draw the %1 image").arg(suffix.toUpper());
    const std::string error
        = write_file_atomically(QFile::encodeName(path).toStdString(), std::string_view(bytes.constData(), std::size_t(bytes.size())));
    return QString::fromStdString(error);
}

} // namespace

QString export_image(const Trace& trace, const QString& path, QSize size, TimeRange range, bool hand_over_arrows)
{
    if (const QString error = size_error(size); !error.isEmpty())
        return error;
    const QSize grown = report_size(trace, size).size;
    const ReportPages pages = report_pages(trace, size);
    return write_image(
        path, grown, title_text(trace), parameters_text(trace),
        [&](QPainter& p) { paint_report(p, QSizeF(grown), trace, range, hand_over_arrows); }, &pages);
}

ReportPages report_pages(const Trace& trace, QSize requested)
{
    const ReportSize r = report_size(trace, requested);
    const double total = r.size.height();
    ReportPages pages;
    if (!r.grown) {
        pages.slices = { { 0.0, total } };
        return pages;
    }
    const ReportLayout l = layout_report(QSizeF(r.size), trace);
    const QRectF plot = timeline_plot_rect(l.timeline, l.style);
    pages.repeat = QRectF(0, l.timeline.top(), r.size.width(), plot.top() - l.timeline.top());
    const double rows_end = plot.top() + l.style.row_height * double(trace.tasks.size());
    double top = 0;
    while (total - top > 0.5) {
        const double room = requested.height() - (top > 0 ? pages.repeat.height() : 0.0);
        double bottom = total;
        if (total - top > room) {
            // Between two rows; after the last row the lanes and the CPU chart start a page.
            const double rows = std::floor((top + room - plot.top()) / l.style.row_height + 1e-9);
            bottom = std::min(rows_end, plot.top() + rows * l.style.row_height);
            if (bottom <= top + 1)
                bottom = std::min(total, top + room); // nothing to cut between: cut at the page
        }
        pages.slices.emplace_back(top, bottom);
        top = bottom;
    }
    return pages;
}

TimeRange full_range(const std::vector<LabelledTrace>& runs)
{
    Nanos end = kNanosPerMilli;
    for (const LabelledTrace& r : runs) {
        if (r.trace)
            end = std::max(end, r.trace->end_time());
    }
    return TimeRange { 0, end };
}

void paint_compare_report(QPainter& p, const QSizeF& size, const std::vector<LabelledTrace>& runs, TimeRange range, bool hand_over_arrows)
{
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    if (runs.empty() || !runs.front().trace)
        return;
    const Trace& first = *runs.front().trace;
    ReportLayout l = layout_report(size, first);
    const double unit = l.unit;
    const double margin = 24 * unit;
    double y = l.header_top;
    // One label column for every run, as wide as the widest asks: the time axes line up.
    for (const LabelledTrace& run : runs) {
        if (run.trace)
            l.style.label_width = std::max(l.style.label_width, fitted_label_width(*run.trace, l.base, 210 * unit, size.width() / 3.0));
    }
    p.setPen(QColor(0x10, 0x10, 0x10));
    p.setFont(l.title);
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, 32 * unit), Qt::AlignLeft | Qt::AlignVCenter,
        QStringLiteral("%1 under every model").arg(QString::fromStdString(first.info.workload)));
    y += 34 * unit;
    p.setFont(l.small);
    p.setPen(QColor(0x60, 0x60, 0x60));
    p.drawText(QRectF(margin, y, size.width() - 2 * margin, 18 * unit), Qt::AlignLeft | Qt::AlignVCenter,
        QStringLiteral("scale %1  ·  %2  ·  run one after another, same time axis  ·  Timeslice")
            .arg(first.info.scale)
            .arg(machine_text(first)));
    y += 24 * unit;
    y += paint_legend(p, QRectF(margin, y, size.width() - 2 * margin, 60 * unit), l.base) + 10 * unit;

    const double section = (size.height() - y - margin) / double(runs.size());
    for (const LabelledTrace& run : runs) {
        if (!run.trace)
            continue;
        const Trace& trace = *run.trace;
        p.setFont(l.base);
        p.setPen(QColor(0x10, 0x10, 0x10));
        QFont bold = l.base;
        bold.setBold(true);
        p.setFont(bold);
        p.drawText(QRectF(margin, y, size.width() - 2 * margin, 20 * unit), Qt::AlignLeft | Qt::AlignVCenter, run.label);
        const double label_w = QFontMetricsF(bold).horizontalAdvance(run.label) + 16 * unit;
        p.setFont(l.small);
        p.setPen(QColor(0x30, 0x30, 0x30));
        p.drawText(QRectF(margin + label_w, y, size.width() - 2 * margin - label_w, 20 * unit), Qt::AlignLeft | Qt::AlignVCenter,
            QStringLiteral("makespan %1  ·  %2").arg(QString::fromStdString(format_duration(trace.info.makespan)), scorecard_line(trace)));
        const double body = section - 24 * unit;
        TimelineStyle style = l.style;
        const double cpu_h = std::max(40.0 * unit, body * 0.25);
        const std::size_t rows = std::max<std::size_t>(1, trace.tasks.size());
        style.axis_height = 22 * unit;
        style.row_height = std::clamp((body - cpu_h - style.axis_height) / double(rows), 3.0, 60.0 * unit);
        const QRectF timeline(margin, y + 22 * unit, size.width() - 2 * margin, style.axis_height + style.row_height * double(rows));
        paint_timeline(p, timeline, trace, range, 0, style);
        if (hand_over_arrows && !trace.foreign)
            paint_hand_overs(p, timeline, style, range, 0, int(trace.tasks.size()), hand_overs(trace));
        // Its bands (the CPU plot) share the room under its rows.
        std::vector<const Track*> bands;
        for (const Track* kind : track_kinds()) {
            if (kind->band() && kind->shown(trace))
                bands.push_back(kind);
        }
        const double band_h = cpu_h / double(std::max<std::size_t>(1, bands.size()));
        double band_top = timeline.bottom() + 2 * unit;
        for (const Track* band : bands) {
            const QRectF area(margin, band_top, size.width() - 2 * margin, band_h - 4 * unit);
            band->paint(p, TrackFrame { area, timeline_time_map(timeline, style, range), style.label_width, l.base, l.small }, trace);
            band_top += band_h;
        }
        y += section;
    }
}

QString export_compare_image(const std::vector<LabelledTrace>& runs, const QString& path, QSize size, bool hand_over_arrows)
{
    return export_compare_image(runs, path, size, full_range(runs), hand_over_arrows);
}

QString export_compare_image(const std::vector<LabelledTrace>& runs, const QString& path, QSize size, TimeRange range, bool hand_over_arrows)
{
    if (runs.empty() || !runs.front().trace)
        return QStringLiteral("there are no runs to export yet");
    return write_image(path, size, QStringLiteral("%1 under every model").arg(QString::fromStdString(runs.front().trace->info.workload)),
        QString(), [&](QPainter& p) { paint_compare_report(p, QSizeF(size), runs, range, hand_over_arrows); });
}

} // namespace timeslice::ui
