#include "core/trace/trace_recycler.h"

namespace timeslice {

std::unique_ptr<Trace> TraceRecycler::take()
{
    std::lock_guard lock(m_mutex);
    if (m_kept.empty())
        return std::make_unique<Trace>();
    std::unique_ptr<Trace> trace = std::move(m_kept.back());
    m_kept.pop_back();
    return trace;
}

std::shared_ptr<const Trace> TraceRecycler::share(std::unique_ptr<Trace> trace)
{
    // The deleter holds the recycler, so a snapshot outliving its run still has somewhere to go.
    return std::shared_ptr<const Trace>(
        trace.release(), [self = shared_from_this()](const Trace* t) { self->give_back(t); });
}

void TraceRecycler::give_back(const Trace* trace)
{
    std::unique_ptr<Trace> owned(const_cast<Trace*>(trace));
    std::lock_guard lock(m_mutex);
    if (!m_closed && m_kept.size() < kKept)
        m_kept.push_back(std::move(owned));
    // else freed here, after the lock is released (declared before it)
}

void TraceRecycler::close()
{
    std::vector<std::unique_ptr<Trace>> freed;
    std::lock_guard lock(m_mutex);
    m_closed = true;
    freed.swap(m_kept);
}

std::size_t TraceRecycler::kept() const
{
    std::lock_guard lock(m_mutex);
    return m_kept.size();
}

} // namespace timeslice
