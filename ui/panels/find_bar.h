#pragma once

// The bar over the task rows: find a task, choose which tasks get a row, set the rows' height.

#include "ui/panels/row_filter.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace timeslice::ui {

class TimelineView;

// Enter goes to the next task found, Shift+Enter to the one before; a row is also hidden from the
// rows' context menu. The bar hands the timeline the trace as its rows show it.
class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(TimelineView* timeline, QWidget* parent = nullptr);

    // Shows `trace` in the timeline, through the row filter.
    void setTrace(std::shared_ptr<const Trace> trace);
    // View → Find task…: the field takes the keyboard, its text selected.
    void focusFind();
    void hideTask(int task); // an index into the trace's tasks
    void showAllTasks();
    // Another trace: no text to find, every task a row (the last trace's rows mean nothing here).
    void startOver();

    QLineEdit* findField() const { return m_find; }
    QSpinBox* rowHeightBox() const { return m_row_height; }
    QComboBox* rowFilterBox() const { return m_state; }
    // Narrower than its labels need, the bar drops "Filter" and "Row size": the fields say
    // what they are ("All tasks", "auto").
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void findNext(int direction);
    // "2 of 11", "11 tasks" (none of them the one marked) or "no task", for the trace as it is.
    void updateCount();
    void applyFilter();
    void showRowMenu(const QPoint& pos);
    int labelsWidth() const;

    TimelineView* m_timeline;
    RowFilter m_filter;
    QLineEdit* m_find;
    QLabel* m_find_count;
    QComboBox* m_state;
    QLabel* m_rows_shown;
    QLabel* m_filter_label;
    QLabel* m_row_label;
    QSpinBox* m_row_height;
};

} // namespace timeslice::ui
