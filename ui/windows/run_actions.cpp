// The work the main window starts, one thing at a time, and the controls that start and stop it.
#include "ui/windows/run_actions.h"

#include "core/analysis/derive.h"
#include "core/models/registry.h"
#include "core/workload/workload_file.h"
#include "ui/export/image_export.h"
#include "ui/panels/parameter_panel.h"
#include "ui/panels/program_output.h"
#include "ui/tracks/time_axis.h"
#include "ui/windows/advice_window.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/new_action.h"
#include "ui/windows/run_controller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QThreadPool>
#include <QTimer>

namespace timeslice::ui {

namespace {

// "table-loading under threads with the GIL — makespan 5.0 s, 2 done, 1 failed (C: …)"; a run
// stopped before every task ended has no makespan: "— stopped after 3.1 s, 1 done, 2 stopped".
QString how_it_ended(const Trace& trace)
{
    int done = 0, failed = 0, cancelled = 0;
    for (const TaskTrace& t : trace.tasks) {
        done += t.status == State::Done;
        failed += t.status == State::Failed;
        cancelled += t.status == State::Cancelled;
    }
    QString text = (cancelled ? RunActions::tr("%1 — stopped after %2, %3 done") : RunActions::tr("%1 — makespan %2, %3 done"))
                       .arg(title_text(trace), QString::fromStdString(format_duration(trace.info.makespan)))
                       .arg(done);
    if (failed) {
        const auto first = std::find_if(
            trace.tasks.begin(), trace.tasks.end(), [](const TaskTrace& t) { return t.status == State::Failed; });
        text += RunActions::tr(", %1 failed (%2: %3)")
                    .arg(failed)
                    .arg(QString::fromStdString(first->name), QString::fromStdString(first->reason));
    }
    if (cancelled)
        text += RunActions::tr(", %1 stopped").arg(cancelled);
    if (!trace.info.exit.empty() && trace.info.exit != "exit status 0")
        text += RunActions::tr("; the program: %1").arg(QString::fromStdString(trace.info.exit));
    return text;
}

} // namespace

RunActions::RunActions(QWidget* window, ParameterPanel* parameters)
    : QObject(window)
    , m_window(window)
    , m_parameters(parameters)
    , m_controller(new RunController(this))
{
    m_settings_writer.setMaxThreadCount(1);
    createActions();
    createButtons();
    m_progress = new QProgressBar(window);
    m_progress->setRange(0, 0); // busy: a run's length is not known in advance
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_elapsed = new QLabel(window);
    // A Python program's output, kept apart from the timeline (the probe never adds to it).
    m_output = new ProgramOutput(window);

    connect(m_parameters, &ParameterPanel::validityChanged, this, &RunActions::updateControls);
    connect(m_parameters, &ParameterPanel::onScreenChanged, this, &RunActions::updateControls);
    connect(m_controller, &RunController::started, this, &RunActions::onStarted);
    connect(m_controller, &RunController::startFailed, this, &RunActions::onStartFailed);
    connect(m_controller, &RunController::snapshotReady, this, &RunActions::onSnapshot);
    connect(m_controller, &RunController::finished, this, &RunActions::onFinished);
    auto* ticker = new QTimer(this);
    ticker->setInterval(100);
    connect(ticker, &QTimer::timeout, this, &RunActions::updateElapsed);
    ticker->start();
    updateControls();
}

RunActions::~RunActions() = default;

void RunActions::createActions()
{
    m_actions[Run] = new_action(this, tr("&Run"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] { start(); });
    m_actions[Stop] = new_action(this, tr("&Stop"), QKeySequence(Qt::Key_Escape), [this] { stop(); });
    m_actions[CompareModels] = new_action(
        this, tr("&Compare all models"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), [this] { startCompare(); });
    m_actions[CompareEngines] = new_action(this, tr("Compare &native and CPython"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), [this] { startEngineCompare(); });
    m_actions[CompareEngines]->setToolTip(
        tr("Run this workload and model in the C++ emulation and in real CPython, one "
           "after the other, on one time axis, with a fidelity line"));
    QAction* example = new_action(this, tr("&More tasks than cores (square-numbers, threads without the GIL)"),
        QKeySequence(), [this] { startMoreTasksThanCores(); });
    example->setObjectName(QStringLiteral("exampleMoreTasksThanCores"));
    example->setToolTip(tr("Two CPU-bound threads per core: the kernel time-slices them, and the CPU lanes show whose "
                           "thread had each core"));
    m_actions[MoreTasksThanCores] = example;
    m_actions[PythonScript] = new_action(
        this, tr("Run &Python script…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P), [this] { scriptDialog(); });
    m_actions[PythonScript]->setToolTip(
        tr("Run a Python program of your own under CPython, traced by Timeslice's probe"));
    m_actions[WhatIf] = new_action(this, tr("What &if…? (every model for this work)"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_W), [this] { startWhatIf(); });
    m_actions[WhatIf]->setToolTip(tr("Run the work on screen (derived from the run: its time on a core and its waits) or, "
                                     "with nothing on screen, the panel's workload, under process pools, threads with and "
                                     "without the GIL and one event loop, and say which to use and why"));
    m_actions[Advice] = new_action(this, tr("&What to use? (measured)…"),
        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), [this] { showAdvice(); });
}

void RunActions::createButtons()
{
    m_run_button = new QPushButton(tr("Run"), m_window);
    m_run_button->setObjectName(QStringLiteral("runButton"));
    m_run_button->setToolTip(tr("Run the workload under the model (Ctrl+R)"));
    m_run_button->setDefault(true);
    m_run_button->setAccessibleName(tr("Run"));
    m_stop_button = new QPushButton(tr("Stop"), m_window);
    m_stop_button->setObjectName(QStringLiteral("stopButton"));
    m_stop_button->setAccessibleName(tr("Stop the run"));
    m_stop_button->setToolTip(tr("Stop the run: workers are killed, threads joined, the loop stopped (Esc)"));
    m_compare_button = new QPushButton(tr("Compare all models"), m_window);
    m_compare_button->setObjectName(QStringLiteral("compareButton"));
    m_compare_button->setAccessibleName(tr("Compare all models"));
    m_compare_button->setToolTip(tr("Run this workload under processes, threads with and without the GIL, and async, "
                                    "one after another, and show them stacked (Ctrl+Shift+R)"));
    connect(m_run_button, &QPushButton::clicked, this, [this] { start(); });
    connect(m_compare_button, &QPushButton::clicked, this, [this] { startCompare(); });
    connect(m_stop_button, &QPushButton::clicked, this, &RunActions::stop);
}

bool RunActions::running() const { return m_controller->running(); }

QString RunActions::compareBusy() const
{
    return m_compare && m_compare->running() ? tr("The comparison is still running; stop it first.") : QString();
}

QString RunActions::otherWorkGoingOn() const
{
    // Two runs at once would compete for the cores and distort each other's timelines.
    if (running())
        return tr("A run is already going on; stop it first.");
    if (const QString compare = compareBusy(); !compare.isEmpty())
        return compare;
    if (m_advice && m_advice->running())
        return tr("\"What to use?\" is still measuring; wait for it or close its window.");
    if (m_opening)
        return tr("A trace is still being opened.");
    return {};
}

void RunActions::setOpening(bool opening)
{
    m_opening = opening;
    updateControls();
}

QString RunActions::start()
{
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    // A script of the user's on screen: Run runs it again, as the panel's note says.
    if (const QString script = m_parameters->scriptOnScreen(); !script.isEmpty())
        return startScript(script, m_parameters->scriptArgsOnScreen());
    const auto config = m_parameters->config();
    if (!config) {
        const QString error = m_parameters->error();
        Q_EMIT statusMessage(error);
        return error;
    }
    // No question here: the run on screen has just been looked at, and a new run is what was
    // asked for. Quitting or opening a trace asks.
    rememberParameters();
    const QString model = QString::fromStdString(std::string(model_name(config->model)));
    return begin(*config, tr("Cannot start the run"),
        tr("Running %1 under %2…").arg(QString::fromStdString(config->workload), model));
}

QString RunActions::startMoreTasksThanCores()
{
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    // Twice as many computing threads as cores, each its own thread: the kernel has to take turns.
    const int tasks = std::min(2 * online_cores(), Limits::kMaxTaskCountSquare);
    ParameterPanel* p = m_parameters;
    p->workloadBox()->setCurrentIndex(p->workloadBox()->findData(QStringLiteral("square-numbers")));
    p->modelBox()->setCurrentIndex(p->modelBox()->findData(QStringLiteral("threads")));
    p->gilBox()->setChecked(false);
    p->tasksBox()->setValue(tasks);
    p->workersBox()->setValue(
        pool_size(ModelKind::Threads, 0) >= tasks ? 0 : std::min(tasks, Limits::kMaxThreadWorkers));
    return start();
}

QString RunActions::startScript(const QString& script, const QStringList& args)
{
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    RunConfig config;
    if (const auto panel = m_parameters->config())
        config.kernel = panel->kernel;
    config.engine = Engine::CPython;
    config.python.executable = m_parameters->pythonEdit()->text().trimmed().toStdString();
    config.python.program.script = script.toStdString();
    for (const QString& a : args)
        config.python.program.args.push_back(a.toStdString());
    return begin(config, tr("Cannot run the script"), tr("Running %1 in CPython…").arg(QFileInfo(script).fileName()));
}

QString RunActions::begin(const RunConfig& config, const QString& failure, const QString& status)
{
    const QString error = m_controller->start(config);
    if (!error.isEmpty()) {
        Q_EMIT failed(failure, error);
        return error;
    }
    // The run is being prepared off the window's thread: what is on screen stays until it starts.
    m_starting = Starting { config.python.program.script.empty(), config.engine == Engine::CPython, failure, status };
    Q_EMIT statusMessage(tr("Starting…"));
    updateControls();
    return {};
}

void RunActions::onStarted()
{
    m_output->restart();
    // What runs now is what the fields say, unless it is the script the note named.
    if (m_starting.from_fields)
        m_parameters->forgetOnScreen();
    Q_EMIT started(m_starting.python);
    Q_EMIT statusMessage(m_starting.status);
    updateControls();
}

void RunActions::onStartFailed(const QString& why)
{
    updateControls();
    Q_EMIT statusMessage(QString());
    Q_EMIT failed(m_starting.failure, why);
}

void RunActions::scriptDialog()
{
    // A new run, like Run: it does not ask before it replaces the run just seen (manual.md).
    QSettings settings;
    const QString script = QFileDialog::getOpenFileName(m_window, tr("Run Python script"),
        settings.value(QStringLiteral("python/lastScript")).toString(), tr("Python scripts (*.py);;All files (*)"));
    if (script.isEmpty())
        return;
    bool ok = false;
    const QString args = QInputDialog::getText(m_window, tr("Run Python script"),
        tr("Arguments for %1 (as on a command line; may be empty):").arg(QFileInfo(script).fileName()),
        QLineEdit::Normal, settings.value(QStringLiteral("python/lastArgs")).toString(), &ok);
    if (!ok)
        return;
    settings.setValue(QStringLiteral("python/lastScript"), script);
    settings.setValue(QStringLiteral("python/lastArgs"), args);
    startScript(script, QProcess::splitCommand(args));
}

void RunActions::stop() { m_controller->stop(); }

QString RunActions::startCompare() { return startCompareOf(false); }

QString RunActions::startEngineCompare() { return startCompareOf(true); }

QString RunActions::startCompareOf(bool engines)
{
    const auto config = m_parameters->config();
    if (!config) {
        Q_EMIT statusMessage(m_parameters->error());
        return m_parameters->error();
    }
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty() && compareBusy().isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    const QString error
        = showCompareWindow()->start(*config, engines ? CompareWindow::Kind::Engines : CompareWindow::Kind::Models);
    if (!error.isEmpty())
        Q_EMIT failed(tr("Cannot compare"), error);
    return error;
}

std::optional<Workload> RunActions::workOnScreen(QString* what, QString* error) const
{
    try {
        if (m_trace && m_trace->complete && !m_trace->foreign) {
            if (what)
                *what = tr("the run on screen (%1 under %2)")
                            .arg(QString::fromStdString(m_trace->info.workload), QString::fromStdString(m_trace->info.model));
            return derive_workload(*m_trace).workload;
        }
        const auto config = m_parameters->config();
        if (!config) {
            if (error)
                *error = m_parameters->error();
            return std::nullopt;
        }
        Workload w = config->custom ? *config->custom
            : !config->workload_file.empty() ? load_workload_file(config->workload_file, config->workload_options)
                                             : make_workload(config->workload, config->workload_options);
        if (what)
            *what = tr("the workload in the panel (%1)").arg(QString::fromStdString(w.name));
        return w;
    } catch (const std::invalid_argument& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return std::nullopt;
    }
}

QString RunActions::startWhatIf()
{
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty() && compareBusy().isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    QString what, error;
    const std::optional<Workload> workload = workOnScreen(&what, &error);
    if (!workload) {
        Q_EMIT failed(tr("Cannot ask what if"), error);
        return error;
    }
    error = showCompareWindow()->startWhatIf(*workload, what);
    if (!error.isEmpty())
        Q_EMIT failed(tr("Cannot ask what if"), error);
    return error;
}

CompareWindow* RunActions::showCompareWindow()
{
    if (!m_compare) {
        m_compare = new CompareWindow(m_window);
        m_compare->setAttribute(Qt::WA_DeleteOnClose);
        m_compare->setHandOversVisible(m_hand_overs);
        placeBeside(m_compare);
    }
    m_compare->show();
    m_compare->raise();
    return m_compare;
}

CompareWindow* RunActions::compareWindow() const { return m_compare.data(); }

AdviceWindow* RunActions::adviceWindow() const { return m_advice.data(); }

void RunActions::setHandOversVisible(bool visible)
{
    m_hand_overs = visible;
    if (m_compare)
        m_compare->setHandOversVisible(visible);
}

void RunActions::showAdvice(const AdviseOptions* options)
{
    if (!m_advice) {
        m_advice = new AdviceWindow(m_window);
        m_advice->setAttribute(Qt::WA_DeleteOnClose);
        placeBeside(m_advice);
        m_advice->setBusyCheck([this] { return m_advice && m_advice->running() ? QString() : otherWorkGoingOn(); });
    }
    m_advice->show();
    m_advice->raise();
    if (const QString busy = otherWorkGoingOn(); !busy.isEmpty() && !m_advice->running()) {
        Q_EMIT statusMessage(busy);
        return;
    }
    AdviseOptions o = options ? *options : AdviseOptions {};
    // The decision rule follows what is on screen: the run, or the panel's workload with its
    // parameters (300 tables are not the article's three).
    o.decide_for = workOnScreen(nullptr, nullptr);
    o.workload = m_parameters->workloadBox()->currentData().toString().toStdString(); // without it, a built-in's name
    if (!m_advice->running())
        m_advice->start(o);
}

void RunActions::onSnapshot(std::shared_ptr<const Trace> trace)
{
    m_output->showOutput(m_controller->pythonOutcome());
    Q_EMIT snapshotReady(std::move(trace));
}

void RunActions::onFinished(std::shared_ptr<const Trace> trace)
{
    m_output->showOutput(m_controller->pythonOutcome());
    if (!trace->info.script.empty())
        m_parameters->showTrace(*trace); // Run runs the script again
    Q_EMIT statusMessage(how_it_ended(*trace));
    m_elapsed->clear();
    updateControls();
    Q_EMIT finished(std::move(trace));
}

void RunActions::rememberParameters()
{
    // For the next start. QSettings writes its file with fsync when it is let go, which took
    // 63 ms of the window's at every Run on this machine: written on a thread of its own
    // instead (QSettings objects are reentrant and share one file lock), one write after the
    // other, and only when changed.
    const QVariantMap values = m_parameters->values();
    if (values == m_remembered)
        return;
    m_remembered = values;
    m_settings_writer.start([values] {
        QSettings settings;
        for (auto it = values.begin(); it != values.end(); ++it)
            settings.setValue(it.key(), it.value());
    });
}

void RunActions::updateControls()
{
    const bool busy = running() || m_opening;
    const bool rerun_script = !m_parameters->scriptOnScreen().isEmpty();
    const bool valid = m_parameters->valid();
    // Disabling the focused widget hands the focus down Qt's chain, where it ended on "Compare
    // all models" and Enter started four runs. The focus holder (the timeline) has it while a run
    // goes on, and it goes back where it was afterwards.
    if (busy && !m_focus_before_run) {
        m_focus_before_run = m_window->focusWidget() ? m_window->focusWidget() : m_run_button;
        if (m_focus_holder)
            m_focus_holder->setFocus();
    }
    m_run_button->setEnabled(!busy && (valid || rerun_script));
    m_run_button->setToolTip(rerun_script
            ? tr("Run %1 again under CPython (Ctrl+R)").arg(QFileInfo(m_parameters->scriptOnScreen()).fileName())
            : tr("Run the workload under the model (Ctrl+R)"));
    m_compare_button->setEnabled(!busy && valid);
    for (Action a : { CompareModels, CompareEngines })
        m_actions[a]->setEnabled(!busy && valid);
    m_actions[Run]->setEnabled(!busy && (valid || rerun_script));
    m_actions[MoreTasksThanCores]->setEnabled(!busy);
    m_actions[WhatIf]->setEnabled(!busy);
    m_parameters->setEnabled(!busy);
    if (!busy && m_focus_before_run) {
        QWidget* now = m_window->focusWidget();
        if (!now || now == m_focus_holder || now == m_stop_button) {
            QWidget* back = m_focus_before_run->isEnabled() || !m_focus_holder ? m_focus_before_run.data()
                                                                               : m_focus_holder.data();
            back->setFocus();
        }
        m_focus_before_run.clear();
    }
    m_stop_button->setEnabled(busy);
    m_actions[Stop]->setEnabled(busy);
    m_progress->setVisible(busy);
    if (busy != m_busy) {
        m_busy = busy;
        Q_EMIT busyChanged(busy);
    }
}

void RunActions::updateElapsed()
{
    if (running())
        m_elapsed->setText(tr("elapsed %1 s").arg(double(m_controller->elapsedMs()) / 1000.0, 0, 'f', 1));
}

void RunActions::placeBeside(QWidget* window) const
{
    // Cascaded from the main window, as a window manager would, and kept on its screen: without a
    // position they opened at 0,0, over the main window's panel.
    const QPoint cascade = m_window->frameGeometry().topLeft() + QPoint(48, 48);
    QPoint at = cascade;
    if (const QScreen* screen = m_window->screen()) {
        const QRect room = screen->availableGeometry();
        // A window bigger than the room left beside the cascade is made to fit there (or the
        // whole screen, where that is too small for it): its buttons stay on the screen.
        const QSize least = window->minimumSizeHint().expandedTo(window->minimumSize());
        const auto fit = [](int size, int beside, int whole, int least) {
            return std::max(least, std::min(size, beside >= least ? beside : whole));
        };
        // Its frame will be as the main window's is (the window manager's borders and title).
        const QSize frame = m_window->frameGeometry().size() - m_window->size();
        window->resize(
            fit(window->width(), room.right() + 1 - cascade.x() - frame.width(), room.width() - frame.width(), least.width()),
            fit(window->height(), room.bottom() + 1 - cascade.y() - frame.height(), room.height() - frame.height(),
                least.height()));
        at.setX(std::max(room.left(), std::min(at.x(), room.right() - window->width())));
        at.setY(std::max(room.top(), std::min(at.y(), room.bottom() - window->height())));
        if (window->width() > room.width() || window->height() > room.height())
            at = cascade; // it cannot fit: cascade all the same
    }
    window->move(at);
}

} // namespace timeslice::ui
