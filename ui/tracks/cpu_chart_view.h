#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/timeline_painter.h"

#include <QChartView>

#include <memory>
#include <vector>

class QLabel;
class QLineSeries;
class QValueAxis;

namespace timeslice::ui {

class ZoomState;

// Per-core CPU usage (and the total) in Qt Charts, on the timeline's time axis: it follows the
// shared zoom and lines its plot area up with the timeline's bars. The run's own use when the
// kernel measured it, with other programs' apart; else the whole machine's. Series are fed with
// replace(): step lines, at most about one step per pixel (the busiest sample of each column),
// the same as the exports draw (cpu_series.h).
class CpuChartView : public QChartView {
    Q_OBJECT
public:
    explicit CpuChartView(ZoomState* zoom, QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    // Lines the plot area up with the timeline's: x from `left`, `width` pixels wide.
    void alignPlot(double left, double width);

    // For tests: the series as they are now: core series first, then "other programs" when the
    // kernel measured the run's own use, the total last.
    std::vector<QLineSeries*> series() const { return m_series; }
    // What the chart says at a point of the view: the moment, and the total and each core's use
    // over the sample that holds it. Empty outside the plot or the samples.
    QString tooltipAt(QPointF pos) const;
    // "CPU use of this run (kernel data: exact)", or of the whole machine without kernel data.
    QString title() const;
    // Where the crosshair stands (view x), or a negative number when the pointer is off the plot.
    double crosshairX() const { return m_hover_x; }
    static QColor crosshairColor() { return QColor(0x40, 0x40, 0x40); }
    // For tests: the time axis (ticks only; the timeline above labels the time).
    QValueAxis* timeAxis() const { return m_x; }

    // The points a series shows for `range` at `pixels` columns: samples outside are dropped,
    // each column keeps its busiest sample. Pure, so tests can check it.
    static QList<QPointF> decimate(const std::vector<CpuSample>& samples, int core, TimeRange range, int pixels);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    void applyPlotArea();
    void ensureSeries(std::size_t cores, bool own);
    void refresh();
    void showTitle(const QString& text);
    void setTimeAxis(double start, double end, double interval);

    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    std::vector<QLineSeries*> m_series;
    QValueAxis* m_x = nullptr;
    QValueAxis* m_y = nullptr;
    double m_left = 150;
    double m_width = 600;
    double m_hover_x = -1;
    bool m_own = false;
    QString m_title_text; // whole; the label may show it cut
    QLabel* m_title = nullptr;
};

} // namespace timeslice::ui
