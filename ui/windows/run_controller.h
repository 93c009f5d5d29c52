#pragma once

#include "core/run/runner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace timeslice::ui {

// Runs one core Runner for the window. Snapshots are built off the GUI thread and handed over
// as immutable shared traces about 30 times a second; a snapshot older than the newest one
// (or from an earlier run) is dropped. One is built at a time: a tick that finds one still
// being built asks for the next as soon as it arrives, so the next is built while the window
// shows this one (with 100,000 tasks, building and showing each take ~10 ms).
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Starts a run: returns an error message instead if one is going on. The Runner is built off
    // the window's thread (the cpython engine runs the interpreter to check it, a scheduler's
    // address is dialled: up to seconds), then started() or startFailed(why) comes.
    QString start(const RunConfig& config);
    // Stops the run; one still being built is started and stopped at once, so it ends as any
    // stopped run does.
    void stop();
    bool running() const { return m_preparing || (m_runner != nullptr && !m_finished_seen); }
    // The Runner of the run asked for is still being built.
    bool preparing() const { return m_preparing; }
    qint64 elapsedMs() const { return m_elapsed.isValid() ? m_elapsed.elapsed() : 0; }
    // The cpython engine: how the program is doing and what it printed (capped). Empty for native runs.
    PythonOutcome pythonOutcome() const { return m_runner ? m_runner->python_outcome() : PythonOutcome {}; }

Q_SIGNALS:
    void started();
    void startFailed(const QString& why);
    void snapshotReady(std::shared_ptr<const timeslice::Trace> trace);
    void finished(std::shared_ptr<const timeslice::Trace> trace);

private:
    void requestSnapshot();
    void onPrepared(quint64 run, std::shared_ptr<Runner> runner, const QString& error);
    void onFinished(quint64 run);

    std::shared_ptr<Runner> m_runner;
    quint64 m_run = 0;
    bool m_finished_seen = true;
    bool m_preparing = false;
    bool m_stop_asked = false; // while preparing
    std::shared_ptr<std::atomic<bool>> m_snapshot_in_flight;
    bool m_snapshot_wanted = false; // a tick came while one was in flight
    QTimer m_timer;
    QElapsedTimer m_elapsed;
};

} // namespace timeslice::ui
