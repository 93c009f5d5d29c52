#include "ui/tracks/foreign_rows.h"

#include "core/formats/foreign_trace.h"
#include "ui/tracks/time_axis.h"

#include <QFontMetricsF>
#include <QPainter>

namespace timeslice::ui {

QColor span_name_color(std::uint32_t name)
{
    // Okabe-Ito's colours, lightened in turn, so neighbouring names rarely share one.
    static const QColor colors[] = { QColor(0x56, 0xB4, 0xE9), QColor(0xE6, 0x9F, 0x00), QColor(0x00, 0x9E, 0x73),
        QColor(0xCC, 0x79, 0xA7), QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0xF0, 0xE4, 0x42) };
    constexpr std::uint32_t n = sizeof colors / sizeof colors[0];
    return colors[name % n].lighter(100 + int(name / n % 3) * 25);
}

void paint_foreign_span(QPainter& p, const Trace& trace, const DrawRect& r, const QRectF& bar, const QFont& font)
{
    const ForeignTrace& foreign = *trace.foreign;
    const auto& names = foreign.span_names[std::size_t(r.row)];
    if (r.merged > 1 || r.first_span >= names.size()) {
        p.fillRect(bar, QColor(0x9A, 0x9A, 0x9A));
        p.fillRect(bar, QBrush(QColor(255, 255, 255, 90), Qt::BDiagPattern));
        return;
    }
    const std::uint32_t name = names[r.first_span];
    p.fillRect(bar, span_name_color(name));
    const QFontMetricsF fm(font);
    if (bar.width() < fm.averageCharWidth() * 4 || bar.height() < fm.height() * 0.8)
        return;
    p.save();
    p.setFont(font);
    p.setPen(QColor(0x10, 0x10, 0x10));
    const QRectF inside = bar.adjusted(3, 0, -3, 0);
    p.drawText(inside, Qt::AlignLeft | Qt::AlignVCenter,
        fm.elidedText(QString::fromStdString(foreign.names[name]), Qt::ElideRight, inside.width()));
    p.restore();
}

QString foreign_span_tooltip(const Trace& trace, int row, std::size_t span, Nanos resolution)
{
    const ForeignTrace& foreign = *trace.foreign;
    const TaskTrace& task = trace.tasks[std::size_t(row)];
    const Span& s = task.spans[span];
    const std::string& name = foreign.names[foreign.span_names[std::size_t(row)][span]];
    return QStringLiteral("<b>%1</b><br>%2<br>start %3, duration %4<br>pid %5, tid %6")
        .arg(QString::fromStdString(name).toHtmlEscaped(), QString::fromStdString(task.name).toHtmlEscaped(),
            QString::fromStdString(format_instant(s.start, resolution)), QString::fromStdString(format_duration(s.duration())))
        .arg(s.pid())
        .arg(s.tid());
}

QString foreign_summary(const Trace& trace)
{
    const ForeignTrace& foreign = *trace.foreign;
    QString text = QStringLiteral("%1 trace, read-only: %2 thread%3 in %4 row%5")
                       .arg(QString::fromStdString(foreign.source))
                       .arg(foreign.threads)
                       .arg(foreign.threads == 1 ? QString() : QStringLiteral("s"))
                       .arg(trace.tasks.size())
                       .arg(trace.tasks.size() == 1 ? QString() : QStringLiteral("s"));
    if (trace.tasks.size() > foreign.threads)
        text += QStringLiteral(" (nested spans one row deeper)");
    const std::string ignored = not_understood_text(foreign);
    text += ignored.empty() ? QStringLiteral("; everything understood")
                            : QStringLiteral("; not understood: %1").arg(QString::fromStdString(ignored));
    return text;
}

} // namespace timeslice::ui
