#pragma once

#include "core/analysis/task_stats.h"

#include <QAbstractTableModel>
#include <QWidget>

#include <vector>

class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace timeslice::ui {

// One row per task: name, worker, start, end, time per state, CPU. Qt::UserRole holds the
// number a column sorts by.
class TaskStatsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;

    void setStats(std::vector<TaskStats> stats);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    enum Column { Task, Status, Worker, Start, End, FirstState };
    static constexpr int kCpuColumn = FirstState + kSpanStateCount;

private:
    std::vector<TaskStats> m_stats;
};

// The table, sortable by any column, with "Export CSV…". Filled when it is seen: a finished
// run of 100,000 tasks took the window 27 ms to tabulate, in a dock most often not on screen.
class TaskStatsView : public QWidget {
    Q_OBJECT
public:
    explicit TaskStatsView(QWidget* parent = nullptr);

    // The trace must outlive the view's use of it (until the next setTrace).
    void setTrace(const Trace* trace);
    QTableView* table() const { return m_table; }
    TaskStatsModel* model() const { return m_model; }
    QPushButton* exportButton() const { return m_export; }

Q_SIGNALS:
    void exportRequested();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();

    const Trace* m_trace = nullptr;
    bool m_stale = false; // m_trace's rows are not in the model yet
    TaskStatsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QPushButton* m_export;
};

} // namespace timeslice::ui
