#pragma once

// A periodic thread: calls `f` every `period` on a thread of its own, from construction until
// destruction, which wakes it at once and joins it without calling `f` again. `f` must not
// throw (the program would end). A run's drain (Runner::run_model) and the benchmarks' lane
// readers use it. Its thread has run once it is made (helper_thread.h). Constructing one throws
// std::system_error where no thread can be had.

#include "core/base/helper_thread.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace timeslice {

class Every {
public:
    Every(std::chrono::milliseconds period, std::function<void()> f)
        : m_thread(start_helper_thread([this, period, f = std::move(f)] {
            std::unique_lock lock(m_mutex);
            while (!m_wake.wait_for(lock, period, [this] { return m_stop; })) {
                lock.unlock();
                f();
                lock.lock();
            }
        }))
    {
    }
    ~Every()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_wake.notify_one();
        m_thread.join();
    }
    Every(const Every&) = delete;
    Every& operator=(const Every&) = delete;

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::thread m_thread; // last: starts once the rest is made
};

} // namespace timeslice
