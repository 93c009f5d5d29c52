#include "ui/windows/advice_window.h"


#include <QChart>

#include <algorithm>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace timeslice::ui {

AdviceWindow::AdviceWindow(QWidget* parent)
    : QWidget(parent, Qt::Window)
{
    setWindowTitle(tr("Timeslice — What to use? (measured)"));
    setObjectName(QStringLiteral("adviceWindow"));
    m_progress = new QLabel(tr("Measures I/O overlap, use of the cores, scalability and the GIL on this machine (about 15 s)."));
    m_progress->setWordWrap(true);
    m_run = new QPushButton(tr("Measure again"));
    m_stop = new QPushButton(tr("Stop"));
    m_stop->setObjectName(QStringLiteral("adviceStop"));
    m_stop->setEnabled(false);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0); // busy: the steps take as long as the machine makes them
    m_busy->setMaximumWidth(160);
    m_busy->setVisible(false);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_busy);
    bar->addWidget(m_stop);
    bar->addWidget(m_run);

    m_table = new QTableWidget(0, 3);
    m_table->setHorizontalHeaderLabels({ tr("processes"), tr("threads"), tr("async") });
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(true);
    // Sized to its rows (showAdvice): no scroll bar of its own with a row cut off below it.
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    auto* chart = new QChart;
    chart->setTitle(tr("Scalability: overhead per task with N tasks waiting at once (log axes)"));
    chart->legend()->setAlignment(Qt::AlignRight);
    m_chart = new QChartView(chart);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(260);

    m_decision = new QLabel;
    m_decision->setWordWrap(true);
    m_decision->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_decision->font();
    bold.setBold(true);
    m_decision->setFont(bold);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_table, 0);
    layout->addWidget(m_chart, 1);
    layout->addWidget(m_decision);
    resize(1200, 820);
    connect(m_run, &QPushButton::clicked, this, [this] { start(m_options); });
    // Rows grow and shrink with the columns' width (their text wraps): the table follows them.
    connect(m_table->verticalHeader(), &QHeaderView::sectionResized, this, &AdviceWindow::fitTableToRows,
        Qt::QueuedConnection);
    connect(m_stop, &QPushButton::clicked, this, [this] {
        m_cancel = true;
        m_stop->setEnabled(false);
        m_progress->setText(tr("Stopping…"));
    });
}

AdviceWindow::~AdviceWindow()
{
    // Closing mid-measurement stops the run under way (within a few ms) and the rest with it.
    m_cancel = true;
    if (m_thread.joinable())
        m_thread.join();
}

QString AdviceWindow::decisionText() const { return m_decision->text(); }

void AdviceWindow::fitTableToRows()
{
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int r = 0; r < m_table->rowCount(); ++r)
        height += m_table->rowHeight(r);
    if (height != m_table->height())
        m_table->setFixedHeight(height);
}

void AdviceWindow::start(const AdviseOptions& options)
{
    if (m_running)
        return;
    if (m_busy_check) {
        if (const QString busy = m_busy_check(); !busy.isEmpty()) {
            m_progress->setText(busy);
            return;
        }
    }
    if (m_thread.joinable())
        m_thread.join();
    m_options = options;
    m_options.cancel = &m_cancel;
    m_cancel = false;
    m_running = true;
    m_run->setEnabled(false);
    m_stop->setEnabled(true);
    m_busy->setVisible(true);
    m_progress->setText(tr("Measuring…"));
    QPointer<AdviceWindow> self(this);
    m_thread = std::thread([self, options = m_options] {
        Advice advice;
        try {
            advice = measure_advice(options, [self](const std::string& step) {
            QMetaObject::invokeMethod(
                self.data(), [self, step] {
                    if (!self)
                        return;
                    const QString text = tr("Measuring %1…").arg(QString::fromStdString(step));
                    self->m_progress->setText(text);
                    Q_EMIT self->stepShown(text);
                },
                Qt::QueuedConnection);
            });
        } catch (const std::exception& e) {
            // Never let a measurement's failure end the program: say it instead.
            advice = Advice {};
            advice.workload = options.workload;
            advice.decision = std::string("The measurements failed: ") + e.what();
        }
        QMetaObject::invokeMethod(self.data(), [self, advice] { if (self) self->showAdvice(advice); }, Qt::QueuedConnection);
    });
}

void AdviceWindow::showAdvice(const Advice& advice)
{
    m_running = false;
    m_run->setEnabled(true);
    m_stop->setEnabled(false);
    m_busy->setVisible(false);
    if (m_cancel) {
        m_progress->setText(tr("Stopped: the table shows what was measured before Stop."));
    } else {
        m_progress->setText(tr("Measured on this machine (%1 cores). Each cell: what was measured, and the article's verdict; "
                               "red where they disagree.").arg(online_cores()));
    }
    m_table->setRowCount(int(advice.rows.size()));
    QStringList features;
    for (std::size_t r = 0; r < advice.rows.size(); ++r) {
        const AdviceRow& row = advice.rows[r];
        features << QString::fromStdString(row.feature);
        for (std::size_t m = 0; m < 3; ++m) {
            const AdviceCell& c = row.cells[m];
            auto* item = new QTableWidgetItem(QStringLiteral("%1 — %2\narticle: %3")
                                                  .arg(QString::fromStdString(c.verdict), QString::fromStdString(c.measured),
                                                      QString::fromStdString(c.article)));
            if (!c.agrees)
                item->setBackground(QColor(0xFF, 0xE0, 0xD8));
            m_table->setItem(int(r), int(m), item);
        }
    }
    m_table->setVerticalHeaderLabels(features);
    m_table->resizeRowsToContents();
    fitTableToRows();

    QChart* chart = m_chart->chart();
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes())
        chart->removeAxis(axis), delete axis;
    auto* x = new QLogValueAxis;
    x->setTitleText(tr("tasks at once"));
    x->setLabelFormat(QStringLiteral("%g"));
    auto* y = new QLogValueAxis;
    y->setTitleText(tr("µs of overhead per task"));
    y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    // Log axes do not take their range from the series: give them one that holds every point.
    double x_lo = 1e18, x_hi = 1, y_lo = 1e18, y_hi = 0.01;
    for (const SweepPoint& p : advice.sweep) {
        if (!p.ok)
            continue;
        x_lo = std::min(x_lo, double(p.tasks));
        x_hi = std::max(x_hi, double(p.tasks));
        y_lo = std::min(y_lo, std::max(0.01, p.overhead_us_per_task));
        y_hi = std::max(y_hi, std::max(0.01, p.overhead_us_per_task));
    }
    if (x_lo <= x_hi) {
        x->setRange(x_lo / 2, x_hi * 2);
        y->setRange(y_lo / 2, y_hi * 2);
    }
    const ModelKind models[] = { ModelKind::Processes, ModelKind::Threads, ModelKind::Async };
    for (std::size_t m = 0; m < 3; ++m) {
        auto* series = new QLineSeries;
        series->setName(QString::fromUtf8(model_name(models[m]).data()));
        static const QColor colors[] = { QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x72, 0xB2), QColor(0x00, 0x9E, 0x73) };
        series->setPen(QPen(colors[m], 2.5));
        series->setPointsVisible(true);
        for (const SweepPoint& p : advice.sweep) {
            if (p.model == models[m] && p.ok)
                series->append(p.tasks, std::max(0.01, p.overhead_us_per_task));
        }
        chart->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    QString decision = QString::fromStdString(advice.decision);
    if (!advice.rows.empty())
        decision += tr(" Run → What if…? (Ctrl+Shift+W) runs this work under every model.");
    m_decision->setText(decision);
    Q_EMIT finished();
}

} // namespace timeslice::ui
