// Responsible for the CPU plot under an exported timeline: each core's use, the total and other
// programs' as step lines over the timeline's time axis, with their key.
#include "ui/tracks/cpu_plot.h"

#include "ui/tracks/cpu_series.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

void paint_cpu_plot(QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map, const QFont& font)
{
    p.save();
    p.setFont(font);
    const QFontMetricsF fm(font);
    const QRectF plot(map.x0, area.top() + fm.height() * 0.6, map.width, area.height() - fm.height() * 1.2);
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
    p.setRenderHint(QPainter::Antialiasing, true);
    // The window's step lines (cpu_steps), one step per pixel column at most. They are cut to the
    // plot here rather than left to the clip: QSvgGenerator (Qt 6.4) writes no clip paths, and a
    // zoomed SVG's lines ran across the labels and off the page.
    const TimeRange range { map.start, map.end };
    const auto x_of = [&](double seconds) {
        return std::clamp(map.to_x(Nanos(std::llround(seconds * 1e9))), plot.left(), plot.right());
    };
    auto line = [&](CpuLine which, std::size_t core) {
        const QList<QPointF> points = cpu_steps(trace.cpu, which, core, content.own, range, std::max(1, int(map.width)));
        QPainterPath path;
        for (qsizetype i = 0; i < points.size(); ++i) {
            const QPointF at(x_of(points[i].x()), plot.bottom() - plot.height() * points[i].y() / 100.0);
            if (i == 0)
                path.moveTo(at);
            else
                path.lineTo(at);
        }
        p.setPen(QPen(cpu_line_color(which, core), cpu_line_width(which) * 0.9));
        p.drawPath(path);
    };
    for (std::size_t c = 0; c < content.cores; ++c)
        line(CpuLine::Core, c);
    if (content.own)
        line(CpuLine::Other, 0);
    line(CpuLine::Total, 0);
    p.setClipping(false);
    p.setRenderHint(QPainter::Antialiasing, false);

    // Key: total, other programs and each core.
    double x = plot.right();
    auto key = [&](const QString& text, const QColor& color, double width) {
        const double w = fm.horizontalAdvance(text);
        x -= w;
        p.setPen(QColor(0x20, 0x20, 0x20));
        p.drawText(QPointF(x, plot.top() + fm.ascent() + 2), text);
        x -= 18;
        p.setPen(QPen(color, width));
        p.drawLine(QPointF(x, plot.top() + fm.height() / 2 + 2), QPointF(x + 14, plot.top() + fm.height() / 2 + 2));
        x -= 12;
    };
    for (std::size_t c = content.cores; c-- > 0;)
        key(QStringLiteral("cpu%1").arg(c), cpu_line_color(CpuLine::Core, c), 1.5);
    if (content.own)
        key(QStringLiteral("other programs"), cpu_line_color(CpuLine::Other, 0), 2.0);
    key(QStringLiteral("total"), QColor(0x20, 0x20, 0x20), 2.0);
    p.restore();
}

} // namespace timeslice::ui
