#pragma once

#include "core/trace/trace.h"

#include <QMainWindow>

#include <memory>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QSplitter;

namespace timeslice::ui {

class TrackView;
class FileActions;
class FindBar;
class ParameterPanel;
class RangeSummaryView;
class RunActions;
class ScorecardView;
class SpanDetails;
class TaskStatsView;
class NowPanel;
class TimelineView;
class ZoomState;

// The main window: the parameters, the run controls and the scorecard on the left, the task rows,
// CPU lanes and CPU chart on the right, panels docked around them. It lays them out, builds the
// menus and passes traces between its parts; files (FileActions) and runs (RunActions) are
// handled by their own objects, which it asks before unsaved results are lost.
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
    ZoomState* zoom() const { return m_zoom; }

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
    QWidget* createSidePanel();
    QSplitter* createViews();
    void createStatusBar();
    void createDocks();
    void createFileMenu();
    void createRunMenu();
    void createExamplesMenu();
    void createViewMenu();
    void createHelpMenu();
    void connectParts();
    void showTrace(std::shared_ptr<const Trace> trace);
    void onRunStarted(bool python);
    void onRunFinished(std::shared_ptr<const Trace> trace);
    void onTraceLoaded(const QString& path, std::shared_ptr<const Trace> trace);
    void setHandOversVisible(bool visible);
    void showOutputDock();
    void alignChart();
    // The title names the trace's file (none for a run not saved yet) and what it shows.
    void updateTitle(const QString& file);
    // Asks before an unsaved run is lost, unless the user said not to; `question` names what
    // would lose it ("Quit anyway?"). True when it may go.
    bool confirmDiscard(const QString& question);
    void showError(const QString& title, const QString& message);
    void showSelectedSpan();
    void updateRangeSummary();
    void showRangeSummary();
    void zoomToSelection();

    ZoomState* m_zoom;
    ParameterPanel* m_parameters;
    RunActions* m_runs;
    FileActions* m_files;
    ScorecardView* m_scorecard = nullptr;
    TimelineView* m_timeline = nullptr;
    FindBar* m_find_bar = nullptr;
    std::vector<TrackView*> m_tracks; // one per track kind, in track_kinds() order
    QLabel* m_status = nullptr;
    QDockWidget* m_output_dock = nullptr;
    SpanDetails* m_details = nullptr;
    QDockWidget* m_details_dock = nullptr;
    RangeSummaryView* m_range = nullptr;
    QDockWidget* m_range_dock = nullptr;
    TaskStatsView* m_stats = nullptr;
    QDockWidget* m_stats_dock = nullptr;
    NowPanel* m_now = nullptr;
    QDockWidget* m_now_dock = nullptr;
    QAction* m_zoom_selection_action = nullptr;
    QAction* m_ask_discard = nullptr;
    std::shared_ptr<const Trace> m_trace;
    bool m_unsaved = false;
    bool m_interactive = true;
};

} // namespace timeslice::ui
