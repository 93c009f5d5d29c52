#include "ui/windows/run_controller.h"

#include <QPointer>
#include <QThreadPool>

namespace timeslice::ui {

RunController::RunController(QObject* parent)
    : QObject(parent)
    , m_snapshot_in_flight(std::make_shared<std::atomic<bool>>(false))
{
    // A snapshot every 30 ms, on time: Qt's default coarse timer may fire 5 % late, and at 33 ms
    // that held the live view under 30 frames a second (29.4-30.8 with 100,000 tasks; 32.4-33.0
    // at 30 ms, precise).
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(30);
    connect(&m_timer, &QTimer::timeout, this, &RunController::requestSnapshot);
}

RunController::~RunController()
{
    m_timer.stop();
    if (m_runner) {
        m_runner->cancel();
        m_runner->wait();
    }
    // Snapshot jobs still in the pool hold their own reference to the runner.
    QThreadPool::globalInstance()->waitForDone();
}

QString RunController::start(const RunConfig& config)
{
    if (running())
        return tr("A run is already going on; stop it first.");
    m_preparing = true;
    m_stop_asked = false;
    m_elapsed.start(); // since Run was pressed
    const quint64 run = ++m_run;
    QPointer<RunController> self(this);
    QThreadPool::globalInstance()->start([self, run, config] {
        std::shared_ptr<Runner> runner;
        QString error;
        try {
            runner = std::make_shared<Runner>(config);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        QMetaObject::invokeMethod(
            self.data(), [self, run, runner, error] { if (self) self->onPrepared(run, runner, error); },
            Qt::QueuedConnection);
    });
    return {};
}

void RunController::onPrepared(quint64 run, std::shared_ptr<Runner> runner, const QString& error)
{
    if (run != m_run)
        return;
    m_preparing = false;
    if (!runner) {
        Q_EMIT startFailed(error);
        return;
    }
    if (m_runner) {
        m_runner->cancel();
        m_runner->wait();
    }
    m_runner = std::move(runner);
    m_finished_seen = false;
    m_snapshot_wanted = false; // an earlier run's
    QPointer<RunController> self(this);
    m_runner->start([self, run] {
        // Called on the run's thread: hop to the GUI thread, if the controller is still there.
        QMetaObject::invokeMethod(
            self.data(), [self, run] { if (self) self->onFinished(run); }, Qt::QueuedConnection);
    });
    m_timer.start();
    Q_EMIT started();
    if (m_stop_asked)
        m_runner->cancel();
}

void RunController::stop()
{
    if (m_preparing)
        m_stop_asked = true;
    else if (m_runner)
        m_runner->cancel();
}

void RunController::requestSnapshot()
{
    if (!m_runner)
        return;
    if (m_snapshot_in_flight->exchange(true)) {
        m_snapshot_wanted = true; // asked for again when the one being built arrives
        return;
    }
    m_snapshot_wanted = false;
    std::shared_ptr<Runner> runner = m_runner;
    std::shared_ptr<std::atomic<bool>> in_flight = m_snapshot_in_flight;
    QPointer<RunController> self(this);
    const quint64 run = m_run;
    QThreadPool::globalInstance()->start([runner, in_flight, self, run] {
        std::shared_ptr<const Trace> snapshot = runner->snapshot();
        QMetaObject::invokeMethod(
            self.data(),
            [self, run, snapshot, in_flight] {
                in_flight->store(false);
                if (self && self->m_run == run && !self->m_finished_seen) {
                    if (self->m_snapshot_wanted)
                        self->requestSnapshot(); // built while this one is shown
                    // Before the run's thread has set it up, a snapshot is empty and of no run
                    // (no live_run): the window keeps what it shows rather than blank out.
                    if (snapshot->live_run != 0)
                        Q_EMIT self->snapshotReady(snapshot);
                }
            },
            Qt::QueuedConnection);
    });
}

void RunController::onFinished(quint64 run)
{
    if (run != m_run || !m_runner)
        return;
    m_timer.stop();
    m_finished_seen = true;
    m_runner->wait();
    Q_EMIT finished(m_runner->snapshot());
}

} // namespace timeslice::ui
