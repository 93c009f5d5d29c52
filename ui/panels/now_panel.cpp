// The playhead's panel: playback controls and the run at the playhead's instant.
#include "ui/panels/now_panel.h"

#include "core/models/registry.h"
#include "ui/tracks/time_axis.h"
#include "ui/style/palette.h"
#include "ui/tracks/zoom_state.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace timeslice::ui {

NowPanel::NowPanel(ZoomState* zoom, QWidget* parent)
    : QWidget(parent)
    , m_zoom(zoom)
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("nowPanel"));
    m_time = new QLabel;
    m_time->setObjectName(QStringLiteral("nowTime"));
    m_time->setWordWrap(true);
    // Arrows, not "◀ Step" and "Step ▶": the three buttons fit the narrow dock of an 800x600
    // window (they were cut there); their tooltips and names say what they do.
    m_back = new QPushButton(tr("◀"));
    m_back->setAccessibleName(tr("Step back"));
    m_back->setToolTip(tr("Step back: to the state change before the playhead ([)"));
    m_back->setObjectName(QStringLiteral("stepBack"));
    m_play = new QPushButton(tr("Play"));
    m_play->setObjectName(QStringLiteral("playPause"));
    m_play->setToolTip(tr("Play the run from the playhead at the chosen speed, or pause it (P)"));
    m_forward = new QPushButton(tr("▶"));
    m_forward->setObjectName(QStringLiteral("stepForward"));
    m_forward->setAccessibleName(tr("Step forward"));
    m_forward->setToolTip(tr("Step forward: to the next state change of any task (])"));
    // Narrower than the style's least button width where the dock is narrow (136 px).
    for (QPushButton* step : { m_back, m_forward })
        step->setMinimumWidth(step->fontMetrics().horizontalAdvance(step->text()) + 16);
    m_play->setMinimumWidth(m_play->fontMetrics().horizontalAdvance(tr("Pause")) + 16);
    m_speed_box = new QComboBox;
    m_speed_box->setObjectName(QStringLiteral("playbackSpeed"));
    m_speed_box->setAccessibleName(tr("Playback speed"));
    m_speed_box->setToolTip(tr("Run time per real time: at 1/100×, a 5 ms switch interval takes half a second"));
    for (const auto& [label, speed] : { std::pair { "1/1000×", 0.001 }, std::pair { "1/100×", 0.01 },
             std::pair { "1/10×", 0.1 }, std::pair { "1×", 1.0 } })
        m_speed_box->addItem(QString::fromUtf8(label), speed);
    m_speed_box->setCurrentIndex(1);
    m_gil = new QLabel;
    m_gil->setObjectName(QStringLiteral("nowGil"));
    m_gil->setWordWrap(true);
    m_loop = new QLabel;
    m_loop->setObjectName(QStringLiteral("nowLoop"));
    m_loop->setWordWrap(true);
    m_table = new QTableWidget(0, 4);
    m_table->setObjectName(QStringLiteral("nowTasks"));
    m_table->setAccessibleName(tr("Each task's state at the playhead"));
    m_table->setHorizontalHeaderLabels({ tr("task"), tr("state"), tr("core"), tr("for") });
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* where = new QHBoxLayout;
    where->addWidget(m_time, 1);
    where->addWidget(m_speed_box);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_back);
    controls->addWidget(m_play);
    controls->addWidget(m_forward);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(where);
    layout->addLayout(controls);
    layout->addWidget(m_gil);
    layout->addWidget(m_loop);
    layout->addWidget(m_table, 1);

    m_timer->setInterval(16);
    connect(m_timer, &QTimer::timeout, this, &NowPanel::advance);
    connect(m_back, &QPushButton::clicked, this, &NowPanel::stepBack);
    connect(m_forward, &QPushButton::clicked, this, &NowPanel::stepForward);
    connect(m_play, &QPushButton::clicked, this, &NowPanel::togglePlay);
    connect(m_speed_box, &QComboBox::currentIndexChanged, this,
        [this] { setSpeed(m_speed_box->currentData().toDouble()); });
    connect(m_zoom, &ZoomState::playheadChanged, this, &NowPanel::refresh);
    refresh();
}

void NowPanel::setTrace(std::shared_ptr<const Trace> trace)
{
    // The window has already moved the bounds to the new trace: the end this panel last saw
    // says whether the playhead was at the live end.
    const bool at_end = m_zoom->playhead() && *m_zoom->playhead() >= m_end;
    const bool same_run = m_trace && trace && !m_trace->complete;
    m_trace = std::move(trace);
    if (m_active && m_trace) {
        // A live run's playhead at its end follows the end; another trace starts at its start.
        if ((same_run && at_end) || (!same_run && !m_trace->complete))
            m_zoom->setPlayhead(m_zoom->bounds().end);
        else if (!same_run)
            m_zoom->setPlayhead(m_zoom->bounds().start);
    }
    m_end = m_zoom->bounds().end;
    refresh();
}

void NowPanel::setActive(bool active)
{
    m_active = active;
    if (!active) {
        pause();
        m_zoom->setPlayhead(std::nullopt);
        return;
    }
    if (!m_zoom->playhead() && m_trace)
        m_zoom->setPlayhead(m_trace->complete ? m_zoom->range().start : m_zoom->bounds().end);
    refresh();
}

bool NowPanel::playing() const { return m_timer->isActive(); }

void NowPanel::play()
{
    if (!m_trace || !m_active)
        return;
    const TimeRange bounds = m_zoom->bounds();
    if (!m_zoom->playhead() || *m_zoom->playhead() >= bounds.end)
        m_zoom->setPlayhead(bounds.start); // from the start again
    m_clock.start();
    m_timer->start();
    m_play->setText(tr("Pause"));
}

void NowPanel::pause()
{
    m_timer->stop();
    m_play->setText(tr("Play"));
}

void NowPanel::togglePlay() { playing() ? pause() : play(); }

void NowPanel::setSpeed(double speed)
{
    m_speed = std::clamp(speed, 0.001, 1.0);
    const int index = m_speed_box->findData(m_speed);
    if (index >= 0 && index != m_speed_box->currentIndex())
        m_speed_box->setCurrentIndex(index);
}

void NowPanel::advance()
{
    const auto at = m_zoom->playhead();
    if (!m_trace || !at) {
        pause();
        return;
    }
    // Run time from real time since the last frame: a late frame moves further, never slower.
    const Nanos real = Nanos(m_clock.nsecsElapsed());
    m_clock.restart();
    const TimeRange bounds = m_zoom->bounds();
    const Nanos next = std::min(bounds.end, *at + std::max<Nanos>(1, Nanos(std::llround(double(real) * m_speed))));
    m_zoom->setPlayhead(next);
    // Kept in view: the view pages along with it.
    const TimeRange range = m_zoom->range();
    if (next > range.end)
        m_zoom->panBy(next - range.start - (range.end - range.start) / 10);
    if (next >= bounds.end)
        pause();
}

void NowPanel::stepForward()
{
    if (!m_trace || !m_active)
        return;
    pause();
    const Nanos from = m_zoom->playhead().value_or(m_zoom->bounds().start - 1);
    if (const auto t = next_change(*m_trace, from))
        m_zoom->setPlayhead(*t);
}

void NowPanel::stepBack()
{
    if (!m_trace || !m_active)
        return;
    pause();
    const Nanos from = m_zoom->playhead().value_or(m_zoom->bounds().end + 1);
    if (const auto t = previous_change(*m_trace, from))
        m_zoom->setPlayhead(*t);
}

QString NowPanel::taskName(std::size_t task) const
{
    return m_trace && task < m_trace->tasks.size() ? QString::fromStdString(m_trace->tasks[task].name) : QString();
}

void NowPanel::refresh()
{
    const auto at = m_zoom->playhead();
    const bool usable = m_trace && at;
    for (QWidget* w : { static_cast<QWidget*>(m_back), static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_forward) })
        w->setEnabled(m_trace != nullptr && m_active);
    if (!usable) {
        m_now = Now {};
        m_time->setText(m_trace ? tr("No playhead") : tr("Run a workload or open a trace"));
        m_gil->clear();
        m_loop->clear();
        m_table->setRowCount(0);
        return;
    }
    m_now = now_at(*m_trace, *at);
    m_time->setText(tr("At %1 of %2")
                        .arg(QString::fromStdString(format_instant(*at, 1000)),
                            QString::fromStdString(format_duration(m_zoom->bounds().end))));
    // Who holds the GIL and who waits, longest first: a preemptive hand-over is watched here.
    if (m_trace->info.gil && !m_trace->foreign) {
        QStringList waiters;
        for (std::size_t w : m_now.gil_waiters)
            waiters << taskName(w);
        m_gil->setText(tr("GIL: %1; waiting for it: %2")
                           .arg(m_now.gil_holder ? tr("held by %1").arg(taskName(*m_now.gil_holder)) : tr("free"),
                               waiters.isEmpty() ? tr("none") : waiters.join(QStringLiteral(", "))));
    } else {
        m_gil->clear();
    }
    // The loop runs one task and its ready queue in order: a cooperative hand-over is watched here.
    if (const ModelDescriptor* model = find_model(m_trace->info.model); model && model->predicted == PredictedAs::Loop) {
        QStringList ready;
        for (std::size_t r : m_now.ready_queue)
            ready << taskName(r);
        m_loop->setText(tr("Event loop: %1; ready queue: %2")
                            .arg(m_now.loop_running ? tr("running %1").arg(taskName(*m_now.loop_running)) : tr("idle"),
                                ready.isEmpty() ? tr("empty") : ready.join(QStringLiteral(" → "))));
    } else {
        m_loop->clear();
    }
    // Items reused frame to frame: playback refreshes this 60 times a second.
    m_table->setUpdatesEnabled(false);
    m_table->setRowCount(int(m_now.tasks.size()));
    const auto cell = [this](int row, int column) {
        QTableWidgetItem* item = m_table->item(row, column);
        if (!item) {
            item = new QTableWidgetItem;
            m_table->setItem(row, column, item);
        }
        return item;
    };
    for (int row = 0; row < int(m_now.tasks.size()); ++row) {
        const TaskNow& t = m_now.tasks[std::size_t(row)];
        cell(row, 0)->setText(taskName(t.task));
        QTableWidgetItem* state = cell(row, 1);
        state->setText(state_label(t.state));
        state->setForeground(QColor(0x20, 0x20, 0x20));
        state->setBackground(state_color(t.state).lighter(150));
        cell(row, 2)->setText(t.core >= 0 ? tr("CPU %1").arg(t.core) : QString());
        cell(row, 3)->setText(QString::fromStdString(format_duration(*at - t.since)));
    }
    m_table->setUpdatesEnabled(true);
}

} // namespace timeslice::ui
