#pragma once

// The work the main window starts, one thing at a time, and the controls that start and stop it.

#include "core/run/advise.h"
#include "core/trace/trace.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <QVariantMap>

#include <array>
#include <functional>
#include <memory>
#include <optional>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QWidget;

namespace timeslice {
struct RunConfig;
}

namespace timeslice::ui {

class AdviceWindow;
class CompareWindow;
class ParameterPanel;
class ProgramOutput;
class RunController;

// The work the window starts: Run and Stop, a comparison (every model, or both engines), the
// "more tasks than cores" example, a Python script and "What to use?". One thing at a time, as two
// would compete for the cores; its controls are on only when they can be used, and progress and
// elapsed time show in the status bar.
class RunActions : public QObject {
    Q_OBJECT
public:
    enum Action { Run, Stop, CompareModels, CompareEngines, MoreTasksThanCores, PythonScript, Advice, WhatIf, ActionCount };

    // `window` places the other windows and dialogs, and has the focus to keep.
    RunActions(QWidget* window, ParameterPanel* parameters);
    ~RunActions() override;

    // Each returns an empty string when the work started, else what stops it (also said in the
    // status bar, or in failed()).
    QString start();
    // Waits until the parameters Run remembered are in the settings (before the window writes
    // its own there at close).
    void flushSettings() { m_settings_writer.waitForDone(); }
    // Examples → More tasks than cores: square-numbers on 2 × cores threads without the GIL.
    QString startMoreTasksThanCores();
    // File → Run Python script…: `script` with `args` under CPython with Timeslice's probe.
    QString startScript(const QString& script, const QStringList& args);
    QString startCompare();
    // Run → Compare native and CPython: the chosen workload and model in both engines.
    QString startEngineCompare();
    // View → What to use? (measured): the article's table rebuilt on this machine.
    void showAdvice(const AdviseOptions* options = nullptr);
    // Run → What if…?: the run on screen (derived: derive.h), or with none the panel's workload,
    // under every model in the compare window, with the advice when all have run.
    QString startWhatIf();
    // The work What if…? and What to use? are about: the run on screen (derived), or with none
    // the panel's workload with its parameters; `what` names it for people. Nothing, with the
    // reason in `error`, when neither can be had.
    std::optional<Workload> workOnScreen(QString* what, QString* error) const;
    void stop();

    // What is on screen, for What if…?.
    void setTrace(std::shared_ptr<const Trace> trace) { m_trace = std::move(trace); }

    bool running() const;
    // Why nothing else may start now (a run, a comparison, "What to use?" measuring, a trace
    // being opened), or an empty string.
    QString otherWorkGoingOn() const;
    QString compareBusy() const;
    // While a trace is opened nothing starts.
    void setOpening(bool opening);
    // Keeps the keyboard focus while the controls are off.
    void setFocusHolder(QWidget* holder) { m_focus_holder = holder; }
    // View → Hand-over arrows, for the compare window's timelines.
    void setHandOversVisible(bool visible);

    // The compare window, opened (and raised) if it is not.
    CompareWindow* showCompareWindow();
    CompareWindow* compareWindow() const;
    AdviceWindow* adviceWindow() const;

    QAction* action(Action action) const { return m_actions[action]; }
    QPushButton* runButton() const { return m_run_button; }
    QPushButton* stopButton() const { return m_stop_button; }
    QPushButton* compareButton() const { return m_compare_button; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* elapsedLabel() const { return m_elapsed; }
    // What the last Python run printed (stdout and stderr, the last megabyte).
    ProgramOutput* output() const { return m_output; }

Q_SIGNALS:
    // A run began (`python`: under CPython, whose output is worth seeing): what is on screen goes.
    void started(bool python);
    void snapshotReady(std::shared_ptr<const timeslice::Trace> trace);
    // After the status bar has said how it ended and the controls are back on.
    void finished(std::shared_ptr<const timeslice::Trace> trace);
    void busyChanged(bool busy);
    void statusMessage(const QString& text);
    void failed(const QString& title, const QString& message);

private:
    void rememberParameters();
    void createActions();
    void createButtons();
    QString begin(const RunConfig& config, const QString& failure, const QString& status);
    QString startCompareOf(bool engines);
    void scriptDialog();
    void onStarted();
    void onStartFailed(const QString& why);
    void onSnapshot(std::shared_ptr<const Trace> trace);
    void onFinished(std::shared_ptr<const Trace> trace);
    void updateControls();
    void updateElapsed();
    void placeBeside(QWidget* window) const;

    QWidget* m_window;
    ParameterPanel* m_parameters;
    RunController* m_controller;
    // The run being prepared: what to say and do once it starts, or cannot.
    struct Starting {
        bool from_fields = true; // not a script the note named
        bool python = false;
        QString failure;
        QString status;
    } m_starting;
    std::array<QAction*, ActionCount> m_actions {};
    QPushButton* m_run_button = nullptr;
    QPushButton* m_stop_button = nullptr;
    QPushButton* m_compare_button = nullptr;
    QProgressBar* m_progress;
    QLabel* m_elapsed;
    ProgramOutput* m_output;
    QPointer<CompareWindow> m_compare;
    std::shared_ptr<const Trace> m_trace;
    QPointer<AdviceWindow> m_advice;
    QPointer<QWidget> m_focus_holder;
    QPointer<QWidget> m_focus_before_run;
    QVariantMap m_remembered; // the parameters last written to the settings
    QThreadPool m_settings_writer; // one thread: writes land in the order asked
    bool m_opening = false;
    bool m_busy = false;
    bool m_hand_overs = false;
};

} // namespace timeslice::ui
