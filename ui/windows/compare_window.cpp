#include "ui/windows/compare_window.h"

#include "ui/tracks/track_view.h"
#include "ui/export/image_export.h"
#include "ui/windows/run_controller.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/timeline_view.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/save_path.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>

namespace timeslice::ui {

namespace {
// The state legend once, above the four timelines.
class LegendStrip : public QWidget {
public:
    using QWidget::QWidget;
    QSize sizeHint() const override { return QSize(600, int(paint_legend_height(font(), 600)) + 8); }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        paint_legend(p, QRectF(8, 4, width() - 16, height() - 4), font());
    }
};
}

CompareWindow::CompareWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_zoom(new ZoomState(this))
    , m_controller(new RunController(this))
{
    setWindowTitle(tr("Timeslice — every model"));
    setObjectName(QStringLiteral("compareWindow"));
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("compareStatus"));
    // A long status (an exported file's path) is cut, never a reason for the window to grow
    // past the screen and push the buttons off it.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_stop_button = new QPushButton(tr("Stop"));
    m_export_button = new QPushButton(tr("Export image…"));
    m_export_button->setEnabled(false);
    m_save_button = new QPushButton(tr("&Save comparison…"));
    m_save_button->setObjectName(QStringLiteral("saveComparisonButton"));
    m_save_button->setToolTip(tr("Save every run's trace and a comparison.json into a folder; File → Open comparison… "
                                 "reopens them as one set"));
    m_save_button->setEnabled(false);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_stop_button);
    bar->addWidget(m_save_button);
    bar->addWidget(m_export_button);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("compareNote"));
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setVisible(false);

    m_content = new QWidget;
    new QVBoxLayout(m_content);
    setSectionCount(4);
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_content);
    scroll->setWidgetResizable(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_note);
    layout->addWidget(new LegendStrip);
    layout->addWidget(scroll, 1);
    resize(1280, 960);

    auto* close_action = new QAction(tr("Close"), this);
    // Ctrl+W by name: the platform's Close is Ctrl+F4 alone on some desktops.
    close_action->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::Key_Escape) });
    connect(close_action, &QAction::triggered, this, &QWidget::close);
    addAction(close_action);
    auto* save_action = new QAction(tr("Save comparison"), this);
    save_action->setShortcut(QKeySequence::Save);
    connect(save_action, &QAction::triggered, this, [this] {
        if (m_save_button->isEnabled())
            saveDialog();
    });
    addAction(save_action);

    connect(m_stop_button, &QPushButton::clicked, this, &CompareWindow::stop);
    connect(m_export_button, &QPushButton::clicked, this, &CompareWindow::exportDialog);
    connect(m_save_button, &QPushButton::clicked, this, &CompareWindow::saveDialog);
    connect(m_controller, &RunController::snapshotReady, this,
        [this](std::shared_ptr<const Trace> t) { showRun(m_current, std::move(t)); });
    connect(m_controller, &RunController::finished, this, [this](std::shared_ptr<const Trace> t) {
        showRun(m_current, std::move(t));
        ++m_current;
        startNext();
    });
    connect(m_controller, &RunController::startFailed, this, [this](const QString& why) { couldNotStart(why); });
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::setSectionCount(std::size_t n)
{
    auto* sections = static_cast<QVBoxLayout*>(m_content->layout());
    while (m_sections.size() > n) {
        Section s = m_sections.back();
        m_sections.pop_back();
        // Deleted now, not later: no event of theirs is being handled (start and open come
        // from the main window), and a window counting its timelines must not find them.
        delete s.title;
        for (TrackView* band : s.bands)
            delete band;
        delete s.timeline;
    }
    while (m_sections.size() < n) {
        Section s;
        s.title = new QLabel;
        s.title->setTextFormat(Qt::RichText);
        s.timeline = new TimelineView(m_zoom);
        s.timeline->setLegendVisible(false);
        s.timeline->setHandOversVisible(m_hand_overs);
        s.timeline->setMinimumHeight(120);
        sections->addWidget(s.title);
        sections->addWidget(s.timeline, 1);
        // The runs' time axes line up: every timeline's label column is the widest one asks for.
        connect(s.timeline, &TimelineView::plotGeometryChanged, this, [this] {
            double widest = 0;
            for (const Section& other : m_sections)
                widest = std::max(widest, other.timeline->fittedLabelWidth());
            for (Section& other : m_sections)
                other.timeline->setLabelWidthFloor(widest);
        });
        // Under each run its bands (the CPU plot), shorter than in the main window.
        for (const Track* kind : track_kinds()) {
            if (!kind->band())
                continue;
            auto* band = new TrackView(*kind, m_zoom);
            band->setMinimumHeight(100);
            band->setMaximumHeight(130);
            connect(s.timeline, &TimelineView::plotGeometryChanged, band,
                [t = s.timeline, band] { band->alignPlot(t->plotLeft(), t->plotWidth()); });
            sections->addWidget(band);
            s.bands.push_back(band);
        }
        m_sections.push_back(s);
    }
    for (Section& s : m_sections) {
        s.trace.reset();
        s.timeline->setTrace(nullptr);
        for (TrackView* band : s.bands)
            band->setTrace(nullptr);
        s.title->clear();
    }
}

void CompareWindow::setHandOversVisible(bool visible)
{
    m_hand_overs = visible;
    for (Section& s : m_sections)
        s.timeline->setHandOversVisible(visible);
}

void CompareWindow::setNote(const QString& note)
{
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QString CompareWindow::note() const { return m_note->text(); }

QStringList CompareWindow::labels() const { return m_labels; }

QString CompareWindow::start(const RunConfig& base, Kind kind)
{
    if (running())
        return tr("The comparison is still running; stop it first.");
    if (const std::string error = validate(base); !error.empty())
        return QString::fromStdString(error);
    std::vector<CompareEntry> entries;
    std::string note;
    try {
        entries = kind == Kind::Models ? compare_entries(base, note) : engine_compare_entries(base, { Engine::Native, Engine::CPython }, note);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    m_base = base;
    m_what_if.reset();
    begin(kind, std::move(entries), kind == Kind::Models ? tr("every model") : tr("native against CPython"),
        note.empty() ? QString() : tr("Note: %1.").arg(QString::fromStdString(note)));
    return {};
}

QString CompareWindow::startWhatIf(const Workload& workload, const QString& what)
{
    if (running())
        return tr("The comparison is still running; stop it first.");
    std::vector<CompareEntry> entries;
    try {
        entries = what_if_entries(workload);
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    m_what_if_workload = workload;
    m_what_if.reset();
    m_base = entries.front().config;
    begin(Kind::WhatIf, std::move(entries), tr("what if %1").arg(QString::fromStdString(workload.name)),
        tr("What if %1 ran under every model? Each runs for real, one after another; the advice follows when all have run.")
            .arg(what));
    return {};
}

void CompareWindow::begin(Kind kind, std::vector<CompareEntry> entries, const QString& title, const QString& note)
{
    m_kind = kind;
    m_files.clear();
    m_entries = std::move(entries);
    m_labels.clear();
    for (const CompareEntry& e : m_entries)
        m_labels << QString::fromStdString(e.label);
    m_title = title;
    setWindowTitle(tr("Timeslice — %1").arg(m_title));
    setSectionCount(m_entries.size());
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        m_sections[i].title->setText(tr("<b>%1</b> — waiting for its turn").arg(m_labels[int(i)].toHtmlEscaped()));
    setNote(note);
    m_current = 0;
    m_stopped = false;
    m_export_button->setEnabled(false);
    m_save_button->setEnabled(false);
    m_zoom->fit();
    startNext();
}

void CompareWindow::concludeWhatIf()
{
    std::vector<std::shared_ptr<const Trace>> traces;
    for (const Section& s : m_sections)
        traces.push_back(s.trace);
    m_what_if = summarise_what_if(m_what_if_workload, m_entries, traces);
    QString text = QString::fromStdString(m_what_if->recommendation);
    for (const WhatIfAnswer& a : m_what_if->answers)
        text += QLatin1Char('\n') + QString::fromStdString(a.question + " " + a.answer);
    setNote(text);
}

QString CompareWindow::fidelityNote() const
{
    const Trace* native = nullptr;
    const Trace* cpython = nullptr;
    for (std::size_t i = 0; i < m_entries.size() && i < m_sections.size(); ++i) {
        const Trace* t = m_sections[i].trace.get();
        if (t && t->complete)
            (m_entries[i].config.engine == Engine::Native ? native : cpython) = t;
    }
    if (!native || !cpython)
        return {};
    const Workload w = make_workload(m_base.workload, m_base.workload_options);
    QString line = QString::fromStdString(fidelity_line(compare_fidelity(*native, *cpython, requested_waits(w))));
    line[0] = line[0].toUpper();
    return line;
}

void CompareWindow::startNext()
{
    if (m_stopped || m_current >= m_entries.size()) {
        if (m_stopped)
            m_status->setText(tr("Stopped."));
        else
            m_status->setText(tr("Done: %n run(s), one after another, on one time axis. Wheel to zoom, drag to pan.", nullptr,
                int(m_entries.size())));
        if (m_kind == Kind::WhatIf && !m_stopped)
            concludeWhatIf();
        if (m_kind == Kind::Engines) {
            if (const QString fidelity = fidelityNote(); !fidelity.isEmpty())
                setNote(m_note->text().isEmpty() ? fidelity : m_note->text() + QLatin1Char('\n') + fidelity);
        }
        m_stop_button->setEnabled(false);
        m_export_button->setEnabled(true);
        m_save_button->setEnabled(std::any_of(m_sections.begin(), m_sections.end(), [](const Section& s) { return bool(s.trace); }));
        Q_EMIT allFinished();
        return;
    }
    const CompareEntry& entry = m_entries[m_current];
    m_status->setText(tr("Running %1 (%2 of %3)…").arg(QString::fromStdString(entry.label)).arg(m_current + 1).arg(m_entries.size()));
    m_stop_button->setEnabled(true);
    if (const QString error = m_controller->start(entry.config); !error.isEmpty())
        couldNotStart(error);
}

void CompareWindow::couldNotStart(const QString& why)
{
    m_sections[m_current].title->setText(tr("<b>%1</b> — could not start: %2").arg(m_labels[int(m_current)].toHtmlEscaped(), why.toHtmlEscaped()));
    ++m_current;
    startNext();
}

void CompareWindow::stop()
{
    m_stopped = true;
    m_controller->stop();
}

bool CompareWindow::running() const { return m_controller->running(); }

void CompareWindow::showRun(std::size_t index, std::shared_ptr<const Trace> trace)
{
    if (index >= m_sections.size() || !trace)
        return;
    Section& s = m_sections[index];
    s.trace = std::move(trace);
    s.timeline->setTrace(s.trace);
    // A run's rows show whole up to eight of them, with no scroll bar for a row or two; more scroll.
    s.timeline->setMinimumHeight(std::max(120, s.timeline->heightToShow(std::min<int>(8, int(s.trace->tasks.size())))));
    for (TrackView* band : s.bands)
        band->setTrace(s.trace);
    QString line = QString::fromStdString(format_duration(s.trace->info.makespan));
    if (s.trace->complete)
        line = tr("makespan %1 · %2").arg(line, scorecard_line(*s.trace));
    else
        line = tr("running for %1").arg(line);
    const QString label = index < std::size_t(m_labels.size()) ? m_labels[int(index)] : QString();
    s.title->setText(QStringLiteral("<b>%1</b> &nbsp; %2").arg(label.toHtmlEscaped(), line.toHtmlEscaped()));
    updateBounds();
}

QString CompareWindow::saveSet(const QString& dir)
{
    if (running())
        return tr("The comparison is still running; stop it or wait for it to end.");
    ComparisonSet set;
    set.title = m_title.toStdString();
    set.note = m_note->text().toStdString();
    for (std::size_t i = 0; i < m_sections.size(); ++i) {
        if (!m_sections[i].trace)
            continue; // stopped before its turn: nothing was measured
        set.labels.push_back(m_labels.value(int(i)).toStdString());
        set.files.push_back(i < m_entries.size() ? compare_trace_name(m_entries[i]) : m_files.value(int(i)).toStdString());
        set.traces.push_back(m_sections[i].trace);
    }
    if (set.traces.empty())
        return tr("There is no run to save yet.");
    const std::string error = save_comparison(set, dir.toStdString());
    return QString::fromStdString(error);
}

QString CompareWindow::openSet(const QString& path)
{
    if (running())
        return tr("The comparison is still running; stop it first.");
    ComparisonSet set;
    std::string error;
    if (!load_comparison(path.toStdString(), set, error))
        return QString::fromStdString(error);
    m_entries.clear();
    m_labels.clear();
    m_files.clear();
    for (std::size_t i = 0; i < set.labels.size(); ++i) {
        m_labels << QString::fromStdString(set.labels[i]);
        m_files << QString::fromStdString(set.files[i]);
    }
    m_title = QString::fromStdString(set.title.empty() ? "comparison" : set.title);
    const QFileInfo info(path);
    const QString name = info.isDir() ? info.fileName() : info.dir().dirName();
    setWindowTitle(tr("Timeslice — %1 (%2)").arg(m_title, name));
    setSectionCount(set.traces.size());
    setNote(QString::fromStdString(set.note));
    m_current = set.traces.size();
    m_stopped = false;
    for (std::size_t i = 0; i < set.traces.size(); ++i)
        showRun(i, set.traces[i]);
    m_zoom->fit();
    m_status->setText(tr("Opened %1: %n run(s) on one time axis.", nullptr, int(set.traces.size())).arg(QDir::toNativeSeparators(path)));
    m_stop_button->setEnabled(false);
    m_export_button->setEnabled(true);
    m_save_button->setEnabled(true);
    return {};
}

QString CompareWindow::suggestedName() const
{
    QString workload = QStringLiteral("compare");
    for (const Section& s : m_sections) {
        if (s.trace && !s.trace->info.workload.empty()) {
            workload = QString::fromStdString(s.trace->info.workload);
            break;
        }
    }
    const QString kind = m_entries.empty() ? QStringLiteral("every-model")
        : m_kind == Kind::Engines          ? QStringLiteral("both-engines")
        : m_kind == Kind::WhatIf           ? QStringLiteral("what-if")
                                           : QStringLiteral("every-model");
    return QStringLiteral("%1-%2").arg(workload, kind);
}

void CompareWindow::saveDialog()
{
    // A name for a new folder (made on saving) or an existing one, in the folder last used: a
    // folder picker started in the home folder and would not take a new name.
    const QString dir = QFileDialog::getSaveFileName(this,
        tr("Save the comparison as a folder (its traces and comparison.json)"),
        QDir(last_folder(QDir::homePath())).filePath(suggestedName()), QString(), nullptr,
        QFileDialog::DontConfirmOverwrite);
    if (dir.isEmpty())
        return;
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir()) {
        QMessageBox::critical(this, tr("Cannot save the comparison"),
            tr("%1 is a file; a comparison is saved as a folder. Choose another name.").arg(QDir::toNativeSeparators(dir)));
        return;
    }
    if (QFileInfo::exists(QDir(dir).filePath(QString::fromLatin1(kComparisonFile)))
        && QMessageBox::question(this, tr("Replace the comparison?"),
               tr("%1 already holds a comparison. Replace it, and traces of the same names?").arg(QDir::toNativeSeparators(dir)),
               QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
            != QMessageBox::Yes)
        return;
    remember_folder(QFileInfo(dir).absolutePath());
    if (const QString error = saveSet(dir); !error.isEmpty())
        QMessageBox::critical(this, tr("Cannot save the comparison"), error);
    else
        m_status->setText(tr("Saved to %1; File → Open comparison… reopens it.").arg(QDir::toNativeSeparators(dir)));
}

void CompareWindow::updateBounds()
{
    Nanos end = kNanosPerMilli;
    for (const Section& s : m_sections) {
        if (s.trace)
            end = std::max(end, s.trace->end_time());
    }
    m_zoom->setBounds(TimeRange { 0, end });
}

std::vector<std::shared_ptr<const Trace>> CompareWindow::traces() const
{
    std::vector<std::shared_ptr<const Trace>> out;
    for (const Section& s : m_sections)
        out.push_back(s.trace);
    return out;
}

QString CompareWindow::exportImage(const QString& path, QSize size)
{
    std::vector<LabelledTrace> runs;
    for (std::size_t i = 0; i < m_sections.size() && i < std::size_t(m_labels.size()); ++i) {
        if (m_sections[i].trace)
            runs.push_back(LabelledTrace { m_labels[int(i)], m_sections[i].trace.get() });
    }
    if (runs.empty())
        return tr("There is nothing to export yet.");
    return export_compare_image(runs, path, size, m_zoom->range(), m_hand_overs);
}

void CompareWindow::exportDialog()
{
    const auto target = ask_image_target(this, suggestedName() + QStringLiteral(".png"), QSize(1600, 1400));
    if (!target)
        return;
    const QString error = exportImage(target->path, target->size);
    if (!error.isEmpty())
        QMessageBox::critical(this, tr("Cannot export the image"), error);
    else
        m_status->setText(tr("Exported %1").arg(target->path));
}

} // namespace timeslice::ui
