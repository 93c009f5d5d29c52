#pragma once

#include "core/trace/trace.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;

namespace timeslice::ui {

class CoreLanesView;
class CpuChartView;
class FileActions;
class FindBar;
class ParameterPanel;
class RangeSummaryView;
class RunActions;
class ScorecardView;
class SpanDetails;
class TaskStatsView;
class TimelineView;
class ZoomState;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a trace in the background; traceOpened() says how it went.
    void openTrace(const QString& path);

    std::shared_ptr<const Trace> trace() const { return m_trace; }
    bool hasUnsavedResults() const { return m_unsaved; }
    // Tests and scripted use turn off the dialogs that ask before results are discarded, and
    // error dialogs (messages still go to the status bar and the return values).
    void setInteractive(bool interactive) { m_interactive = interactive; }

    FileActions* files() const { return m_files; }
    RunActions* runs() const { return m_runs; }
    ParameterPanel* parameters() const { return m_parameters; }
    TimelineView* timeline() const { return m_timeline; }
    CpuChartView* cpuChart() const { return m_cpu; }
    CoreLanesView* coreLanes() const { return m_cores; }
    ZoomState* zoom() const { return m_zoom; }
    SpanDetails* spanDetails() const { return m_details; }
    QDockWidget* spanDetailsDock() const { return m_details_dock; }
    RangeSummaryView* rangeSummary() const { return m_range; }
    QDockWidget* rangeSummaryDock() const { return m_range_dock; }
    void zoomToSelection();

Q_SIGNALS:
    void runFinished();
    void traceShown();
    // After openTrace(): an empty string when the trace is shown, else what went wrong.
    void traceOpened(const QString& error);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void showTrace(std::shared_ptr<const Trace> trace);
    void onRunStarted(bool python);
    void onRunFinished(std::shared_ptr<const Trace> trace);
    void onTraceLoaded(const QString& path, std::shared_ptr<const Trace> trace);
    void alignChart();
    void showCoreLanes(int lanes);
    // The title names the trace's file (none for a run not saved yet) and what it shows.
    void updateTitle(const QString& file);
    // Asks before an unsaved run is lost, unless the user said not to; `question` names what
    // would lose it ("Quit anyway?"). True when it may go.
    bool confirmDiscard(const QString& question);
    void showError(const QString& title, const QString& message);
    void showOutputDock();
    void createDocks();
    void showSelectedSpan();
    void updateRangeSummary();
    void showRangeSummary();

    ZoomState* m_zoom;
    ParameterPanel* m_parameters;
    RunActions* m_runs;
    FileActions* m_files;
    TimelineView* m_timeline;
    CpuChartView* m_cpu;
    CoreLanesView* m_cores;
    ScorecardView* m_scorecard;
    QDockWidget* m_output_dock;
    QLabel* m_status;
    SpanDetails* m_details = nullptr;
    QDockWidget* m_details_dock = nullptr;
    RangeSummaryView* m_range = nullptr;
    QDockWidget* m_range_dock = nullptr;
    TaskStatsView* m_stats = nullptr;
    QDockWidget* m_stats_dock = nullptr;
    FindBar* m_find_bar = nullptr;
    QAction* m_zoom_selection_action = nullptr;
    QAction* m_ask_discard = nullptr;
    std::shared_ptr<const Trace> m_trace;
    bool m_unsaved = false;
    bool m_interactive = true;
};

} // namespace timeslice::ui
