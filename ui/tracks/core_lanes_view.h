#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/core_lanes.h"

#include <QWidget>

#include <memory>

class QScrollBar;

namespace timeslice::ui {

class ZoomState;

// The Cores view in the window, under the task rows: one lane per core (core_lanes.h), on the
// timeline's time axis (it lines its bars up with the timeline's, as the CPU chart does, and
// follows the shared zoom). Many cores get thinner lanes and a scroll bar; a trace without
// kernel data hides it.
class CoreLanesView : public QWidget {
    Q_OBJECT
public:
    explicit CoreLanesView(ZoomState* zoom, QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    // Lines the bars up with the timeline's: x from `left`, `width` pixels wide.
    void alignPlot(double left, double width);

    int laneCount() const { return m_trace ? core_lane_count(*m_trace) : 0; }
    double laneHeight() const { return m_lane_height; }
    int firstLane() const { return m_first_lane; }
    int lanesFit() const;
    void setFirstLane(int lane);
    QScrollBar* laneScrollBar() const { return m_lanes_bar; }
    // The lane and the time under a point, and what the tooltip says there.
    int laneAt(QPointF pos) const;
    QString tooltipAt(QPointF pos) const;
    // Where a lane's middle is, for tests.
    double laneCenterY(int lane) const;
    TimeMap timeMap() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    // The lanes came or went with a trace (kernel data or none).
    void lanesChanged(int lanes);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool event(QEvent* event) override;

private:
    void updateLanes();
    double normalLaneHeight() const;

    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    QScrollBar* m_lanes_bar;
    double m_left = 150;
    double m_width = 600;
    double m_lane_height = 22;
    int m_first_lane = 0;
    int m_lanes = 0;
    bool m_dragging = false;
    QPointF m_drag_last;
};

} // namespace timeslice::ui
