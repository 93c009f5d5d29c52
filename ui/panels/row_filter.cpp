// Which of a trace's tasks get a row: a pure object, no widgets.
#include "ui/panels/row_filter.h"

#include "ui/tracks/timeline_view.h"

namespace timeslice::ui {

namespace {

std::shared_ptr<const Trace> only_rows(const Trace& trace, const std::vector<int>& rows)
{
    auto shown = std::make_shared<Trace>();
    shown->info = trace.info;
    shown->kernel = trace.kernel;
    shown->cores = trace.cores;
    shown->cpu = trace.cpu;
    shown->complete = trace.complete;
    shown->live_run = trace.live_run;
    shown->ideal.makespan = trace.ideal.makespan;
    shown->ideal.serial = trace.ideal.serial;
    for (int task : rows) {
        shown->tasks.push_back(trace.tasks[std::size_t(task)]);
        if (std::size_t(task) < trace.ideal.tasks.size())
            shown->ideal.tasks.push_back(trace.ideal.tasks[std::size_t(task)]);
    }
    if (shown->ideal.tasks.size() != shown->tasks.size())
        shown->ideal.tasks.clear();
    // A foreign trace stays foreign, its rows' span names and depths with their rows.
    if (trace.foreign) {
        ForeignTrace foreign = *trace.foreign;
        foreign.span_names.clear();
        foreign.depth.clear();
        for (int task : rows) {
            const std::size_t t = std::size_t(task);
            foreign.span_names.push_back(t < trace.foreign->span_names.size() ? trace.foreign->span_names[t]
                                                                              : std::vector<std::uint32_t> {});
            foreign.depth.push_back(t < trace.foreign->depth.size() ? trace.foreign->depth[t] : 0);
        }
        shown->foreign = std::move(foreign);
    }
    return shown;
}

} // namespace

void RowFilter::setTrace(std::shared_ptr<const Trace> trace)
{
    if (!trace || !m_trace || !same_run(*m_trace, *trace))
        m_hidden.clear();
    m_trace = std::move(trace);
    update();
}

void RowFilter::setState(std::optional<State> state)
{
    m_state = state;
    update();
}

void RowFilter::hide(int task)
{
    if (!m_trace || task < 0 || task >= int(m_trace->tasks.size()))
        return;
    m_hidden[std::size_t(task)] = true;
    update();
}

void RowFilter::showAll()
{
    m_hidden.assign(m_hidden.size(), false);
    m_state.reset();
    update();
}

void RowFilter::update()
{
    m_rows.clear();
    if (!m_trace) {
        m_shown.reset();
        return;
    }
    m_hidden.resize(m_trace->tasks.size(), false);
    for (std::size_t i = 0; i < m_trace->tasks.size(); ++i) {
        if (m_hidden[i] || (m_state && m_trace->tasks[i].time_in(*m_state) == 0))
            continue;
        m_rows.push_back(int(i));
    }
    m_shown = filtered() ? only_rows(*m_trace, m_rows) : m_trace;
}

} // namespace timeslice::ui
