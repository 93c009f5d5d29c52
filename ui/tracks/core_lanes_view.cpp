#include "ui/tracks/core_lanes_view.h"
#include "ui/tracks/timeline_painter.h"

#include "ui/tracks/zoom_state.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

namespace timeslice::ui {

namespace {
constexpr double kTop = 4; // a gap from the timeline's legend above
}

CoreLanesView::CoreLanesView(ZoomState* zoom, QWidget* parent)
    : QWidget(parent)
    , m_zoom(zoom)
{
    setObjectName(QStringLiteral("coreLanes"));
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_lanes_bar = new QScrollBar(Qt::Vertical, this);
    m_lanes_bar->setObjectName(QStringLiteral("coreLanesScroll"));
    m_lanes_bar->setVisible(false);
    connect(m_lanes_bar, &QScrollBar::valueChanged, this, &CoreLanesView::setFirstLane);
    connect(m_zoom, &ZoomState::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::playheadChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::fitted, this, [this] { setFirstLane(0); });
    m_lane_height = normalLaneHeight();
}

double CoreLanesView::normalLaneHeight() const { return std::max(20.0, QFontMetricsF(font()).height() * 1.5); }

void CoreLanesView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    const int lanes = laneCount();
    if (lanes != m_lanes) {
        m_lanes = lanes;
        m_first_lane = 0;
        updateLanes();
        updateGeometry();
        Q_EMIT lanesChanged(lanes);
    }
    update();
}

void CoreLanesView::alignPlot(double left, double width)
{
    m_left = left;
    m_width = width;
    update();
}

int CoreLanesView::lanesFit() const { return std::max(1, int((height() - kTop) / m_lane_height + 1e-9)); }

void CoreLanesView::updateLanes()
{
    // Lanes as tall as a task row when they fit, down to a third of that (64 cores in ~450 px);
    // past that they scroll.
    const double normal = normalLaneHeight();
    const double available = std::max(1.0, height() - kTop);
    m_lane_height = m_lanes > 0 ? std::clamp(available / m_lanes, normal / 3, normal) : normal;
    const int fit = lanesFit();
    const bool needed = m_lanes > fit;
    const int bar_width = m_lanes_bar->sizeHint().width();
    m_lanes_bar->setGeometry(QRect(width() - bar_width, int(kTop), bar_width, height() - int(kTop)));
    m_lanes_bar->setRange(0, std::max(0, m_lanes - fit));
    m_lanes_bar->setPageStep(fit);
    m_lanes_bar->setVisible(needed);
    setFirstLane(m_first_lane);
}

void CoreLanesView::setFirstLane(int lane)
{
    const int first = std::clamp(lane, 0, std::max(0, m_lanes - lanesFit()));
    if (first != m_first_lane) {
        m_first_lane = first;
        update();
    }
    m_lanes_bar->setValue(m_first_lane);
}

TimeMap CoreLanesView::timeMap() const
{
    const TimeRange r = m_zoom->range();
    return TimeMap { r.start, std::max(r.start + 1, r.end), m_left, m_width };
}

int CoreLanesView::laneAt(QPointF pos) const
{
    if (pos.y() < kTop)
        return -1;
    const int lane = m_first_lane + int((pos.y() - kTop) / m_lane_height);
    return lane < m_lanes ? lane : -1;
}

double CoreLanesView::laneCenterY(int lane) const { return kTop + (lane - m_first_lane + 0.5) * m_lane_height; }

QString CoreLanesView::tooltipAt(QPointF pos) const
{
    if (!m_trace || pos.x() < m_left || pos.x() > m_left + m_width)
        return {};
    const int lane = laneAt(pos);
    if (lane < 0)
        return {};
    const TimeMap map = timeMap();
    // Within a pixel or two counts, so narrow spans can be pointed at.
    const CoreSpan* span = core_span_at(*m_trace, lane, map.to_time(pos.x()), Nanos(map.nanos_per_pixel() * 2));
    if (!span)
        return {};
    return core_span_tooltip(*m_trace, *span, std::max<Nanos>(1, Nanos(map.nanos_per_pixel())));
}

QSize CoreLanesView::sizeHint() const
{
    // Up to eight lanes at full height; more share that room, thinner, and scroll.
    return QSize(900, int(kTop + std::min(m_lanes, 8) * normalLaneHeight() + 2));
}

QSize CoreLanesView::minimumSizeHint() const { return sizeHint(); }

void CoreLanesView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (!m_trace)
        return;
    const double bar = m_lanes_bar->isVisible() ? m_lanes_bar->width() : 0;
    const QRectF area(0, kTop, width() - bar, height() - kTop);
    paint_core_lanes(p, area, *m_trace, timeMap(), m_first_lane, m_lane_height, m_left, font());
    if (const auto at = m_zoom->playhead()) {
        const double x = timeMap().to_x(*at);
        if (x >= m_left - 1 && x <= area.right() + 1) {
            p.setPen(QPen(kPlayheadColor, 2));
            p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        }
    }
}

void CoreLanesView::wheelEvent(QWheelEvent* event)
{
    // As over the timeline: the wheel zooms at the cursor, Shift+wheel scrolls lanes, a sideways
    // swipe pans.
    const QPoint delta = event->angleDelta();
    const TimeRange range = m_zoom->range();
    if (std::abs(delta.x()) > std::abs(delta.y()))
        m_zoom->panBy(-Nanos(double(range.end - range.start) * delta.x() / 1200.0));
    else if (event->modifiers() & Qt::ShiftModifier)
        setFirstLane(m_first_lane - int(delta.y() / 120.0 * 3));
    else
        m_zoom->zoomAt(timeMap().to_time(event->position().x()), std::pow(1.25, delta.y() / 120.0));
    event->accept();
}

void CoreLanesView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_drag_last = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
}

void CoreLanesView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging)
        return;
    const QPointF delta = event->position() - m_drag_last;
    m_drag_last = event->position();
    m_zoom->panBy(-Nanos(delta.x() * timeMap().nanos_per_pixel()));
}

void CoreLanesView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
    unsetCursor();
}

void CoreLanesView::mouseDoubleClickEvent(QMouseEvent*) { m_zoom->fit(); }

void CoreLanesView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateLanes();
}

bool CoreLanesView::event(QEvent* event)
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
