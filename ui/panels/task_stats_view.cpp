#include "ui/panels/task_stats_view.h"

#include "ui/style/palette.h"
#include "ui/tracks/time_axis.h"

#include <QHeaderView>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace timeslice::ui {

void TaskStatsModel::setStats(std::vector<TaskStats> stats)
{
    beginResetModel();
    m_stats = std::move(stats);
    endResetModel();
}

int TaskStatsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_stats.size()); }
int TaskStatsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : kCpuColumn + 1; }

QVariant TaskStatsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_stats.size()) || index.column() > kCpuColumn)
        return {};
    const TaskStats& s = m_stats[std::size_t(index.row())];
    const int column = index.column();
    const auto time = [](Nanos t) { return t < 0 ? QString() : QString::fromStdString(format_duration(t)); };
    const auto instant = [](Nanos t) { return t < 0 ? QString() : QString::fromStdString(format_instant(t, 1000)); };
    if (role == Qt::UserRole) {
        switch (column) {
        case Task: return QString::fromStdString(s.name);
        case Status: return int(s.status);
        case Worker: return qlonglong(s.pid) * 10'000'000 + s.tid;
        case Start: return qlonglong(s.start);
        case End: return qlonglong(s.end);
        case kCpuColumn: return qlonglong(s.cpu);
        default: return qlonglong(s.time_in_state[std::size_t(column - FirstState)]);
        }
    }
    if (role == Qt::TextAlignmentRole)
        return column == Task || column == Status || column == Worker ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                                                        : int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Task: return QString::fromStdString(s.name);
    case Status: return state_label(s.status);
    case Worker: return s.pid ? tr("pid %1, tid %2").arg(s.pid).arg(s.tid) : QString();
    case Start: return instant(s.start);
    case End: return instant(s.end);
    case kCpuColumn: return time(s.cpu);
    default: {
        const Nanos t = s.time_in_state[std::size_t(column - FirstState)];
        return t ? time(t) : QString();
    }
    }
}

QVariant TaskStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Task: return tr("task");
    case Status: return tr("status");
    case Worker: return tr("worker");
    case Start: return tr("start");
    case End: return tr("end");
    case kCpuColumn: return tr("CPU");
    default:
        if (section > Task && section < kCpuColumn)
            return state_label(State(section - FirstState));
        return {};
    }
}

TaskStatsView::TaskStatsView(QWidget* parent)
    : QWidget(parent)
    , m_model(new TaskStatsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("taskStats"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("taskStatsTable"));
    m_table->setAccessibleName(tr("Per-task statistics"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the trace's order until a header is clicked
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_export = new QPushButton(tr("Export &CSV…"));
    m_export->setObjectName(QStringLiteral("exportStatsCsv"));
    m_export->setAccessibleName(tr("Export the per-task statistics as CSV"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_export);
    connect(m_export, &QPushButton::clicked, this, &TaskStatsView::exportRequested);
    setTrace(nullptr);
}

void TaskStatsView::setTrace(const Trace* trace)
{
    m_trace = trace;
    m_stale = true;
    m_export->setEnabled(trace && trace->complete && !trace->tasks.empty());
    if (isVisible())
        refresh();
}

void TaskStatsView::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
}

void TaskStatsView::refresh()
{
    if (!m_stale)
        return;
    m_stale = false;
    m_model->setStats(m_trace ? task_stats(*m_trace) : std::vector<TaskStats> {});
}

} // namespace timeslice::ui
