// What the File menu does with files, on the main window's behalf.
#include "ui/windows/file_actions.h"

#include "ui/export/replay_export.h"

#include "core/analysis/derive.h"
#include "core/analysis/schedule.h"
#include "core/analysis/task_stats.h"
#include "core/base/atomic_file.h"
#include "core/formats/trace_json.h"
#include "core/run/compare.h"
#include "core/workload/workload_file.h"
#include "ui/export/image_export.h"
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/foreign_rows.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/compare_window.h"
#include "ui/windows/dropped_file.h"
#include "ui/windows/new_action.h"
#include "ui/windows/run_actions.h"
#include "ui/windows/save_path.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QThreadPool>
#include <QTimer>

namespace timeslice::ui {

FileActions::FileActions(QWidget* window, ParameterPanel* parameters, RunActions* runs, ZoomState* zoom)
    : QObject(window)
    , m_window(window)
    , m_parameters(parameters)
    , m_runs(runs)
    , m_zoom(zoom)
{
    m_replays = new ReplayExporter(window);
    connect(m_replays, &ReplayExporter::finished, this, [this](const QString& path, const QString& error) {
        updateControls();
        if (error == QLatin1String("cancelled"))
            Q_EMIT statusMessage(tr("Export of the replay video cancelled: nothing written"));
        else if (!error.isEmpty())
            Q_EMIT failed(tr("Cannot export the replay video"), error);
        else {
            remember_folder(QFileInfo(path).absolutePath());
            Q_EMIT statusMessage(tr("Exported the replay video %1").arg(path));
        }
    });
    createActions();
    m_recent_menu = new QMenu(tr("Open &recent"), window);
    m_recent_menu->setObjectName(QStringLiteral("recentMenu"));
    updateRecentMenu();
    connect(m_runs, &RunActions::busyChanged, this, &FileActions::updateControls);
    updateControls();
}

FileActions::~FileActions() = default;

void FileActions::createActions()
{
    m_actions[OpenTrace] = new_action(this, tr("&Open trace…"), QKeySequence::Open, [this] { openTraceDialog(); });
    m_actions[SaveTrace] = new_action(this, tr("&Save trace…"), QKeySequence::Save, [this] { saveTraceDialog(); });
    m_actions[ExportImage]
        = new_action(this, tr("&Export image…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this] { exportImageDialog(); });
    m_actions[ExportVideo] = new_action(this, tr("Export replay &video…"), QKeySequence(), [this] {
        QSettings settings;
        m_replays->exportDialog(m_trace, last_folder(QDir::homePath()) + QLatin1Char('/') + suggestedName(QStringLiteral(".mp4")),
            settings.value(QStringLiteral("replay/speed"), 0.01).toDouble(), m_hand_overs);
        updateControls(); // one replay at a time
    });
    m_actions[ExportVideo]->setToolTip(tr("The run as an MP4 video, the playhead moving across it at a chosen speed"));
    m_actions[OpenComparison] = new_action(this, tr("Open &comparison…"), QKeySequence(), [this] {
        const QString path
            = ask_open_path(m_window, tr("Open comparison"), tr("Comparisons (comparison.json);;All files (*)"));
        if (!path.isEmpty())
            openComparison(path);
    });
    m_actions[OpenWorkload] = new_action(this, tr("Open &workload…"), QKeySequence(), [this] {
        const QString path = ask_open_path(m_window, tr("Open workload"), tr("Workload files (*.json);;All files (*)"));
        if (!path.isEmpty())
            openWorkload(path);
    });
    m_actions[DeriveWorkload]
        = new_action(this, tr("&Derive workload from this run…"), QKeySequence(), [this] { deriveWorkloadDialog(); });
    m_actions[DeriveWorkload]->setToolTip(tr("Save the run on screen as a workload file: each task's time on a core as CPU "
                                             "seconds, its waits as waits; queueing, GIL and lock waits left out"));
    m_actions[SaveWorkload] = new_action(this, tr("Save wor&kload…"), QKeySequence(), [this] {
        const QString path = ask_save_path(
            m_window, tr("Save workload"), QString(), tr("Workload files (*.json)"), QStringLiteral("json"));
        if (!path.isEmpty())
            saveWorkload(path);
    });
}

void FileActions::deriveWorkloadDialog()
{
    if (!m_trace)
        return;
    const QString path = ask_save_path(m_window, tr("Derive workload"), suggestedName(QStringLiteral("-derived.json")),
        tr("Workload files (*.json)"), QStringLiteral("json"));
    if (!path.isEmpty())
        deriveWorkload(path);
}

QString FileActions::deriveWorkload(const QString& path)
{
    if (!m_trace) {
        const QString error = tr("Nothing is on screen to derive: run a workload or a script, or open a trace.");
        Q_EMIT failed(tr("Cannot derive a workload"), error);
        return error;
    }
    std::optional<Derived> derived;
    try {
        derived = derive_workload(*m_trace, tr("a run in the window").toStdString());
        // What is written must open again: a derived step beyond the limits is said now.
        workload_from_json(workload_to_json(derived->workload, derived->description), {});
    } catch (const std::invalid_argument& e) {
        const QString error = QString::fromStdString(e.what());
        Q_EMIT failed(tr("Cannot derive a workload"), error);
        return error;
    }
    if (const std::string error = write_file_atomically(path.toStdString(), workload_to_json(derived->workload, derived->description));
        !error.empty()) {
        Q_EMIT failed(tr("Cannot derive a workload"), QString::fromStdString(error));
        return QString::fromStdString(error);
    }
    if (const QString error = m_parameters->openWorkloadFile(path); !error.isEmpty()) {
        Q_EMIT failed(tr("Cannot open the derived workload"), error);
        return error;
    }
    std::string summary = derive_summary(*derived);
    if (const auto newline = summary.find('\n'); newline != std::string::npos)
        summary.resize(newline);
    Q_EMIT statusMessage(tr("Derived %1 to %2; it is in the panel: Run runs it, Run → What if…? tries every model")
                             .arg(QString::fromStdString(summary), QFileInfo(path).fileName()));
    return {};
}

void FileActions::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    updateControls();
}

void FileActions::updateControls()
{
    const bool busy = m_runs->running() || m_opening;
    m_actions[SaveTrace]->setEnabled(!busy && m_trace && m_trace->complete);
    m_actions[ExportImage]->setEnabled(!busy && m_trace != nullptr);
    m_actions[ExportVideo]->setEnabled(!busy && m_trace && m_trace->complete && !m_replays->busy());
    m_actions[DeriveWorkload]->setEnabled(!busy && m_trace && m_trace->complete && !m_trace->foreign);
}

QString FileActions::suggestedName(const QString& suffix) const
{
    const RunInfo& info = m_trace->info;
    const QString workload = QString::fromStdString(info.workload);
    QString name;
    if (info.ran_script()) {
        name = QFileInfo(workload).completeBaseName();
    } else {
        QStringList parts;
        for (const std::string& part : { info.workload, info.model })
            if (!part.empty())
                parts << QString::fromStdString(part);
        name = parts.join(QLatin1Char('-'));
    }
    // A workload file may name its workload anything: no folder or character a file name refuses.
    name.replace(QRegularExpression(QStringLiteral(R"([/\\:*?"<>|])")), QStringLiteral("-"));
    return (name.isEmpty() ? QStringLiteral("trace") : name) + suffix;
}

bool FileActions::mayReplaceTrace()
{
    return !m_runs->running() && (!m_discard_check || m_discard_check(tr("Open another trace anyway?")));
}

QString FileActions::openTraceFilter()
{
    // All files first: what opens is decided by the content (Node writes node_trace.1.log,
    // others .trace or no extension), and anything else is refused with the reason.
    return tr("All files (*);;Chrome traces (*.json *.log *.trace)");
}

void FileActions::openTraceDialog()
{
    if (!mayReplaceTrace())
        return;
    const QString path = ask_open_path(m_window, tr("Open trace"), openTraceFilter());
    if (!path.isEmpty())
        openTrace(path);
}

void FileActions::openTrace(const QString& path)
{
    if (const QString busy = m_runs->otherWorkGoingOn(); !busy.isEmpty()) {
        Q_EMIT statusMessage(busy);
        Q_EMIT traceOpened(busy);
        return;
    }
    // A comparison's manifest (opened, dropped or picked from the recent files) opens as its set.
    if (QFile file(path); file.open(QIODevice::ReadOnly) && looks_like_comparison(file.read(128).toStdString())) {
        Q_EMIT traceOpened(openComparison(path));
        return;
    }
    // Read off the GUI thread: a trace of a million spans takes a second or two to parse.
    Q_EMIT statusMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_opening = true;
    m_runs->setOpening(true);
    QPointer<FileActions> self(this);
    const std::string file = QFile::encodeName(path).toStdString();
    QThreadPool::globalInstance()->start([self, path, file] {
        auto trace = std::make_shared<Trace>();
        std::string error;
        const bool ok = load_trace(file, *trace, error);
        // Posted to the application, which outlives any window; the window may be gone by then.
        QMetaObject::invokeMethod(
            qApp,
            [self, path, ok, trace, error] {
                if (self)
                    self->finishOpening(
                        path, ok ? std::shared_ptr<const Trace>(trace) : nullptr, QString::fromStdString(error));
            },
            Qt::QueuedConnection);
    });
}

void FileActions::finishOpening(const QString& path, std::shared_ptr<const Trace> trace, const QString& error)
{
    m_opening = false;
    m_runs->setOpening(false);
    if (!trace) {
        Q_EMIT failed(tr("Cannot open the trace"), error);
        Q_EMIT traceOpened(error);
        return;
    }
    Q_EMIT traceLoaded(path, trace);
    // What is on screen is what Run runs next, or the panel says why it cannot be.
    m_parameters->showTrace(*trace);
    addRecentFile(path);
    Q_EMIT statusMessage(
        tr("Opened %1: %2")
            .arg(QFileInfo(path).fileName(), trace->foreign ? foreign_summary(*trace) : title_text(*trace)));
    updateControls();
    Q_EMIT traceOpened(QString());
}

QString FileActions::saveTrace(const QString& path)
{
    if (!m_trace)
        return tr("There is no trace to save yet.");
    QString message;
    if (m_trace->foreign)
        message = tr("This %1 is shown read-only; its file is already saved.")
                      .arg(QString::fromStdString(m_trace->info.workload));
    else
        message = QString::fromStdString(save_trace(*m_trace, scorecard_if_any(*m_trace), path.toStdString()));
    if (!message.isEmpty()) {
        Q_EMIT failed(tr("Cannot save the trace"), message);
        return message;
    }
    Q_EMIT traceSaved(path);
    addRecentFile(path);
    Q_EMIT statusMessage(tr("Saved the trace to %1 (opens in Perfetto UI as is)").arg(path));
    return {};
}

void FileActions::saveTraceDialog()
{
    if (!m_trace)
        return;
    const QString path = ask_save_path(m_window, tr("Save trace"), suggestedName(QStringLiteral(".json")),
        tr("Chrome trace JSON (*.json)"), QStringLiteral("json"));
    if (!path.isEmpty())
        saveTrace(path);
}

QString FileActions::exportImage(const QString& path, QSize size)
{
    if (!m_trace)
        return tr("There is nothing to export yet: run a workload or open a trace first.");
    const QString error = export_image(*m_trace, path, size, m_zoom->range(), m_hand_overs);
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("Cannot export the image"), error);
        return error;
    }
    const QSize written = report_size(*m_trace, size).size;
    Q_EMIT statusMessage(tr("Exported %1 (%2×%3)").arg(path).arg(written.width()).arg(written.height()));
    return {};
}

void FileActions::exportImageDialog()
{
    if (!m_trace)
        return;
    QSettings settings;
    const QSize size = settings.value(QStringLiteral("export/size"), QSize(1600, 900)).toSize();
    const auto target = ask_image_target(m_window, suggestedName(QStringLiteral(".png")), size,
        [trace = m_trace](QSize asked) { return report_size_note(report_size(*trace, asked)); });
    if (!target)
        return;
    settings.setValue(QStringLiteral("export/size"), target->size);
    exportImage(target->path, target->size);
}

QString FileActions::openWorkload(const QString& path)
{
    const QString error = m_parameters->openWorkloadFile(path);
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("Cannot open the workload"), error);
        return error;
    }
    Q_EMIT statusMessage(tr("Opened the workload %1: Run runs it").arg(QFileInfo(path).fileName()));
    return {};
}

QString FileActions::saveWorkload(const QString& path)
{
    const QString error = m_parameters->saveWorkloadFile(path);
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("Cannot save the workload"), error);
        return error;
    }
    Q_EMIT statusMessage(tr("Saved the workload to %1 (timeslice run --workload %1 runs it)").arg(path));
    return {};
}

QString FileActions::openComparison(const QString& path)
{
    if (const QString busy = m_runs->compareBusy(); !busy.isEmpty()) {
        Q_EMIT statusMessage(busy);
        return busy;
    }
    const QString error = m_runs->showCompareWindow()->openSet(path);
    if (!error.isEmpty()) {
        Q_EMIT failed(tr("Cannot open the comparison"), error);
        return error;
    }
    addRecentFile(path);
    Q_EMIT statusMessage(tr("Opened the comparison %1").arg(QDir::toNativeSeparators(path)));
    return {};
}

QString FileActions::exportTaskStats(const QString& path)
{
    if (!m_trace || !m_trace->complete)
        return tr("There are no finished tasks to export yet.");
    const std::string error = write_file_atomically(QFile::encodeName(path).toStdString(), task_stats_csv(*m_trace));
    if (!error.empty()) {
        const QString message = QString::fromStdString(error);
        Q_EMIT failed(tr("Cannot export the statistics"), message);
        return message;
    }
    Q_EMIT statusMessage(tr("Exported the per-task statistics to %1").arg(path));
    return {};
}

void FileActions::exportTaskStatsDialog()
{
    if (!m_trace)
        return;
    const QString path = ask_save_path(m_window, tr("Export statistics"), suggestedName(QStringLiteral("-tasks.csv")),
        tr("CSV (*.csv)"), QStringLiteral("csv"));
    if (!path.isEmpty())
        exportTaskStats(path);
}

void FileActions::addRecentFile(const QString& path)
{
    QSettings settings;
    QStringList files = settings.value(QStringLiteral("files/recent")).toStringList();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > 8)
        files.removeLast();
    settings.setValue(QStringLiteral("files/recent"), files);
    updateRecentMenu();
}

void FileActions::updateRecentMenu()
{
    m_recent_menu->clear();
    const QStringList files = QSettings().value(QStringLiteral("files/recent")).toStringList();
    for (int i = 0; i < files.size(); ++i) {
        const QString& file = files[i];
        QAction* a = m_recent_menu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(file).fileName()), this, [this, file] {
                if (mayReplaceTrace())
                    openTrace(file);
            });
        a->setToolTip(file);
        a->setData(file);
    }
    if (files.isEmpty()) {
        m_recent_menu->addAction(tr("No recent traces"))->setEnabled(false);
        return;
    }
    m_recent_menu->addSeparator();
    m_recent_menu->addAction(tr("&Clear the list"), this, [this] {
        QSettings().remove(QStringLiteral("files/recent"));
        updateRecentMenu();
    });
}

bool FileActions::canTake(const QMimeData* mime) const { return dropped_file(mime).kind != FileKind::None; }

bool FileActions::take(const QMimeData* mime)
{
    const DroppedFile dropped = dropped_file(mime);
    if (dropped.kind == FileKind::None)
        return false;
    // After the drop has been answered: the program the file came from is not kept waiting
    // while a question is asked.
    QTimer::singleShot(0, this, [this, dropped] {
        if (dropped.kind == FileKind::Workload)
            openWorkload(dropped.path);
        else if (mayReplaceTrace())
            openTrace(dropped.path);
    });
    return true;
}

} // namespace timeslice::ui
