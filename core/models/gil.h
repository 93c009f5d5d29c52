#pragma once

#include "core/base/cancel_token.h"
#include "core/trace/recorder.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace timeslice {

// An emulated global interpreter lock that follows CPython 3.11's rules (Python/ceval_gil.c):
// - one holder; a thread that wants it waits up to the switch interval and, if no other thread
//   took it meanwhile (the switch number did not move), sets a drop request;
// - the switch number moves only when the holder changes (`last_holder`): a thread that drops
//   the GIL and takes it straight back does not reset a waiter's interval;
// - FORCE_SWITCHING: whoever drops the GIL while a drop request is pending, between slices of
//   work or around a blocking call alike, waits until another thread has taken it.
// Threads are told apart by their lane (one per worker thread).
class Gil {
public:
    explicit Gil(Nanos switch_interval, CancelToken& cancel)
        : m_interval(switch_interval)
        , m_cancel(cancel)
    {
    }

    // Takes the GIL for `task` on the thread that owns `lane`, recording gil-wait when it has to
    // wait (unless the caller did already) and running once it holds it. Returns false if the
    // run was cancelled meanwhile.
    bool take(Lane& lane, std::uint32_t task, bool record_wait = true);
    // Releases the GIL held by the thread that owns `lane`; with a drop request pending, waits
    // until another thread has taken it.
    void drop(const Lane& lane);
    bool drop_requested() const noexcept { return m_drop_request.load(std::memory_order_relaxed); }

    // How many times the GIL went from one thread to another.
    std::uint64_t hand_overs() const;
    // Wakes every thread waiting for the GIL or for a hand-over, so a Stop is seen at once.
    void wake_all();

private:
    const Nanos m_interval;
    CancelToken& m_cancel;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::condition_variable m_switch_cv;
    bool m_locked = false;
    const Lane* m_last_holder = nullptr;
    std::uint64_t m_switch_number = 0;
    std::atomic<bool> m_drop_request { false };
};

} // namespace timeslice
