#pragma once

#include "core/base/clock.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace timeslice {

// Stop for a run. Compute loops poll cancelled(); blocking waits sleep on it so a Stop wakes
// them at once; a model with its own event loop registers a callback that interrupts it.
class CancelToken {
public:
    void cancel();
    bool cancelled() const noexcept { return m_cancelled.load(std::memory_order_relaxed); }
    // When the Stop was given (monotonic ns), or -1 before it is.
    Nanos cancelled_at() const noexcept
    {
        return m_cancelled.load(std::memory_order_acquire) ? m_at.load(std::memory_order_relaxed) : -1;
    }

    // Sleeps until `deadline` (monotonic ns). Returns false if cancelled first.
    bool sleep_until(Nanos deadline);

    // `fn` runs on cancel(), or at once if the token is already cancelled.
    void set_callback(std::function<void()> fn);
    void clear_callback();

private:
    std::atomic<bool> m_cancelled { false };
    std::atomic<Nanos> m_at { -1 };
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::mutex m_callback_mutex;
    std::function<void()> m_callback;
};

} // namespace timeslice
