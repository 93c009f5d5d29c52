// Responsible for the CPU plot under an exported timeline: each core's use, the total and other
// programs' as step lines over the timeline's time axis, with their key.
#include "ui/tracks/cpu_plot.h"

#include "ui/tracks/cpu_series.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/track.h"

#include <QFontMetricsF>
#include <QPaintEngine>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

std::vector<CpuKeyEntry> cpu_key(const CpuChartContent& content, double plot_width, const QFontMetricsF& fm)
{
    // Each entry is its text and 30 px of line and gaps. The total always; everything else (the
    // machine's use less the run's) and the cores while they fit in the plot's width (the
    // tooltip still names each). Not "other programs": Timeslice's own window and readers are in
    // it too.
    const auto width = [&](const QString& text) { return fm.horizontalAdvance(text) + 30; };
    std::vector<CpuKeyEntry> entries { { CpuLine::Total, 0, QStringLiteral("total") } };
    double room = plot_width - 10 - width(entries.front().text);
    const QString other = QStringLiteral("everything else");
    if (content.own) {
        if (room < width(other))
            return entries;
        room -= width(other);
        entries.push_back({ CpuLine::Other, 0, other });
    }
    for (std::size_t c = 0; c < content.cores; ++c) {
        const QString text = QStringLiteral("cpu%1").arg(c);
        if (room < width(text))
            break;
        room -= width(text);
        entries.push_back({ CpuLine::Core, c, text });
    }
    return entries;
}

namespace {

// The time under the plot, at the timeline's ticks (a plot far below the timeline's axis).
void paint_time_labels(QPainter& p, const QRectF& plot, const TimeMap& map, const QFont& font)
{
    const QFontMetricsF fm(font);
    p.setPen(QColor(0x40, 0x40, 0x40));
    for (const Tick& tick : compute_ticks(map, axis_tick_spacing(font))) {
        const QString label = QString::fromStdString(tick.label);
        const double w = fm.horizontalAdvance(label);
        p.drawLine(QPointF(tick.x, plot.bottom()), QPointF(tick.x, plot.bottom() + 4));
        p.drawText(QPointF(std::clamp(tick.x - w / 2, plot.left(), plot.right() - w), plot.bottom() + 4 + fm.ascent()), label);
    }
}

// A step line as separate segments, each straight run one segment: Qt strokes a path of
// thousands of steps as one self-crossing outline, 50 times slower (620 ms for 8 busy cores).
QList<QLineF> step_segments(const QList<QPointF>& points)
{
    QList<QLineF> lines;
    lines.reserve(points.size());
    for (qsizetype i = 0; i < points.size(); ++i) {
        const QPointF at = points[i];
        if (i == 0) {
            lines.append(QLineF(at, at));
            continue;
        }
        QLineF& run = lines.back();
        const bool straight = (run.p1().y() == run.p2().y() && at.y() == run.p2().y())
            || (run.p1().x() == run.p2().x() && at.x() == run.p2().x());
        if (straight || run.p1() == run.p2())
            run.setP2(at);
        else
            lines.append(QLineF(run.p2(), at));
    }
    return lines;
}

// The key, from the plot's right edge, right to left.
void paint_key(QPainter& p, const QRectF& plot, const CpuChartContent& content, const QFontMetricsF& fm)
{
    const std::vector<CpuKeyEntry> entries = cpu_key(content, plot.width(), fm);
    // On a ground of its own: the lines pass under the key, not through its words.
    double width = 0;
    for (const CpuKeyEntry& e : entries)
        width += fm.horizontalAdvance(e.text) + 30;
    p.fillRect(QRectF(plot.right() - width + 4, plot.top() + 1, width - 4, fm.height() + 3), QColor(0xFA, 0xFA, 0xFA, 235));
    double x = plot.right();
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        x -= fm.horizontalAdvance(it->text);
        p.setPen(QColor(0x20, 0x20, 0x20));
        p.drawText(QPointF(x, plot.top() + fm.ascent() + 2), it->text);
        x -= 18;
        p.setPen(QPen(it->line == CpuLine::Total ? QColor(0x20, 0x20, 0x20) : cpu_line_color(it->line, it->core),
            it->line == CpuLine::Core ? 1.5 : 2.0));
        p.drawLine(QPointF(x, plot.top() + fm.height() / 2 + 2), QPointF(x + 14, plot.top() + fm.height() / 2 + 2));
        x -= 12;
    }
}

} // namespace

void paint_cpu_plot(
    QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map, const QFont& font, bool time_axis)
{
    p.save();
    p.setFont(font);
    const QFontMetricsF fm(font);
    const double axis = time_axis ? fm.height() * 1.3 : 0.0;
    const QRectF plot(map.x0, area.top() + fm.height() * 0.6, map.width, area.height() - fm.height() * 1.2 - axis);
    if (time_axis)
        paint_time_labels(p, plot, map, font);
    p.fillRect(plot, QColor(0xFA, 0xFA, 0xFA));
    p.setPen(QColor(0xC8, 0xC8, 0xC8));
    for (int pct : { 0, 50, 100 }) {
        const double y = plot.bottom() - plot.height() * pct / 100.0;
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(QColor(0x40, 0x40, 0x40));
        const QString label = QStringLiteral("%1%").arg(pct);
        p.drawText(QPointF(plot.left() - fm.horizontalAdvance(label) - 6, y + fm.ascent() / 2 - 1), label);
        p.setPen(QColor(0xC8, 0xC8, 0xC8));
    }
    const CpuChartContent content = cpu_chart_content(trace);
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(QRectF(area.left() + 6, plot.top(), plot.left() - area.left() - 50, plot.height()),
        Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, content.title);

    p.setClipRect(plot.adjusted(-1, -2, 1, 2));
    // Steps are level and upright: in pixels (the window, a PNG), drawn whole pixels wide
    // without antialiasing, they look the same and paint in half the time (30,000 samples x 10
    // lines: 10.3 ms with it). An SVG or a PDF keeps it: its lines are drawn again at any scale.
    const bool crisp = p.paintEngine() && p.paintEngine()->type() == QPaintEngine::Raster;
    p.setRenderHint(QPainter::Antialiasing, !crisp);
    // The window's step lines (cpu_steps), one step per pixel column at most. They are cut to the
    // plot here rather than left to the clip: QSvgGenerator (Qt 6.4) writes no clip paths, and a
    // zoomed SVG's lines ran across the labels and off the page.
    const TimeRange range { map.start, map.end };
    std::vector<CpuLineId> lines;
    for (std::size_t c = 0; c < content.cores; ++c)
        lines.push_back(CpuLineId { CpuLine::Core, c });
    if (content.own)
        lines.push_back(CpuLineId { CpuLine::Other, 0 });
    lines.push_back(CpuLineId { CpuLine::Total, 0 });
    std::vector<QList<QPointF>> steps = cpu_steps(trace.cpu, lines, content.own, range, std::max(1, int(map.width)));
    for (std::size_t k = 0; k < lines.size(); ++k) {
        for (QPointF& point : steps[k]) {
            point = QPointF(std::clamp(map.to_x(Nanos(std::llround(point.x() * 1e9))), plot.left(), plot.right()),
                plot.bottom() - plot.height() * point.y() / 100.0);
        }
        const double width = cpu_line_width(lines[k].line) * 0.9;
        p.setPen(QPen(cpu_line_color(lines[k].line, lines[k].core), crisp ? std::max(1.0, std::round(width)) : width));
        p.drawLines(step_segments(steps[k]));
    }
    p.setClipping(false);
    p.setRenderHint(QPainter::Antialiasing, false);
    if (!trace.cpu.empty())
        paint_key(p, plot, content, fm);
    p.restore();
}

namespace {

// The plot as a track kind: one band that takes what the task rows leave, in the window's lower
// pane, under each run of a comparison, and in the exports.
class CpuTrack final : public Track {
public:
    QString name() const override { return QStringLiteral("cpuChart"); }
    bool shown(const Trace& trace) const override { return !trace.foreign; }
    ExportRoom exportRoom() const override { return ExportRoom { .gap = 10, .least = 80, .most = 320 }; }
    void paint(QPainter& p, const TrackFrame& f, const Trace& trace) const override
    {
        paint_cpu_plot(p, f.area, trace, f.map, f.small, f.time_axis);
    }
    QString tooltip(const TrackFrame& f, const Trace& trace, QPointF pos) const override;
};

QString CpuTrack::tooltip(const TrackFrame& f, const Trace& trace, QPointF pos) const
{
    if (trace.cpu.empty() || pos.x() < f.map.x0 || pos.x() > f.map.x0 + f.map.width)
        return {};
    const Nanos t = f.map.to_time(pos.x());
    // A sample holds the use over the interval that ends at its time.
    const auto& cpu = trace.cpu;
    const auto it = std::lower_bound(cpu.begin(), cpu.end(), t, [](const CpuSample& s, Nanos v) { return s.t < v; });
    if (it == cpu.end())
        return {};
    const CpuChartContent content = cpu_chart_content(trace);
    const auto pct = [&](CpuLine line, std::size_t core) { return double(cpu_value(*it, line, core, content.own)); };
    QString text = QStringLiteral("<b>%1</b><br>%2")
                       .arg(QString::fromStdString(format_instant(t, std::max<Nanos>(1, Nanos(f.map.nanos_per_pixel())))),
                           content.own ? QStringLiteral("this run") : QStringLiteral("whole machine"));
    text += QStringLiteral("<br>total %1 %").arg(pct(CpuLine::Total, 0), 0, 'f', 0);
    for (std::size_t c = 0; c < content.cores; ++c)
        text += QStringLiteral("<br>cpu%1 %2 %").arg(c).arg(pct(CpuLine::Core, c), 0, 'f', 0);
    if (content.own && it->own_total >= 0)
        text += QStringLiteral("<br>everything else %1 % (other programs, Timeslice's own window)")
                    .arg(pct(CpuLine::Other, 0), 0, 'f', 0);
    // Each step is a mean over the sampler's interval (tens of ms): on a short run it can
    // disagree with the CPU lanes, which are exact. (A run's first sample: 50 ms at most.)
    const Nanos from = it == cpu.begin() ? std::max<Nanos>(0, it->t - 50 * kNanosPerMilli) : std::prev(it)->t;
    text += QStringLiteral("<br><i>mean over %1 to %2</i>")
                .arg(QString::fromStdString(format_instant(from, kNanosPerMilli / 10)),
                    QString::fromStdString(format_instant(it->t, kNanosPerMilli / 10)));
    return text;
}

} // namespace

const Track& cpu_track()
{
    static const CpuTrack track;
    return track;
}

} // namespace timeslice::ui
