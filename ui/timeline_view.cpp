#include "ui/timeline_view.h"
#include "ui/foreign_rows.h"

#include "ui/core_lanes.h"
#include "ui/palette.h"
#include "ui/time_axis.h"
#include "ui/zoom_state.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace timeslice::ui {

TimelineView::TimelineView(ZoomState* zoom, QWidget* parent)
    : QWidget(parent)
    , m_zoom(zoom)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setObjectName(QStringLiteral("timeline"));
    m_style.font = font();
    m_style.row_height = std::max(22.0, QFontMetricsF(font()).height() * 1.7);
    connect(m_zoom, &ZoomState::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::fitted, this, [this] { setFirstRow(0); });
    // Shift+wheel alone was the only way through many rows; a scroll bar shows where one is.
    m_rows_bar = new QScrollBar(Qt::Vertical, this);
    m_rows_bar->setObjectName(QStringLiteral("timelineRows"));
    m_rows_bar->setVisible(false);
    connect(m_rows_bar, &QScrollBar::valueChanged, this, &TimelineView::setFirstRow);
}

int TimelineView::rowsFit() const
{
    const double rows_height = timeline_plot_rect(timelineArea(), m_style).height();
    return std::max(1, int(rows_height / m_style.row_height));
}

void TimelineView::setFirstRow(int row)
{
    // Never past the point where the last row is at the bottom: the view stays full.
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const int first = std::clamp(row, 0, std::max(0, rows - rowsFit()));
    if (first != m_first_row) {
        m_first_row = first;
        update();
    }
    m_rows_bar->setValue(m_first_row);
}

void TimelineView::updateRowsBar()
{
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const int fit = rowsFit();
    const bool needed = rows > fit;
    const int width = m_rows_bar->sizeHint().width();
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    m_rows_bar->setGeometry(QRect(this->width() - width, int(plot.top()), width, int(plot.height())));
    m_rows_bar->setRange(0, std::max(0, rows - fit));
    m_rows_bar->setPageStep(fit);
    if (needed != m_rows_bar->isVisible()) {
        m_rows_bar->setVisible(needed);
        updateRowHeight();
        Q_EMIT plotGeometryChanged(); // the bar takes width from the plot
    }
    setFirstRow(m_first_row);
}

void TimelineView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    m_span_times = m_trace ? SpanTimes(*m_trace) : SpanTimes();
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    m_first_row = std::clamp(m_first_row, 0, std::max(0, rows - 1));
    updateRowHeight();
    updateRowsBar();
    update();
}

void TimelineView::updateRowHeight()
{
    // A few tasks get tall rows (up to four times the minimum, as tall as an export's at
    // 1600x900), many get the minimum and scroll (Shift+wheel).
    const double minimum = std::max(22.0, QFontMetricsF(font()).height() * 1.7);
    const int rows = m_trace ? std::max<int>(1, int(m_trace->tasks.size())) : 1;
    const double available = timelineArea().height() - m_style.axis_height - 4;
    m_style.row_height = std::clamp(available / rows, minimum, minimum * 4);
}

void TimelineView::setLegendVisible(bool visible)
{
    m_legend_visible = visible;
    updateRowHeight();
    update();
    Q_EMIT plotGeometryChanged();
}

bool TimelineView::hasCoreLanes() const { return m_trace && core_lane_count(*m_trace) > 0; }

QSize TimelineView::sizeHint() const { return QSize(900, 320); }
QSize TimelineView::minimumSizeHint() const { return QSize(300, 120); }

QRectF TimelineView::timelineArea() const
{
    // The legend takes a strip at the bottom; the rows and the axis get the rest.
    const double bar = m_rows_bar && m_rows_bar->isVisible() ? m_rows_bar->width() : 0;
    if (!m_legend_visible)
        return QRectF(0, 0, width() - bar, height());
    const double legend = paint_legend_height(font(), width() - 16, hasCoreLanes());
    return QRectF(0, 0, width() - bar, std::max(0.0, height() - legend - 10));
}

TimeMap TimelineView::timeMap() const { return timeline_time_map(timelineArea(), m_style, m_zoom->range()); }
double TimelineView::plotLeft() const { return timeline_plot_rect(timelineArea(), m_style).left(); }
double TimelineView::plotWidth() const { return timeline_plot_rect(timelineArea(), m_style).width(); }

Nanos TimelineView::timeAt(double x) const { return timeMap().to_time(x); }

const Span* TimelineView::spanAt(QPointF pos, int* row_out) const
{
    if (!m_trace)
        return nullptr;
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    if (!plot.contains(pos))
        return nullptr;
    const int row = m_first_row + int((pos.y() - plot.top()) / m_style.row_height);
    if (row < 0 || row >= int(m_trace->tasks.size()))
        return nullptr;
    if (row_out)
        *row_out = row;
    const auto& spans = m_trace->tasks[std::size_t(row)].spans;
    const Nanos t = timeAt(pos.x());
    // Within a pixel or two of a span counts, so narrow spans can be pointed at.
    const Nanos slop = Nanos(timeMap().nanos_per_pixel() * 2);
    auto it = std::lower_bound(spans.begin(), spans.end(), t, [](const Span& s, Nanos v) { return s.end <= v; });
    if (it != spans.end() && it->start <= t)
        return &*it;
    if (it != spans.end() && it->start - t <= slop)
        return &*it;
    if (it != spans.begin() && t - std::prev(it)->end <= slop)
        return &*std::prev(it);
    return nullptr;
}

QString TimelineView::tooltipAt(QPointF pos) const
{
    int row = -1;
    const Span* span = spanAt(pos, &row);
    if (!span)
        return {};
    if (m_trace->foreign)
        return foreign_span_tooltip(*m_trace, row, std::size_t(span - m_trace->tasks[std::size_t(row)].spans.data()),
            std::max<Nanos>(1, Nanos(timeMap().nanos_per_pixel())));
    const TaskTrace& task = m_trace->tasks[std::size_t(row)];
    QString text = QStringLiteral("<b>%1</b> — %2<br>%3<br>start %4, duration %5")
                       .arg(QString::fromStdString(task.name).toHtmlEscaped(), state_label(span->state),
                           state_explanation(span->state),
                           QString::fromStdString(format_instant(span->start, std::max<Nanos>(1, Nanos(timeMap().nanos_per_pixel())))),
                           QString::fromStdString(format_duration(span->duration())));
    if (span->pid)
        text += QStringLiteral("<br>worker pid %1, tid %2").arg(span->pid).arg(span->tid);
    if (span->core >= 0)
        text += QStringLiteral("<br>on CPU %1").arg(span->core);
    if (span->state == State::GilWait && m_trace->info.gil_inferred)
        text += tr("<br>inferred from the kernel: its thread was asleep off every core, outside any wait, "
                   "while another thread of its process ran");
    if (!task.reason.empty() && task.status != State::Done)
        text += QStringLiteral("<br>%1: %2").arg(state_label(task.status), QString::fromStdString(task.reason).toHtmlEscaped());
    return text;
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (!m_trace || m_trace->tasks.empty()) {
        p.setPen(QColor(0x70, 0x70, 0x70));
        p.drawText(rect(), Qt::AlignCenter,
            tr("Pick a workload and a model, then press Run (Ctrl+R).\nEach task gets a row; its colour shows what it is doing."));
        paintFocusRing(p);
        return;
    }
    const QRectF area = timelineArea();
    paint_timeline(p, area, *m_trace, m_zoom->range(), m_first_row, m_style, &m_span_times);
    paintFocusRing(p);
    if (m_legend_visible) {
        p.setPen(QColor(0xDD, 0xDD, 0xDD));
        p.drawLine(QPointF(0, area.bottom() + 4), QPointF(width(), area.bottom() + 4));
        if (m_trace->foreign) {
            p.setPen(QColor(0x20, 0x20, 0x20));
            p.drawText(QRectF(8, area.bottom() + 8, width() - 16, height() - area.bottom() - 8), Qt::AlignLeft | Qt::TextWordWrap,
                foreign_summary(*m_trace));
        } else {
            paint_legend(p, QRectF(8, area.bottom() + 8, width() - 16, height() - area.bottom() - 8), font(), true, hasCoreLanes());
        }
    }
}

void TimelineView::paintFocusRing(QPainter& p) const
{
    // F, Ctrl+= and the other keys act on the timeline: show when it has the keyboard.
    if (!hasFocus())
        return;
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (event->modifiers() & Qt::ShiftModifier || std::abs(event->angleDelta().x()) > std::abs(event->angleDelta().y())) {
        // Shift+wheel or a sideways swipe: scroll rows / pan.
        if (event->angleDelta().x() != 0) {
            const TimeRange r = m_zoom->range();
            m_zoom->panBy(-Nanos(double(r.end - r.start) * event->angleDelta().x() / 1200.0));
        } else if (m_trace) {
            setFirstRow(m_first_row - int(steps * 3));
        }
        event->accept();
        return;
    }
    m_zoom->zoomAt(timeAt(event->position().x()), std::pow(1.25, steps));
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_drag_last = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging)
        return;
    const QPointF delta = event->position() - m_drag_last;
    m_drag_last = event->position();
    m_zoom->panBy(-Nanos(delta.x() * timeMap().nanos_per_pixel()));
    if (m_trace && std::abs(delta.y()) >= 1) {
        m_row_carry += delta.y();
        const int rows = int(m_row_carry / m_style.row_height);
        if (rows != 0) {
            m_row_carry -= rows * m_style.row_height;
            setFirstRow(m_first_row - rows);
        }
    }
}

void TimelineView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
    unsetCursor();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent*) { m_zoom->fit(); }

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    // Rows as in any list; Left and Right pan by a tenth of the view.
    const TimeRange r = m_zoom->range();
    switch (event->key()) {
    case Qt::Key_Up:
        setFirstRow(m_first_row - 1);
        break;
    case Qt::Key_Down:
        setFirstRow(m_first_row + 1);
        break;
    case Qt::Key_PageUp:
        setFirstRow(m_first_row - rowsFit());
        break;
    case Qt::Key_PageDown:
        setFirstRow(m_first_row + rowsFit());
        break;
    case Qt::Key_Home:
        setFirstRow(0);
        break;
    case Qt::Key_End:
        setFirstRow(m_trace ? int(m_trace->tasks.size()) : 0);
        break;
    case Qt::Key_Left:
        m_zoom->panBy(-(r.end - r.start) / 10);
        break;
    case Qt::Key_Right:
        m_zoom->panBy((r.end - r.start) / 10);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void TimelineView::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    update();
}

void TimelineView::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    update();
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateRowHeight();
    updateRowsBar();
    Q_EMIT plotGeometryChanged();
}

bool TimelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace timeslice::ui
