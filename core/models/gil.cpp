#include "core/models/gil.h"

#include <chrono>

namespace timeslice {

bool Gil::take(Lane& lane, std::uint32_t task, bool record_wait)
{
    std::unique_lock lock(m_mutex);
    if (m_cancel.cancelled())
        return false;
    if (m_locked) {
        if (record_wait)
            lane.record(make_event(task, State::GilWait));
        const auto interval = std::chrono::nanoseconds(m_interval);
        while (m_locked) {
            if (m_cancel.cancelled())
                return false;
            const std::uint64_t seen = m_switch_number;
            const bool freed = m_cv.wait_for(lock, interval, [this] { return !m_locked || m_cancel.cancelled(); });
            // A whole interval passed and the holder did not change: ask it to drop the GIL.
            if (!freed && m_locked && m_switch_number == seen)
                m_drop_request.store(true, std::memory_order_relaxed);
        }
        if (m_cancel.cancelled())
            return false; // woken by a Stop: do not start running again
    }
    m_locked = true;
    if (m_last_holder != &lane) {
        m_last_holder = &lane;
        ++m_switch_number;
    }
    m_drop_request.store(false, std::memory_order_relaxed);
    // Recorded under the mutex: the previous holder recorded its own change before it dropped,
    // so two threads' running spans never overlap.
    lane.record(make_event(task, State::Running));
    lock.unlock();
    m_switch_cv.notify_all();
    return true;
}

void Gil::drop(const Lane& lane)
{
    std::unique_lock lock(m_mutex);
    m_locked = false;
    m_last_holder = &lane;
    m_cv.notify_one();
    if (!m_drop_request.load(std::memory_order_relaxed))
        return;
    // FORCE_SWITCHING: not switched yet, so wait for another thread to take it.
    m_drop_request.store(false, std::memory_order_relaxed);
    m_switch_cv.wait(lock, [&] { return m_last_holder != &lane || m_cancel.cancelled(); });
}

void Gil::wake_all()
{
    {
        std::lock_guard lock(m_mutex);
    }
    m_cv.notify_all();
    m_switch_cv.notify_all();
}

std::uint64_t Gil::hand_overs() const
{
    std::lock_guard lock(m_mutex);
    return m_switch_number > 0 ? m_switch_number - 1 : 0;
}

} // namespace timeslice
