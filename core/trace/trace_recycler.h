#pragma once

#include "core/trace/trace.h"

#include <memory>
#include <mutex>
#include <vector>

namespace timeslice {

// A live run's snapshots are whole traces, built about 30 times a second; with 100,000 tasks
// each one is 100,000 rows with a vector of spans each. Allocating them afresh (and freeing the
// last one wherever it was let go: the GUI thread) was most of a live window's cost. A snapshot
// let go of comes back here instead, and the next one is built in its memory
// (TraceBuilder::build_into).
class TraceRecycler : public std::enable_shared_from_this<TraceRecycler> {
public:
    // At most this many let-go traces are kept for reuse (one being built, one on screen and
    // one on its way there need no more).
    static constexpr std::size_t kKept = 2;

    static std::shared_ptr<TraceRecycler> create() { return std::shared_ptr<TraceRecycler>(new TraceRecycler); }

    // A trace to build into: one let go of before, or a new one.
    std::unique_ptr<Trace> take();
    // Shares a built trace; when its last holder lets go, it comes back (unless closed).
    std::shared_ptr<const Trace> share(std::unique_ptr<Trace> trace);
    // From now on let-go traces are freed, not kept; the kept ones are freed now, on the
    // calling thread (the run's own, at its end, rather than the window's).
    void close();
    std::size_t kept() const;

private:
    TraceRecycler() = default;
    void give_back(const Trace* trace);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<Trace>> m_kept;
    bool m_closed = false;
};

} // namespace timeslice
