// The main window: lays out its parts, builds its menus, passes traces between its parts.
#include "ui/windows/main_window.h"

#include "core/analysis/range_summary.h"
#include "ui/export/image_export.h"
#include "ui/panels/find_bar.h"
#include "ui/panels/now_panel.h"
#include "ui/panels/parameter_panel.h"
#include "ui/panels/program_output.h"
#include "ui/panels/range_summary_view.h"
#include "ui/panels/scorecard_view.h"
#include "ui/panels/span_details.h"
#include "ui/panels/task_stats_view.h"
#include "ui/panels/timeline_help.h"
#include "ui/tracks/track_view.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/command_keys.h"
#include "ui/windows/file_actions.h"
#include "ui/windows/run_actions.h"

#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QScrollArea>
#include <QSplitter>
#include <QStyle>
#include <QThreadPool>
#include <QStatusBar>
#include <QVBoxLayout>

#include <utility>

namespace timeslice::ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_zoom(new ZoomState(this))
    , m_parameters(new ParameterPanel)
    , m_runs(new RunActions(this, m_parameters))
    , m_files(new FileActions(this, m_parameters, m_runs, m_zoom))
{
    setWindowTitle(tr("Timeslice"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/timeslice.svg")));
    auto* main = new QSplitter(Qt::Horizontal);
    main->addWidget(createSidePanel());
    main->addWidget(createViews());
    main->setStretchFactor(1, 1);
    setCentralWidget(main);
    createStatusBar();
    createDocks();
    createFileMenu();
    createRunMenu();
    createExamplesMenu();
    createViewMenu();
    createHelpMenu();
    connectParts();
    setAcceptDrops(true);
    new CommandKeys(this); // Ctrl+E and the other Ctrl shortcuts work from a text field too

    QSettings settings;
    m_parameters->load(settings);
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry"))) {
        // 1280x760, or what the screen has room for, with its title bar (an 800x600 screen).
        QSize size(1280, 760);
        if (const QScreen* s = screen())
            size = size.boundedTo(s->availableGeometry().size() - QSize(16, 48));
        resize(size);
    }
}

MainWindow::~MainWindow()
{
    // The docks hide as QWidget's destructor takes them down, after this one has run: nothing
    // of theirs may call back into a MainWindow that is no longer one.
    m_now_dock->toggleViewAction()->disconnect(this);
}

QWidget* MainWindow::createSidePanel()
{
    auto* buttons = new QGridLayout;
    buttons->addWidget(m_runs->runButton(), 0, 0);
    buttons->addWidget(m_runs->stopButton(), 0, 1);
    buttons->addWidget(m_runs->compareButton(), 1, 0, 1, 2);
    m_scorecard = new ScorecardView;
    auto* side = new QWidget;
    auto* layout = new QVBoxLayout(side);
    layout->addWidget(m_parameters);
    layout->addLayout(buttons);
    layout->addWidget(m_scorecard);
    layout->addStretch(1);
    // It scrolls rather than make the window taller: a long scorecard, a kernel note or a
    // small screen never pushes the status bar off the screen, nor is anything cut unseen.
    // Never narrower than its fields: at 800x600 with panels open they ran past its right edge.
    class SidePanel : public QScrollArea {
    public:
        QSize minimumSizeHint() const override
        {
            QSize size = QScrollArea::minimumSizeHint();
            if (widget())
                size.setWidth(std::max(300, widget()->minimumSizeHint().width()) + verticalScrollBar()->sizeHint().width());
            return size;
        }

    protected:
        bool eventFilter(QObject* watched, QEvent* event) override
        {
            if (watched == widget() && event->type() == QEvent::LayoutRequest)
                updateGeometry(); // a field shown or hidden may change the least width
            return QScrollArea::eventFilter(watched, event);
        }
    };
    auto* scroll = new SidePanel;
    scroll->setObjectName(QStringLiteral("sidePanel"));
    scroll->setWidget(side);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMaximumWidth(420 + scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent));
    return scroll;
}

QSplitter* MainWindow::createViews()
{
    m_timeline = new TimelineView(m_zoom);
    m_find_bar = new FindBar(m_timeline);
    auto* rows = new QWidget;
    auto* rows_layout = new QVBoxLayout(rows);
    rows_layout->setContentsMargins(0, 0, 0, 0);
    rows_layout->setSpacing(0);
    rows_layout->addWidget(m_find_bar);
    rows_layout->addWidget(m_timeline, 1);
    auto* views = new QSplitter(Qt::Vertical);
    views->addWidget(rows);
    // Every track kind under the rows: a track of rows (the CPU lanes) right under the task rows,
    // a band (the CPU plot) in a pane of the splitter below.
    for (const Track* kind : track_kinds()) {
        auto* view = new TrackView(*kind, m_zoom);
        m_tracks.push_back(view);
        if (kind->band())
            views->addWidget(view);
        else
            rows_layout->addWidget(view);
    }
    views->setStretchFactor(0, 2);
    views->setStretchFactor(1, 1);
    // Two thirds and a third from the start, not the chart's minimum and the rest.
    views->setSizes({ 2000, 1000 });
    views->setChildrenCollapsible(false);
    return views;
}

void MainWindow::createStatusBar()
{
    m_status = new QLabel(tr("Ready"));
    m_status->setObjectName(QStringLiteral("statusText"));
    // A long message is cut at the window's edge (whole in its tooltip), never widens the window.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_runs->elapsedLabel());
    statusBar()->addPermanentWidget(m_runs->progressBar());
}

void MainWindow::createDocks()
{
    m_output_dock = new QDockWidget(tr("Python's output"));
    m_output_dock->setObjectName(QStringLiteral("programOutputDock"));
    m_output_dock->setAccessibleName(tr("Python's output"));
    m_output_dock->setWidget(m_runs->output());
    m_output_dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable);
    addDockWidget(Qt::BottomDockWidgetArea, m_output_dock);
    m_output_dock->hide();
    // Each shows itself when it has something to say, in front of its tab neighbours. The span's
    // details are a narrow column on the right; the tables take the window's width at the
    // bottom, where all their columns fit.
    const auto dock = [this](QWidget* content, const QString& title, const QString& name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        d->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea | Qt::BottomDockWidgetArea);
        d->setAccessibleName(title);
        addDockWidget(area, d);
        d->hide();
        connect(d->toggleViewAction(), &QAction::triggered, d, [d](bool shown) {
            if (shown)
                d->raise();
        });
        return d;
    };
    m_details = new SpanDetails;
    // Scrolled in a narrow dock rather than widen the window.
    auto* details = new QScrollArea;
    details->setWidget(m_details);
    details->setWidgetResizable(true);
    details->setFrameShape(QFrame::NoFrame);
    details->setMinimumWidth(136);
    m_details_dock = dock(details, tr("Span details"), QStringLiteral("spanDetailsDock"), Qt::RightDockWidgetArea);
    m_details_dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_range = new RangeSummaryView;
    m_range_dock = dock(m_range, tr("Selected range"), QStringLiteral("rangeSummaryDock"), Qt::BottomDockWidgetArea);
    m_stats = new TaskStatsView;
    m_stats_dock = dock(m_stats, tr("Task statistics"), QStringLiteral("taskStatsDock"), Qt::BottomDockWidgetArea);
    m_stats_dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    tabifyDockWidget(m_output_dock, m_range_dock);
    tabifyDockWidget(m_range_dock, m_stats_dock);
    // The playhead and the run at its instant; the playhead is on the views while this is open.
    m_now = new NowPanel(m_zoom);
    auto* now = new QScrollArea;
    now->setWidget(m_now);
    now->setWidgetResizable(true);
    now->setFrameShape(QFrame::NoFrame);
    now->setMinimumWidth(136);
    m_now_dock = dock(now, tr("Playhead"), QStringLiteral("nowDock"), Qt::RightDockWidgetArea);
    m_now_dock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N));
    tabifyDockWidget(m_details_dock, m_now_dock);
    connect(m_now_dock->toggleViewAction(), &QAction::toggled, this, [this](bool shown) {
        m_now->setActive(shown);
        // As wide as its table needs the first time, not half the timeline's width.
        if (shown && !m_now_dock->property("sized").toBool()) {
            m_now_dock->setProperty("sized", true);
            resizeDocks({ m_now_dock }, { 300 }, Qt::Horizontal);
        }
        if (shown)
            m_now_dock->raise();
    });
}

void MainWindow::createFileMenu()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_files->action(FileActions::OpenTrace));
    file->addMenu(m_files->recentMenu());
    file->addAction(m_files->action(FileActions::SaveTrace));
    file->addAction(m_files->action(FileActions::ExportImage));
    file->addAction(m_files->action(FileActions::ExportVideo));
    file->addAction(m_files->action(FileActions::OpenComparison));
    file->addSeparator();
    file->addAction(m_files->action(FileActions::OpenWorkload));
    file->addAction(m_files->action(FileActions::SaveWorkload));
    file->addAction(m_files->action(FileActions::DeriveWorkload));
    file->addSeparator();
    m_ask_discard = file->addAction(tr("&Ask before discarding an unsaved run"));
    m_ask_discard->setObjectName(QStringLiteral("askBeforeDiscarding"));
    m_ask_discard->setCheckable(true);
    m_ask_discard->setChecked(QSettings().value(QStringLiteral("confirm/discard"), true).toBool());
    connect(m_ask_discard, &QAction::toggled, this,
        [](bool ask) { QSettings().setValue(QStringLiteral("confirm/discard"), ask); });
    file->addSeparator();
    file->addAction(m_runs->action(RunActions::PythonScript));
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
}

void MainWindow::createRunMenu()
{
    QMenu* run = menuBar()->addMenu(tr("&Run"));
    for (RunActions::Action a :
        { RunActions::Run, RunActions::Stop, RunActions::CompareModels, RunActions::CompareEngines, RunActions::WhatIf })
        run->addAction(m_runs->action(a));
}

void MainWindow::createExamplesMenu()
{
    menuBar()->addMenu(tr("&Examples"))->addAction(m_runs->action(RunActions::MoreTasksThanCores));
}

void MainWindow::createViewMenu()
{
    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Fit the whole run"), m_zoom, &ZoomState::fit)
        ->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_0), QKeySequence(Qt::Key_F) });
    const auto zoom_by = [this](double factor) {
        const TimeRange r = m_zoom->range();
        m_zoom->zoomAt((r.start + r.end) / 2, factor);
    };
    // Ctrl+= as well: the platform's Zoom In is Ctrl++, which needs Shift on most keyboards.
    view->addAction(tr("Zoom &in"), this, [zoom_by] { zoom_by(2.0); })
        ->setShortcuts({ QKeySequence(QKeySequence::ZoomIn), QKeySequence(Qt::CTRL | Qt::Key_Equal) });
    view->addAction(tr("Zoom &out"), this, [zoom_by] { zoom_by(0.5); })->setShortcut(QKeySequence::ZoomOut);
    m_zoom_selection_action = view->addAction(tr("Zoom to &selection"), this, &MainWindow::zoomToSelection);
    m_zoom_selection_action->setShortcut(QKeySequence(Qt::Key_Z));
    m_zoom_selection_action->setEnabled(false);
    view->addAction(tr("&Find task…"), m_find_bar, &FindBar::focusFind)->setShortcut(QKeySequence::Find);
    // An optional layer: who handed the GIL to whom, and when an async task's timer let it go on.
    QAction* arrows = view->addAction(tr("Hand-over &arrows"));
    arrows->setObjectName(QStringLiteral("handOverArrows"));
    arrows->setCheckable(true);
    arrows->setToolTip(tr("Under the GIL, an arrow from the thread that dropped it to the one that took it; under "
                          "async, from a task's timer expiry to its resumption"));
    arrows->setChecked(QSettings().value(QStringLiteral("view/handOverArrows"), false).toBool());
    setHandOversVisible(arrows->isChecked());
    connect(arrows, &QAction::toggled, this, [this](bool on) {
        setHandOversVisible(on);
        QSettings().setValue(QStringLiteral("view/handOverArrows"), on);
    });
    view->addSeparator();
    view->addAction(m_details_dock->toggleViewAction());
    view->addAction(m_range_dock->toggleViewAction());
    view->addAction(m_stats_dock->toggleViewAction());
    view->addAction(m_now_dock->toggleViewAction());
    // Playback keys: each opens the playhead if it is not there yet.
    const auto with_playhead = [this](void (NowPanel::*step)()) {
        return [this, step] {
            if (m_now_dock->isHidden()) {
                m_now_dock->toggleViewAction()->trigger();
                return;
            }
            (m_now->*step)();
        };
    };
    QMenu* playback = view->addMenu(tr("Play&back"));
    playback->addAction(tr("&Play or pause"), this, with_playhead(&NowPanel::togglePlay))->setShortcut(QKeySequence(Qt::Key_P));
    playback->addAction(tr("&Previous state change"), this, with_playhead(&NowPanel::stepBack))
        ->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    playback->addAction(tr("&Next state change"), this, with_playhead(&NowPanel::stepForward))
        ->setShortcut(QKeySequence(Qt::Key_BracketRight));
    view->addSeparator();
    view->addAction(m_runs->action(RunActions::Advice));
}

void MainWindow::createHelpMenu()
{
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&How to read the timeline"), this,
        [this] { show_timeline_help(this); });
    help->addAction(tr("&About Timeslice"), this, [this] {
        QMessageBox::about(this, tr("About Timeslice"),
            tr("<p><b>Timeslice %1</b></p><p>See processes, threads and async run the same work, with real "
               "processes, threads and coroutines.</p>")
                .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::connectParts()
{
    m_runs->setFocusHolder(m_timeline);
    m_files->setDiscardCheck([this](const QString& question) { return confirmDiscard(question); });
    connect(m_runs, &RunActions::started, this, &MainWindow::onRunStarted);
    connect(m_runs, &RunActions::snapshotReady, this, &MainWindow::showTrace);
    connect(m_runs, &RunActions::finished, this, &MainWindow::onRunFinished);
    connect(m_files, &FileActions::traceLoaded, this, &MainWindow::onTraceLoaded);
    connect(m_files, &FileActions::traceOpened, this, &MainWindow::traceOpened);
    connect(m_files, &FileActions::traceSaved, this, [this](const QString& path) {
        m_unsaved = false;
        updateTitle(QFileInfo(path).fileName());
    });
    const auto status = [this](const QString& text) {
        m_status->setText(text);
        m_status->setToolTip(text);
    };
    connect(m_runs, &RunActions::statusMessage, this, status);
    connect(m_files, &FileActions::statusMessage, this, status);
    connect(m_runs, &RunActions::failed, this, &MainWindow::showError);
    connect(m_files, &FileActions::failed, this, &MainWindow::showError);
    connect(m_timeline, &TimelineView::plotGeometryChanged, this, &MainWindow::alignChart);
    connect(m_timeline, &TimelineView::spanSelected, this, &MainWindow::showSelectedSpan);
    connect(m_timeline, &TimelineView::selectionChanged, this, &MainWindow::updateRangeSummary);
    connect(m_timeline, &TimelineView::selectionFinished, this, &MainWindow::showRangeSummary);
    connect(m_details, &SpanDetails::stepRequested, m_timeline, &TimelineView::stepSpan);
    connect(m_range, &RangeSummaryView::zoomRequested, this, &MainWindow::zoomToSelection);
    connect(m_stats, &TaskStatsView::exportRequested, m_files, &FileActions::exportTaskStatsDialog);
}

void MainWindow::openTrace(const QString& path) { m_files->openTrace(path); }

void MainWindow::showTrace(std::shared_ptr<const Trace> trace)
{
    std::shared_ptr<const Trace> previous = std::exchange(m_trace, std::move(trace));
    m_scorecard->showTrace(*m_trace);
    m_zoom->setBounds(full_range(*m_trace));
    m_find_bar->setTrace(m_trace);
    for (TrackView* track : m_tracks)
        track->setTrace(m_trace);
    m_now->setTrace(m_trace);
    // The details follow the span as a live run grows; the table and the range summary are
    // redone for a finished run and while a range is selected.
    m_details->showSpan(m_timeline->trace(), m_timeline->selectedSpan());
    m_stats->setTrace(m_trace->complete ? m_trace.get() : nullptr);
    if (m_timeline->selection())
        updateRangeSummary();
    alignChart();
    m_files->setTrace(m_trace);
    m_runs->setTrace(m_trace);
    // Every view has let go of the trace shown before. A finished or loaded one replaces a trace
    // that may be large (the last live snapshot of 100,000 rows took ~14 ms to free; a loaded
    // 10 M-span trace is 320 MB): it is freed on a pool thread, not the window's. A live
    // snapshot's predecessor goes back to its run's recycler at once, to be built into next.
    if (m_trace->complete && previous)
        QThreadPool::globalInstance()->start([previous = std::move(previous)]() mutable { previous.reset(); });
    Q_EMIT traceShown();
}

void MainWindow::onRunStarted(bool python)
{
    m_unsaved = false;
    m_zoom->fit();
    if (python)
        showOutputDock();
    else
        m_output_dock->hide();
}

void MainWindow::onRunFinished(std::shared_ptr<const Trace> trace)
{
    showTrace(std::move(trace));
    m_zoom->fit();
    m_unsaved = true;
    updateTitle(QString());
    Q_EMIT runFinished();
}

void MainWindow::onTraceLoaded(const QString& path, std::shared_ptr<const Trace> trace)
{
    // Nothing of the last trace carries over: what was found in it, and a program's output
    // (a trace does not keep it).
    m_find_bar->startOver();
    m_runs->output()->restart();
    m_output_dock->hide();
    showTrace(std::move(trace));
    m_zoom->fit();
    m_unsaved = false;
    updateTitle(QFileInfo(path).fileName());
}

void MainWindow::setHandOversVisible(bool visible)
{
    m_timeline->setHandOversVisible(visible);
    m_runs->setHandOversVisible(visible);
    m_files->setHandOversVisible(visible);
}

void MainWindow::showOutputDock()
{
    m_output_dock->raise(); // in front of the tables that share its place
    if (m_output_dock->isVisible())
        return;
    m_output_dock->show();
    m_output_dock->raise();
    // Six lines the first time: a program that prints little should not take a quarter of the
    // window from the timeline. A height the user drags it to is kept after that.
    if (!m_output_dock->property("sized").toBool()) {
        m_output_dock->setProperty("sized", true);
        resizeDocks({ m_output_dock }, { m_runs->output()->fontMetrics().lineSpacing() * 6 + 40 }, Qt::Vertical);
    }
}

void MainWindow::showSelectedSpan()
{
    const SpanRef ref = m_timeline->selectedSpan();
    m_details->showSpan(m_timeline->trace(), ref);
    if (ref.valid()) {
        m_details_dock->show();
        m_details_dock->raise();
    }
}

void MainWindow::updateRangeSummary()
{
    const auto range = m_timeline->selection();
    m_zoom_selection_action->setEnabled(range.has_value());
    if (!range || !m_trace) {
        m_range->showRange(nullptr, nullptr);
        return;
    }
    // The rows as shown: a filter's hidden tasks are left out here too.
    const Trace* shown = m_timeline->trace() ? m_timeline->trace() : m_trace.get();
    const RangeSummary summary = summarise_range(*shown, range->start, range->end);
    m_range->showRange(shown, &summary);
}

void MainWindow::showRangeSummary()
{
    if (!m_timeline->selection())
        return;
    m_range_dock->show();
    m_range_dock->raise();
}

void MainWindow::zoomToSelection()
{
    if (const auto range = m_timeline->selection())
        m_zoom->zoomTo(*range);
}

void MainWindow::updateTitle(const QString& file)
{
    // "table-loading.json — table-loading under threads with the GIL — Timeslice"; a run not
    // saved yet has no file and a modified mark.
    const QString what = m_trace ? title_text(*m_trace) : QString();
    setWindowTitle(file.isEmpty() ? tr("%1[*] — Timeslice").arg(what) : tr("%1 — %2[*] — Timeslice").arg(file, what));
    setWindowModified(m_unsaved);
}

void MainWindow::alignChart()
{
    for (TrackView* track : m_tracks)
        track->alignPlot(m_timeline->plotLeft(), m_timeline->plotWidth());
}

void MainWindow::showError(const QString& title, const QString& message)
{
    m_status->setText(message);
    if (m_interactive)
        QMessageBox::critical(this, title, message);
}

bool MainWindow::confirmDiscard(const QString& question)
{
    if (!m_unsaved || !m_trace || !m_interactive || !m_ask_discard->isChecked())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Discard the unsaved run?"),
        tr("The run of %1 has not been saved and will be lost. %2").arg(title_text(*m_trace), question),
        QMessageBox::NoButton, this);
    QPushButton* save = box.addButton(tr("&Save trace…"), QMessageBox::AcceptRole);
    QPushButton* discard = box.addButton(tr("&Discard"), QMessageBox::DestructiveRole);
    QPushButton* cancel = box.addButton(tr("&Cancel"), QMessageBox::RejectRole);
    // Enter keeps everything as it is: neither a lost run nor a file dialog by surprise.
    box.setDefaultButton(cancel);
    box.setEscapeButton(cancel);
    auto* never = new QCheckBox(tr("Do&n't ask again (File → Ask before discarding an unsaved run)"), &box);
    box.setCheckBox(never);
    box.exec();
    if (never->isChecked() && box.clickedButton() != cancel)
        m_ask_discard->setChecked(false);
    if (box.clickedButton() == save) {
        m_files->saveTraceDialog();
        return !m_unsaved;
    }
    return box.clickedButton() == discard;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (m_files->canTake(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    if (m_files->take(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    // Ask first: a Cancel must leave a run going on untouched.
    if (!confirmDiscard(tr("Quit anyway?"))) {
        event->ignore();
        return;
    }
    if (m_runs->running())
        m_runs->stop();
    m_runs->flushSettings(); // what Run wrote first, then what the window says now
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_parameters->save(settings);
    event->accept();
}

} // namespace timeslice::ui
