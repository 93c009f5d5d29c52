#include "core/trace/outcomes.h"

#include <utility>

namespace timeslice {

Outcomes::Outcomes(Outcomes&& other) noexcept
    : m_status(std::move(other.m_status))
    , m_result(std::move(other.m_result))
    , m_cpu_time(std::move(other.m_cpu_time))
    , m_notes(std::move(other.m_notes))
{
    other.clear();
}

Outcomes& Outcomes::operator=(Outcomes&& other) noexcept
{
    if (this != &other) {
        m_status = std::move(other.m_status);
        m_result = std::move(other.m_result);
        m_cpu_time = std::move(other.m_cpu_time);
        m_notes = std::move(other.m_notes);
        other.clear();
    }
    return *this;
}

void Outcomes::resize(std::size_t n)
{
    if (n < m_status.size()) {
        for (auto it = m_notes.begin(); it != m_notes.end();)
            it = it->first >= n ? m_notes.erase(it) : std::next(it);
    }
    m_status.resize(n, std::uint8_t(State::Cancelled));
    m_result.resize(n);
    m_cpu_time.resize(n, -1);
}

std::size_t Outcomes::add()
{
    resize(size() + 1);
    return size() - 1;
}

void Outcomes::clear() noexcept
{
    m_status = {};
    m_result = {};
    m_cpu_time = {};
    m_notes = {};
}

TaskOutcome Outcomes::get(std::size_t i) const
{
    TaskOutcome o { status(i), m_result[i], {}, m_cpu_time[i] };
    if (m_status[i] & kHasNotes) {
        std::lock_guard lock(m_mutex);
        const Notes& n = m_notes.at(std::uint32_t(i));
        o.reason = n.reason;
        o.worker = n.worker;
    }
    return o;
}

void Outcomes::set(std::size_t i, TaskOutcome outcome)
{
    m_status[i] = std::uint8_t(outcome.status) | (m_status[i] & kHasNotes);
    m_result[i] = std::move(outcome.result);
    m_cpu_time[i] = outcome.cpu_time;
    if (!(m_status[i] & kHasNotes) && outcome.reason.empty() && outcome.worker.empty())
        return; // the common case: no notes before or after, no lock
    set_note(i, &Notes::reason, std::move(outcome.reason));
    set_note(i, &Notes::worker, std::move(outcome.worker));
}

ShortText Outcomes::reason(std::size_t i) const { return note(i, &Notes::reason); }
ShortText Outcomes::worker(std::size_t i) const { return note(i, &Notes::worker); }
void Outcomes::set_reason(std::size_t i, ShortText text) { set_note(i, &Notes::reason, std::move(text)); }
void Outcomes::set_worker(std::size_t i, ShortText text) { set_note(i, &Notes::worker, std::move(text)); }

ShortText Outcomes::note(std::size_t i, ShortText Notes::*field) const
{
    if (!(m_status[i] & kHasNotes))
        return {};
    std::lock_guard lock(m_mutex);
    return m_notes.at(std::uint32_t(i)).*field;
}

void Outcomes::set_note(std::size_t i, ShortText Notes::*field, ShortText text)
{
    if (!(m_status[i] & kHasNotes) && text.empty())
        return;
    std::lock_guard lock(m_mutex);
    Notes& n = m_notes[std::uint32_t(i)];
    n.*field = std::move(text);
    if (n.reason.empty() && n.worker.empty()) {
        m_notes.erase(std::uint32_t(i));
        m_status[i] &= kStateBits;
    } else {
        m_status[i] |= kHasNotes;
    }
}

} // namespace timeslice
