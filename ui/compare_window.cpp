#include "ui/compare_window.h"

#include "ui/cpu_chart_view.h"
#include "ui/export_dialog.h"
#include "ui/image_export.h"
#include "ui/run_controller.h"
#include "ui/time_axis.h"
#include "ui/timeline_view.h"
#include "ui/zoom_state.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QVBoxLayout>

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
    m_stop_button = new QPushButton(tr("Stop"));
    m_export_button = new QPushButton(tr("Export image…"));
    m_export_button->setEnabled(false);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_status, 1);
    bar->addWidget(m_stop_button);
    bar->addWidget(m_export_button);

    auto* content = new QWidget;
    auto* sections = new QVBoxLayout(content);
    for (int i = 0; i < 4; ++i) {
        Section s;
        s.title = new QLabel;
        s.title->setTextFormat(Qt::RichText);
        s.timeline = new TimelineView(m_zoom);
        s.timeline->setLegendVisible(false);
        s.timeline->setMinimumHeight(120);
        s.cpu = new CpuChartView(m_zoom);
        s.cpu->setMinimumHeight(100);
        s.cpu->setMaximumHeight(130);
        connect(s.timeline, &TimelineView::plotGeometryChanged, s.cpu,
            [t = s.timeline, c = s.cpu] { c->alignPlot(t->plotLeft(), t->plotWidth()); });
        sections->addWidget(s.title);
        sections->addWidget(s.timeline, 1);
        sections->addWidget(s.cpu);
        m_sections.push_back(s);
    }
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(new LegendStrip);
    layout->addWidget(scroll, 1);
    resize(1280, 960);

    auto* close_action = new QAction(tr("Close"), this);
    // Ctrl+W by name: the platform's Close is Ctrl+F4 alone on some desktops.
    close_action->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_W), QKeySequence(Qt::Key_Escape) });
    connect(close_action, &QAction::triggered, this, &QWidget::close);
    addAction(close_action);

    connect(m_stop_button, &QPushButton::clicked, this, &CompareWindow::stop);
    connect(m_export_button, &QPushButton::clicked, this, &CompareWindow::exportDialog);
    connect(m_controller, &RunController::snapshotReady, this,
        [this](std::shared_ptr<const Trace> t) { showRun(m_current, std::move(t)); });
    connect(m_controller, &RunController::finished, this, [this](std::shared_ptr<const Trace> t) {
        showRun(m_current, std::move(t));
        ++m_current;
        startNext();
    });
}

CompareWindow::~CompareWindow() = default;

QString CompareWindow::start(const RunConfig& base)
{
    if (running())
        return tr("The comparison is still running; stop it first.");
    if (const std::string error = validate(base); !error.empty())
        return QString::fromStdString(error);
    m_entries = compare_entries(base);
    for (Section& s : m_sections) {
        s.trace.reset();
        s.timeline->setTrace(nullptr);
        s.cpu->setTrace(nullptr);
    }
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        m_sections[i].title->setText(tr("<b>%1</b> — waiting for its turn").arg(QString::fromStdString(m_entries[i].label)));
    m_current = 0;
    m_stopped = false;
    m_export_button->setEnabled(false);
    m_zoom->fit();
    startNext();
    return {};
}

void CompareWindow::startNext()
{
    if (m_stopped || m_current >= m_entries.size()) {
        m_status->setText(m_stopped ? tr("Stopped.") : tr("Done: four runs, one after another, on one time axis. Wheel to zoom, drag to pan."));
        m_stop_button->setEnabled(false);
        m_export_button->setEnabled(true);
        Q_EMIT allFinished();
        return;
    }
    const CompareEntry& entry = m_entries[m_current];
    m_status->setText(tr("Running %1 (%2 of %3)…").arg(QString::fromStdString(entry.label)).arg(m_current + 1).arg(m_entries.size()));
    m_stop_button->setEnabled(true);
    if (const QString error = m_controller->start(entry.config); !error.isEmpty()) {
        m_sections[m_current].title->setText(tr("<b>%1</b> — could not start: %2").arg(QString::fromStdString(entry.label), error));
        ++m_current;
        startNext();
    }
}

void CompareWindow::stop()
{
    m_stopped = true;
    m_controller->stop();
}

bool CompareWindow::running() const { return m_controller->running(); }

void CompareWindow::showRun(std::size_t index, std::shared_ptr<const Trace> trace)
{
    if (index >= m_sections.size())
        return;
    Section& s = m_sections[index];
    s.trace = std::move(trace);
    s.timeline->setTrace(s.trace);
    s.cpu->setTrace(s.trace);
    QString line = QString::fromStdString(format_duration(s.trace->info.makespan));
    if (s.trace->complete)
        line = tr("makespan %1 · %2").arg(line, scorecard_line(*s.trace));
    else
        line = tr("running for %1").arg(line);
    s.title->setText(QStringLiteral("<b>%1</b> &nbsp; %2").arg(QString::fromStdString(m_entries[index].label), line.toHtmlEscaped()));
    updateBounds();
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
    for (std::size_t i = 0; i < m_sections.size() && i < m_entries.size(); ++i) {
        if (m_sections[i].trace)
            runs.push_back(LabelledTrace { QString::fromStdString(m_entries[i].label), m_sections[i].trace.get() });
    }
    if (runs.empty())
        return tr("There is nothing to export yet.");
    return export_compare_image(runs, path, size, m_zoom->range());
}

void CompareWindow::exportDialog()
{
    QSettings settings;
    ExportDialog dialog(this);
    const QString workload = m_entries.empty() ? QStringLiteral("compare") : QString::fromStdString(m_entries[0].config.workload);
    dialog.setPath(QStringLiteral("%1/%2-every-model.png")
                       .arg(settings.value(QStringLiteral("files/lastDir"), QDir::homePath()).toString(), workload));
    dialog.setImageSize(QSize(1600, 1400));
    if (dialog.exec() != QDialog::Accepted)
        return;
    settings.setValue(QStringLiteral("files/lastDir"), QFileInfo(dialog.path()).absolutePath());
    const QString error = exportImage(dialog.path(), dialog.imageSize());
    if (!error.isEmpty())
        QMessageBox::critical(this, tr("Cannot export the image"), error);
    else
        m_status->setText(tr("Exported %1").arg(dialog.path()));
}

} // namespace timeslice::ui
