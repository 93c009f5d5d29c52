// Responsible for the timeline view's input: the wheel zooms at the cursor (Shift or a sideways
// swipe scrolls rows or pans), a drag pans, Shift+drag or a drag on the axis selects a range, a
// click selects a span, and the keys scroll, pan, zoom and step through spans.
#include "ui/tracks/timeline_view.h"

#include "ui/tracks/zoom_state.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

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
    if (event->button() != Qt::LeftButton)
        return;
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    const QPointF pos = event->position();
    const bool on_axis = pos.y() < plot.top() && pos.x() >= plot.left();
    m_press_pos = pos;
    m_drag_distance = 0;
    // The playhead is grabbed within a few pixels of its line, and dragged to scrub.
    if (const auto at = m_zoom->playhead(); at && std::abs(timeMap().to_x(*at) - pos.x()) <= 5) {
        m_scrubbing = true;
        setCursor(Qt::SizeHorCursor);
        return;
    }
    if ((event->modifiers() & Qt::ShiftModifier) || on_axis) {
        // Shift+drag on the rows or a drag on the axis selects a range.
        m_selecting = true;
        m_select_anchor = timeAt(std::clamp(pos.x(), plot.left(), plot.right()));
        setCursor(Qt::IBeamCursor);
        return;
    }
    m_dragging = true;
    m_drag_last = pos;
    setCursor(Qt::ClosedHandCursor);
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_scrubbing) {
        const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
        const TimeRange bounds = m_zoom->bounds();
        m_zoom->setPlayhead(std::clamp(timeAt(std::clamp(event->position().x(), plot.left(), plot.right())), bounds.start, bounds.end));
        return;
    }
    if (m_selecting) {
        const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
        const Nanos t = timeAt(std::clamp(event->position().x(), plot.left(), plot.right()));
        if (std::abs(event->position().x() - m_press_pos.x()) >= 3)
            setSelection(TimeRange { std::min(m_select_anchor, t), std::max(m_select_anchor, t) });
        return;
    }
    if (!m_dragging)
        return;
    const QPointF delta = event->position() - m_drag_last;
    m_drag_last = event->position();
    m_drag_distance += std::abs(delta.x()) + std::abs(delta.y());
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

void TimelineView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_scrubbing) {
        m_scrubbing = false;
        unsetCursor();
        return;
    }
    if (m_selecting) {
        m_selecting = false;
        unsetCursor();
        // A click on the axis (no drag) clears the range.
        if (std::abs(event->position().x() - m_press_pos.x()) < 3)
            setSelection(std::nullopt);
        Q_EMIT selectionFinished();
        return;
    }
    const bool click = m_dragging && m_drag_distance < 4;
    m_dragging = false;
    unsetCursor();
    if (click && event->button() == Qt::LeftButton) {
        // A click selects the span under it; a click on empty space clears the choice.
        int row = -1;
        const Span* s = spanAt(m_press_pos, &row);
        SpanRef ref;
        if (s) {
            const auto& spans = m_trace->tasks[std::size_t(row)].spans;
            ref = SpanRef { row, int(s - spans.data()) };
        }
        selectSpan(ref);
    }
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent*)
{
    m_dragging = false;
    m_selecting = false;
    m_zoom->fit();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    // Rows as in any list. As in Tracy and Perfetto: W/S zoom in and out at the middle, A/D pan
    // by a tenth of the view. Left and Right step through the selected span's task, or pan when
    // none is selected.
    const TimeRange r = m_zoom->range();
    const Nanos middle = r.start + (r.end - r.start) / 2;
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
        if (!stepSpan(-1) && !span(m_selected))
            m_zoom->panBy(-(r.end - r.start) / 10);
        break;
    case Qt::Key_Right:
        if (!stepSpan(1) && !span(m_selected))
            m_zoom->panBy((r.end - r.start) / 10);
        break;
    case Qt::Key_A:
        m_zoom->panBy(-(r.end - r.start) / 10);
        break;
    case Qt::Key_D:
        m_zoom->panBy((r.end - r.start) / 10);
        break;
    case Qt::Key_W:
        m_zoom->zoomAt(middle, 1.25);
        break;
    case Qt::Key_S:
        m_zoom->zoomAt(middle, 1 / 1.25);
        break;
    case Qt::Key_Z: // as View → Zoom to selection, when the window's shortcut does not get it
        if (m_selection)
            m_zoom->zoomTo(*m_selection);
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace timeslice::ui
