#pragma once

#include "core/compare.h"
#include "core/trace.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QPushButton;

namespace timeslice::ui {

class CpuChartView;
class RunController;
class TimelineView;
class ZoomState;

// "All models": the same workload under processes, threads with and without the GIL, and
// async, run one after the other and stacked on one time axis; zoom and pan are shared.
class CompareWindow : public QWidget {
    Q_OBJECT
public:
    explicit CompareWindow(QWidget* parent = nullptr);
    ~CompareWindow() override;

    // Starts the four runs; returns an error message instead if they cannot start.
    QString start(const RunConfig& base);
    void stop();
    bool running() const;
    std::vector<std::shared_ptr<const Trace>> traces() const;
    // The four runs as one picture, over the time range in view.
    QString exportImage(const QString& path, QSize size);
    ZoomState* zoom() const { return m_zoom; }

Q_SIGNALS:
    void allFinished();

private:
    struct Section {
        QLabel* title = nullptr;
        TimelineView* timeline = nullptr;
        CpuChartView* cpu = nullptr;
        std::shared_ptr<const Trace> trace;
    };
    void startNext();
    void showRun(std::size_t index, std::shared_ptr<const Trace> trace);
    void updateBounds();
    void exportDialog();

    ZoomState* m_zoom;
    RunController* m_controller;
    std::vector<CompareEntry> m_entries;
    std::vector<Section> m_sections;
    std::size_t m_current = 0;
    bool m_stopped = false;
    QLabel* m_status;
    QPushButton* m_stop_button;
    QPushButton* m_export_button;
};

} // namespace timeslice::ui
