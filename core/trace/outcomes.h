#pragma once

#include "core/base/clock.h"
#include "core/base/short_text.h"
#include "core/trace/state.h"

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace timeslice {

// How one task ended: its status, what it returned, why it did not finish (or a note on its row),
// its CPU time and the worker that ran it (a Dask worker's address).
struct TaskOutcome {
    State status = State::Cancelled;
    ShortText result;
    ShortText reason;
    Nanos cpu_time = -1;
    ShortText worker = {}; // TaskTrace::worker
};
static_assert(sizeof(TaskOutcome) == 64);

// How each task of a run ended, one slot per task, kept by column as a trace processor keeps a
// table: every task's status, result and CPU time side by side (25 bytes), and its reason and
// worker only where it has one (a failure's, a Stop's, a note, a Dask task's worker). A run of
// 1,000,000 async tasks keeps one per task, where most have a short result and nothing else; a
// TaskOutcome each would take 64 bytes (issue 24).
//
// Slots may be written from many threads at once, each slot by one thread at a time; a slot's
// reason and worker may be read while others are written. resize() and clear() only while no one
// else uses the table.
class Outcomes {
public:
    Outcomes() = default;
    explicit Outcomes(std::size_t n) { resize(n); }
    Outcomes(Outcomes&& other) noexcept;
    Outcomes& operator=(Outcomes&& other) noexcept;
    Outcomes(const Outcomes&) = delete;
    Outcomes& operator=(const Outcomes&) = delete;

    std::size_t size() const noexcept { return m_status.size(); }
    // New slots are cancelled, with no texts and no CPU time.
    void resize(std::size_t n);
    // One more slot (a task found while running); returns its index.
    std::size_t add();
    // Frees every slot and the memory they took.
    void clear() noexcept;

    TaskOutcome get(std::size_t i) const;
    TaskOutcome operator[](std::size_t i) const { return get(i); }
    void set(std::size_t i, TaskOutcome outcome);

    State status(std::size_t i) const noexcept { return State(m_status[i] & kStateBits); }
    const ShortText& result(std::size_t i) const noexcept { return m_result[i]; }
    Nanos cpu_time(std::size_t i) const noexcept { return m_cpu_time[i]; }
    ShortText reason(std::size_t i) const;
    ShortText worker(std::size_t i) const;

    void set_status(std::size_t i, State s) noexcept { m_status[i] = std::uint8_t((m_status[i] & kHasNotes) | std::uint8_t(s)); }
    void set_result(std::size_t i, ShortText text) { m_result[i] = std::move(text); }
    void set_cpu_time(std::size_t i, Nanos t) noexcept { m_cpu_time[i] = t; }
    void set_reason(std::size_t i, ShortText text);
    void set_worker(std::size_t i, ShortText text);

private:
    struct Notes {
        ShortText reason;
        ShortText worker;
    };
    // A slot's status byte: its State, and whether it has notes (so a slot without any is read
    // and written without the lock).
    static constexpr std::uint8_t kHasNotes = 0x80;
    static constexpr std::uint8_t kStateBits = 0x7F;

    ShortText note(std::size_t i, ShortText Notes::*field) const;
    void set_note(std::size_t i, ShortText Notes::*field, ShortText text);

    std::vector<std::uint8_t> m_status;
    std::vector<ShortText> m_result;
    std::vector<Nanos> m_cpu_time;
    std::unordered_map<std::uint32_t, Notes> m_notes;
    mutable std::mutex m_mutex; // m_notes's; each table keeps its own when moved
};

} // namespace timeslice
