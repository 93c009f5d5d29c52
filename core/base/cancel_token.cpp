#include "core/base/cancel_token.h"

#include <chrono>

namespace timeslice {

void CancelToken::cancel()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled.load(std::memory_order_relaxed))
            return;
        m_at.store(monotonic_now(), std::memory_order_relaxed);
        m_cancelled.store(true, std::memory_order_release);
    }
    m_cv.notify_all();
    // Called under its own lock so clear_callback() cannot return while the callback runs.
    std::lock_guard lock(m_callback_mutex);
    if (m_callback)
        m_callback();
}

bool CancelToken::sleep_until(Nanos deadline)
{
    const auto tp = std::chrono::steady_clock::time_point(std::chrono::nanoseconds(deadline));
    std::unique_lock lock(m_mutex);
    return !m_cv.wait_until(lock, tp, [this] { return m_cancelled.load(std::memory_order_relaxed); });
}

void CancelToken::set_callback(std::function<void()> fn)
{
    std::lock_guard lock(m_callback_mutex);
    m_callback = std::move(fn);
    if (m_cancelled.load() && m_callback)
        m_callback();
}

void CancelToken::clear_callback()
{
    std::lock_guard lock(m_callback_mutex);
    m_callback = nullptr;
}

} // namespace timeslice
