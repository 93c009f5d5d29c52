#pragma once

// Which of a trace's tasks get a row: a pure object, no widgets.

#include "core/trace/trace.h"

#include <memory>
#include <optional>
#include <vector>

namespace timeslice::ui {

// Every task, or only those that spent time in one state, less the rows hidden by hand; and the
// trace as those rows show it. The find bar shows the choice, the timeline draws what shown() gives.
class RowFilter {
public:
    // Rows hidden by hand belong to one run: a live run's next frame keeps them, another run or
    // trace shows every task again.
    void setTrace(std::shared_ptr<const Trace> trace);
    // Only the tasks that spent time in `state`; none: every task.
    void setState(std::optional<State> state);
    std::optional<State> state() const { return m_state; }
    // `task` is an index into the trace's tasks; one out of range is ignored.
    void hide(int task);
    // Nothing hidden and no state chosen.
    void showAll();

    const std::shared_ptr<const Trace>& trace() const { return m_trace; }
    // The trace's task shown in each row.
    const std::vector<int>& rows() const { return m_rows; }
    // Some task has no row.
    bool filtered() const { return m_trace && m_rows.size() != m_trace->tasks.size(); }
    // The trace itself when every task has a row, else a copy with just the rows shown (and their
    // predicted outlines); null without a trace.
    const std::shared_ptr<const Trace>& shown() const { return m_shown; }

private:
    void update();

    std::shared_ptr<const Trace> m_trace;
    std::optional<State> m_state;
    std::vector<bool> m_hidden; // per task of m_trace
    std::vector<int> m_rows;
    std::shared_ptr<const Trace> m_shown;
};

} // namespace timeslice::ui
