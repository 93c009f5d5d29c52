#include "ui/tracks/track_view.h"

#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/tooltip.h"
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
constexpr double kRowsTop = 4; // a gap from the timeline's legend above a track of rows
constexpr int kBandHeight = 140; // a band's least height in the window
}

TrackView::TrackView(const Track& track, ZoomState* zoom, QWidget* parent)
    : QWidget(parent)
    , m_track(track)
    , m_zoom(zoom)
{
    setObjectName(track.name());
    setMouseTracking(true); // the crosshair follows the pointer without a button held
    setAttribute(Qt::WA_OpaquePaintEvent);
    // A track of rows is as tall as its rows up to eight, and yields room down to one row
    // (thinner rows, then a scroll bar) rather than make a small window taller.
    setSizePolicy(QSizePolicy::Preferred, track.band() ? QSizePolicy::Expanding : QSizePolicy::Maximum);
    if (track.band())
        setMinimumHeight(kBandHeight);
    m_rows_bar = new QScrollBar(Qt::Vertical, this);
    m_rows_bar->setObjectName(track.name() + QStringLiteral("Scroll"));
    m_rows_bar->setVisible(false);
    connect(m_rows_bar, &QScrollBar::valueChanged, this, &TrackView::setFirstRow);
    connect(m_zoom, &ZoomState::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::playheadChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::fitted, this, [this] { setFirstRow(0); });
    m_row_height = normalRowHeight();
    if (!track.band())
        hide(); // a band stands empty until a trace comes; rows need one
}

double TrackView::normalRowHeight() const { return std::max(20.0, QFontMetricsF(font()).height() * 1.5); }

double TrackView::top() const { return m_track.band() ? 0 : kRowsTop; }

void TrackView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    const int rows = m_trace ? m_track.rows(*m_trace) : 0;
    if (rows != m_rows) {
        m_rows = rows;
        m_first_row = 0;
        updateRows();
        updateGeometry();
    }
    // Shown and hidden in its window's layout; a view of its own (a test's) is left alone.
    const bool wanted = m_trace ? m_track.shown(*m_trace) : m_track.band();
    if (!wanted)
        hide();
    else if (parentWidget())
        show();
    update();
}

void TrackView::alignPlot(double left, double width)
{
    m_left = left;
    m_width = width;
    update();
}

int TrackView::rowsFit() const { return std::max(1, int((height() - top()) / m_row_height + 1e-9)); }

void TrackView::updateRows()
{
    // Rows as tall as a task row when they fit, down to a third of that (64 cores in ~450 px);
    // past that they scroll.
    const double normal = normalRowHeight();
    const double available = std::max(1.0, height() - top());
    m_row_height = m_rows > 0 ? std::clamp(available / m_rows, normal / 3, normal) : normal;
    const int fit = rowsFit();
    const int bar_width = m_rows_bar->sizeHint().width();
    m_rows_bar->setGeometry(QRect(width() - bar_width, int(top()), bar_width, height() - int(top())));
    m_rows_bar->setRange(0, std::max(0, m_rows - fit));
    m_rows_bar->setPageStep(fit);
    m_rows_bar->setVisible(m_rows > fit);
    setFirstRow(m_first_row);
}

void TrackView::setFirstRow(int row)
{
    const int first = std::clamp(row, 0, std::max(0, m_rows - rowsFit()));
    if (first != m_first_row) {
        m_first_row = first;
        update();
    }
    m_rows_bar->setValue(m_first_row);
}

TimeMap TrackView::timeMap() const
{
    const TimeRange r = m_zoom->range();
    return TimeMap { r.start, std::max(r.start + 1, r.end), m_left, m_width };
}

TrackFrame TrackView::frame() const
{
    const double bar = m_rows_bar->isVisible() ? m_rows_bar->width() : 0;
    return TrackFrame { QRectF(0, top(), width() - bar, height() - top()), timeMap(), m_left, font(), font(), m_first_row,
        m_row_height };
}

double TrackView::rowCenterY(int row) const { return top() + (row - m_first_row + 0.5) * m_row_height; }

QString TrackView::tooltipAt(QPointF pos) const
{
    if (!m_trace || pos.x() < m_left || pos.x() > m_left + m_width)
        return {};
    return m_track.tooltip(frame(), *m_trace, pos);
}

QSize TrackView::sizeHint() const
{
    if (m_track.band())
        return QSize(900, 2 * kBandHeight);
    // Up to eight rows at full height; more share that room, thinner, and scroll.
    return QSize(900, int(top() + std::min(m_rows, 8) * normalRowHeight() + 2));
}

QSize TrackView::minimumSizeHint() const
{
    // Small: the window keeps the size it was given when lanes appear (their 900-px minimum once
    // pushed a 1280-px window to 1360 beside a dock, and four lanes an 800x600 one to 629).
    if (m_track.band())
        return QSize(200, minimumHeight());
    return QSize(200, int(top() + (m_rows > 0 ? normalRowHeight() : 0) + 2));
}

void TrackView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (!m_trace)
        return;
    const TrackFrame f = frame();
    m_track.paint(p, f, *m_trace);
    const auto line = [&](double x, const QPen& pen) {
        if (x >= m_left - 1 && x <= m_left + m_width + 1) {
            p.setPen(pen);
            p.drawLine(QPointF(x, f.area.top()), QPointF(x, f.area.bottom()));
        }
    };
    if (const auto at = m_zoom->playhead())
        line(f.map.to_x(*at), QPen(kPlayheadColor, 2));
    if (m_hover_x >= 0)
        line(std::floor(m_hover_x) + 0.5, QPen(crosshairColor(), 1));
}

void TrackView::wheelEvent(QWheelEvent* event)
{
    // As over the timeline: the wheel zooms at the cursor, a sideways swipe pans, Shift+wheel
    // scrolls rows. A band leaves Shift+wheel to the window (the compare window scrolls with it).
    const QPoint delta = event->angleDelta();
    const TimeRange range = m_zoom->range();
    if (event->modifiers() & Qt::ShiftModifier) {
        if (m_track.band()) {
            event->ignore();
            return;
        }
        setFirstRow(m_first_row - int(delta.y() / 120.0 * 3));
    } else if (std::abs(delta.x()) > std::abs(delta.y())) {
        m_zoom->panBy(-Nanos(double(range.end - range.start) * delta.x() / 1200.0));
    } else {
        m_zoom->zoomAt(timeMap().to_time(event->position().x()), std::pow(1.25, delta.y() / 120.0));
    }
    event->accept();
}

void TrackView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragging = true;
        m_drag_last = event->position();
        setCursor(Qt::ClosedHandCursor);
    }
}

void TrackView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging) {
        hover(event->position(), event->globalPosition().toPoint());
        return;
    }
    const QPointF delta = event->position() - m_drag_last;
    m_drag_last = event->position();
    m_zoom->panBy(-Nanos(delta.x() * timeMap().nanos_per_pixel()));
}

void TrackView::hover(QPointF pos, QPoint global)
{
    // A line at the pointer and what the track says under it, at once, as in Perfetto's tracks.
    const QString text = tooltipAt(pos);
    const double x = pos.x() >= m_left && pos.x() <= m_left + m_width && m_trace ? pos.x() : -1;
    if (x != m_hover_x) {
        m_hover_x = x;
        update();
    }
    show_tooltip(this, global, text);
}

void TrackView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
    unsetCursor();
}

void TrackView::mouseDoubleClickEvent(QMouseEvent*) { m_zoom->fit(); }

void TrackView::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    m_hover_x = -1;
    QToolTip::hideText();
    update();
}

void TrackView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateRows();
}

bool TrackView::event(QEvent* event)
{
    if (answer_tooltip(this, event, [this](QPointF pos) { return tooltipAt(pos); }))
        return true;
    return QWidget::event(event);
}

} // namespace timeslice::ui
