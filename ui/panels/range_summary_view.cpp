#include "ui/panels/range_summary_view.h"

#include "ui/style/palette.h"
#include "ui/tracks/time_axis.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace timeslice::ui {

RangeSummaryView::RangeSummaryView(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("rangeSummary"));
    auto* layout = new QVBoxLayout(this);
    m_headline = new QLabel;
    m_headline->setObjectName(QStringLiteral("rangeHeadline"));
    m_headline->setWordWrap(true);
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headline->setAccessibleName(tr("Selected range"));
    layout->addWidget(m_headline);
    m_table = new QTableWidget;
    m_table->setObjectName(QStringLiteral("rangeTable"));
    m_table->setAccessibleName(tr("Time per task and state inside the selected range"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_table, 1);
    m_zoom = new QPushButton(tr("Zoom to selection")); // Z, as View > Zoom to selection; Alt+Z is Row size
    m_zoom->setObjectName(QStringLiteral("zoomToSelection"));
    m_zoom->setAccessibleName(tr("Zoom to selection"));
    m_zoom->setToolTip(tr("Show just the selected range (Z)"));
    layout->addWidget(m_zoom);
    connect(m_zoom, &QPushButton::clicked, this, &RangeSummaryView::zoomRequested);
    showRange(nullptr, nullptr);
}

void RangeSummaryView::showRange(const Trace* trace, const RangeSummary* summary)
{
    m_zoom->setEnabled(trace && summary);
    m_table->clear();
    m_table->setRowCount(0);
    m_table->setColumnCount(0);
    if (!trace || !summary) {
        m_headline->setText(tr("<i>Shift+drag over the rows, or drag along the time axis, to select a time range.</i>"));
        return;
    }
    const auto d = [](Nanos ns) { return QString::fromStdString(format_duration(ns)); };
    const Nanos resolution = std::max<Nanos>(1, summary->length() / 1000);
    QString html = tr("<b>%1</b> from %2 to %3")
                       .arg(d(summary->length()), QString::fromStdString(format_instant(summary->start, resolution)),
                           QString::fromStdString(format_instant(summary->end, resolution)));
    if (summary->cpu_percent >= 0)
        html += tr("<br>CPU %1 % (%2)").arg(summary->cpu_percent, 0, 'f', 1).arg(summary->cpu_is_own ? tr("the run's own use") : tr("the whole machine"));
    else
        html += tr("<br>CPU: no sample in this range");
    if (trace->info.gil)
        html += tr("<br>GIL hand-overs: %1").arg(summary->gil_hand_overs);
    const int tasks = int(summary->task_time.size());
    if (tasks > kMaxRows)
        html += tr("<br><i>The first %1 of %2 tasks are listed.</i>").arg(kMaxRows).arg(tasks);
    m_headline->setText(html);

    // A column per state that has time inside the range, then the total.
    std::vector<int> states;
    for (int i = 0; i < kSpanStateCount; ++i) {
        if (summary->time_in_state[std::size_t(i)] > 0)
            states.push_back(i);
    }
    QStringList headers { tr("task") };
    for (int s : states)
        headers << state_label(State(s));
    headers << tr("share of the range");
    const int rows = std::min(tasks, kMaxRows);
    m_table->setColumnCount(int(headers.size()));
    m_table->setHorizontalHeaderLabels(headers);
    m_table->setRowCount(rows + 1);
    const auto cell = [this](int row, int column, const QString& text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter) {
        auto* item = new QTableWidgetItem(text);
        item->setTextAlignment(align);
        m_table->setItem(row, column, item);
    };
    const Nanos length = std::max<Nanos>(1, summary->length());
    for (int r = 0; r < rows; ++r) {
        const auto& times = summary->task_time[std::size_t(r)];
        cell(r, 0, QString::fromStdString(trace->tasks[std::size_t(r)].name), Qt::AlignLeft | Qt::AlignVCenter);
        Nanos busy = 0;
        for (std::size_t c = 0; c < states.size(); ++c) {
            const Nanos t = times[std::size_t(states[c])];
            cell(r, int(c) + 1, t ? d(t) : QString());
            busy += t;
        }
        cell(r, int(states.size()) + 1, QStringLiteral("%1 %").arg(100.0 * double(busy) / double(length), 0, 'f', 0));
    }
    cell(rows, 0, tr("all tasks"), Qt::AlignLeft | Qt::AlignVCenter);
    for (std::size_t c = 0; c < states.size(); ++c)
        cell(rows, int(c) + 1, d(summary->time_in_state[std::size_t(states[c])]));
    QFont bold = m_table->font();
    bold.setBold(true);
    for (int c = 0; c < m_table->columnCount(); ++c) {
        if (QTableWidgetItem* item = m_table->item(rows, c))
            item->setFont(bold);
    }
}

} // namespace timeslice::ui
