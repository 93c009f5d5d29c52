#pragma once

#include "core/cancel_token.h"
#include "core/recorder.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace timeslice {

// An emulated global interpreter lock, after CPython's since 3.2 (Python/ceval_gil.c): one
// holder; a thread that wants it waits up to the switch interval, then sets a drop request;
// the holder, which polls the request between slices of work, drops the GIL and waits until
// another thread has taken it (FORCE_SWITCHING), so it cannot grab it straight back.
class Gil {
public:
    explicit Gil(Nanos switch_interval, CancelToken& cancel)
        : m_interval(switch_interval)
        , m_cancel(cancel)
    {
    }

    // Takes the GIL for `task`, recording gil-wait when it has to wait (unless the caller did
    // already) and running once it holds it. Returns false if the run was cancelled meanwhile.
    bool take(Lane& lane, std::uint32_t task, bool record_wait = true);
    // Releases the GIL. `forced` after a drop request: wait until another thread took it.
    void drop(bool forced);
    bool drop_requested() const noexcept { return m_drop_request.load(std::memory_order_relaxed); }

    std::uint64_t switches() const;
    // Wakes every thread waiting for the GIL or for a hand-over, so a Stop is seen at once.
    void wake_all();

private:
    const Nanos m_interval;
    CancelToken& m_cancel;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::condition_variable m_switch_cv;
    bool m_locked = false;
    std::uint64_t m_switch_number = 0;
    std::atomic<bool> m_drop_request { false };
};

} // namespace timeslice
