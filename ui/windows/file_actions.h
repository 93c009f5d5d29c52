#pragma once

// What the File menu does with files, on the main window's behalf.

#include "core/trace/trace.h"

#include <QObject>
#include <QSize>

#include <array>
#include <functional>
#include <memory>

class QAction;
class QMenu;
class QMimeData;
class QWidget;

namespace timeslice::ui {

class ParameterPanel;
class ReplayExporter;
class RunActions;
class ZoomState;

// What the File menu does with files: opens traces (read in the background), workloads and
// comparisons; saves traces and workloads; exports images and per-task statistics; keeps the
// recent files; takes files dropped on the window. What it opens and saves goes to the window
// through signals, what went wrong through failed().
class FileActions : public QObject {
    Q_OBJECT
public:
    // File > Open's list of files: every file, Timeslice reads each by its content.
    static QString openTraceFilter();
    enum Action { OpenTrace, SaveTrace, ExportImage, ExportVideo, OpenComparison, OpenWorkload, SaveWorkload, DeriveWorkload, ActionCount };

    // `window` parents the dialogs; `parameters` gets and gives workloads; `runs` must not be
    // going on while a trace is opened, and has the compare window; `zoom` is what an image shows.
    FileActions(QWidget* window, ParameterPanel* parameters, RunActions* runs, ZoomState* zoom);
    ~FileActions() override;

    // What is on screen: what Save and Export write.
    void setTrace(std::shared_ptr<const Trace> trace);
    // View → Hand-over arrows: exported images show them too.
    void setHandOversVisible(bool visible) { m_hand_overs = visible; }
    // Asked before a trace the user picks replaces results not saved; false keeps them.
    void setDiscardCheck(std::function<bool(const QString& question)> check) { m_discard_check = std::move(check); }

    // Opens a trace in the background; traceOpened() says how it went.
    void openTrace(const QString& path);
    // Each returns an empty string on success, else the message it also reported.
    QString saveTrace(const QString& path);
    QString exportImage(const QString& path, QSize size);
    // File > Export replay video: written in the background (replay_export.h).
    ReplayExporter* replays() const { return m_replays; }
    // A workload file into the panel, or the panel's workload to a file.
    QString openWorkload(const QString& path);
    QString saveWorkload(const QString& path);
    // The run on screen as a workload file (derive.h), written atomically, then opened into the
    // panel, where Run runs it and What if…? tries every model.
    QString deriveWorkload(const QString& path);
    // A set saved from the compare window or by `compare --trace-dir`.
    QString openComparison(const QString& path);
    // The per-task statistics as CSV, written atomically.
    QString exportTaskStats(const QString& path);

    void saveTraceDialog();
    void deriveWorkloadDialog();
    void exportTaskStatsDialog();

    // Drops: a trace or a workload file is taken (told apart by what it holds, not by its name).
    bool canTake(const QMimeData* mime) const;
    bool take(const QMimeData* mime);

    // What the dialogs suggest for the trace on screen: `<workload>-<model><suffix>`, a script's
    // own name for a script's run ("fetch.py": "fetch.png"), "trace" where the trace names neither.
    QString suggestedName(const QString& suffix) const;

    QAction* action(Action action) const { return m_actions[action]; }
    QMenu* recentMenu() const { return m_recent_menu; }

Q_SIGNALS:
    // A trace was read from `path`: show it (before traceOpened).
    void traceLoaded(const QString& path, std::shared_ptr<const timeslice::Trace> trace);
    // After openTrace(): an empty string when the trace is shown, else what went wrong.
    void traceOpened(const QString& error);
    void traceSaved(const QString& path);
    void statusMessage(const QString& text);
    void failed(const QString& title, const QString& message);

private:
    void createActions();
    void finishOpening(const QString& path, std::shared_ptr<const Trace> trace, const QString& error);
    bool mayReplaceTrace();
    void openTraceDialog();
    void exportImageDialog();
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void updateControls();

    QWidget* m_window;
    ParameterPanel* m_parameters;
    RunActions* m_runs;
    ZoomState* m_zoom;
    std::array<QAction*, ActionCount> m_actions {};
    ReplayExporter* m_replays;
    QMenu* m_recent_menu;
    std::shared_ptr<const Trace> m_trace;
    std::function<bool(const QString&)> m_discard_check;
    bool m_hand_overs = false;
    bool m_opening = false; // a trace is being read in the background
};

} // namespace timeslice::ui
