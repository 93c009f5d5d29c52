#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/track.h"

#include <QWidget>

#include <memory>

class QScrollBar;

namespace timeslice::ui {

class ZoomState;

// A track kind (track.h) in a window, on the timeline's time axis: it lines its plot up with the
// timeline's bars and follows the shared zoom. What every track does alike is here, once: the
// wheel zooms at the pointer (a sideways swipe pans), a drag pans, a double click fits, a line
// follows the pointer with what the track says there, and the playhead crosses it. A track of
// rows (the CPU lanes) gets thinner rows when there are many, then a scroll bar (Shift+wheel).
// It shows only while its track has a place in the trace on screen.
class TrackView : public QWidget {
    Q_OBJECT
public:
    TrackView(const Track& track, ZoomState* zoom, QWidget* parent = nullptr);

    const Track& track() const { return m_track; }
    void setTrace(std::shared_ptr<const Trace> trace);
    // Lines the plot up with the timeline's: x from `left`, `width` pixels wide.
    void alignPlot(double left, double width);

    // Where and how it paints now; TimeMap alone for tests that point at a time.
    TrackFrame frame() const;
    TimeMap timeMap() const;

    // Its rows (a track of rows), for tests and the scroll bar.
    int rowCount() const { return m_rows; }
    double rowHeight() const { return m_row_height; }
    int firstRow() const { return m_first_row; }
    int rowsFit() const;
    void setFirstRow(int row);
    QScrollBar* rowScrollBar() const { return m_rows_bar; }
    double rowCenterY(int row) const;

    // What the track says at a point of the view (rich text), empty where it says nothing.
    QString tooltipAt(QPointF pos) const;
    // Where the line that follows the pointer stands, or a negative number off the plot.
    double crosshairX() const { return m_hover_x; }
    static QColor crosshairColor() { return QColor(0x40, 0x40, 0x40); }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    void updateRows();
    double normalRowHeight() const;
    double top() const;
    void hover(QPointF pos, QPoint global);

    const Track& m_track;
    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    QScrollBar* m_rows_bar;
    double m_left = 150;
    double m_width = 600;
    double m_row_height = 22;
    int m_first_row = 0;
    int m_rows = 0;
    double m_hover_x = -1;
    bool m_dragging = false;
    QPointF m_drag_last;
};

} // namespace timeslice::ui
