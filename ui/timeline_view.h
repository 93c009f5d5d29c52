#pragma once

#include "core/trace.h"
#include "ui/timeline_painter.h"

#include <QWidget>

#include <memory>

class QScrollBar;

namespace timeslice::ui {

class ZoomState;

// The per-task Gantt timeline on screen: paints through paint_timeline, zooms with the wheel
// (anchored at the cursor), pans with a drag, explains the span under the cursor in a tooltip.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(ZoomState* zoom, QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    // The legend strip under the rows; compare mode shows one legend for all its timelines.
    void setLegendVisible(bool visible);
    const Trace* trace() const { return m_trace.get(); }
    const TimelineStyle& style() const { return m_style; }
    // The time under a widget x coordinate, and the span under a point (nullptr if none).
    Nanos timeAt(double x) const;
    const Span* spanAt(QPointF pos, int* row = nullptr) const;
    QString tooltipAt(QPointF pos) const;
    // Pixels of the label column: the CPU chart lines its plot up with the timeline's.
    double plotLeft() const;
    // Where paint_timeline draws: the widget less the legend strip at the bottom.
    QRectF timelineArea() const;
    double plotWidth() const;

    // Rows: the first one shown, how many fit, and scrolling (kept so the view stays full).
    int firstRow() const { return m_first_row; }
    int rowsFit() const;
    void setFirstRow(int row);
    QScrollBar* rowScrollBar() const { return m_rows_bar; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void plotGeometryChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    bool event(QEvent* event) override;

private:
    TimeMap timeMap() const;
    void paintFocusRing(QPainter& p) const;
    void updateRowHeight();
    void updateRowsBar();
    bool hasCoreLanes() const; // the legend explains their colours

    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    SpanTimes m_span_times; // of m_trace
    TimelineStyle m_style;
    int m_first_row = 0;
    bool m_dragging = false;
    QPointF m_drag_last;
    double m_row_carry = 0;
    bool m_legend_visible = true;
    QScrollBar* m_rows_bar;
};

} // namespace timeslice::ui
