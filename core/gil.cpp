#include "core/gil.h"

#include <chrono>

namespace timeslice {

bool Gil::take(Lane& lane, std::uint32_t task, bool record_wait)
{
    std::unique_lock lock(m_mutex);
    if (m_locked) {
        if (record_wait)
            lane.record(make_event(task, State::GilWait));
        const auto interval = std::chrono::nanoseconds(m_interval);
        while (m_locked) {
            if (m_cancel.cancelled())
                return false;
            const std::uint64_t seen = m_switch_number;
            const bool freed = m_cv.wait_for(lock, interval, [this] { return !m_locked || m_cancel.cancelled(); });
            // A whole interval passed and nobody switched: ask the holder to drop it.
            if (!freed && m_locked && m_switch_number == seen)
                m_drop_request.store(true, std::memory_order_relaxed);
        }
        if (m_cancel.cancelled())
            return false; // woken by a Stop: do not start running again
    }
    m_locked = true;
    ++m_switch_number;
    m_drop_request.store(false, std::memory_order_relaxed);
    lock.unlock();
    m_switch_cv.notify_all();
    lane.record(make_event(task, State::Running));
    return true;
}

void Gil::drop(bool forced)
{
    std::unique_lock lock(m_mutex);
    m_locked = false;
    const std::uint64_t seen = m_switch_number;
    m_cv.notify_one();
    if (forced) {
        while (m_switch_number == seen && !m_cancel.cancelled())
            m_switch_cv.wait_for(lock, std::chrono::milliseconds(5));
    }
}

void Gil::wake_all()
{
    {
        std::lock_guard lock(m_mutex);
    }
    m_cv.notify_all();
    m_switch_cv.notify_all();
}

std::uint64_t Gil::switches() const
{
    std::lock_guard lock(m_mutex);
    return m_switch_number;
}

} // namespace timeslice
