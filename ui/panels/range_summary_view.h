#pragma once

#include "core/analysis/range_summary.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace timeslice::ui {

// The summary of a selected time range: its length, CPU use and GIL hand-overs, and per task and
// per state the time inside it; "Zoom to selection" shows just the range.
class RangeSummaryView : public QWidget {
    Q_OBJECT
public:
    explicit RangeSummaryView(QWidget* parent = nullptr);

    // No trace or no range: the panel says how to select one.
    void showRange(const Trace* trace, const RangeSummary* summary);

    QLabel* headline() const { return m_headline; }
    QTableWidget* table() const { return m_table; }
    QPushButton* zoomButton() const { return m_zoom; }

    static constexpr int kMaxRows = 2000; // more tasks: the first ones, and the panel says so

Q_SIGNALS:
    void zoomRequested();

private:
    QLabel* m_headline;
    QTableWidget* m_table;
    QPushButton* m_zoom;
};

} // namespace timeslice::ui
