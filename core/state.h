#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace timeslice {

// One vocabulary for every model. The first six are spans a task spends time in; the last three
// end a task and take no time.
enum class State : std::uint8_t {
    Queued, // submitted, no worker free
    Starting, // its worker is being spawned
    Running, // computing
    Waiting, // blocked on I/O or a sleep
    GilWait, // ready to compute, another thread holds the GIL
    Ready, // async: its timer expired, the loop is busy elsewhere
    Done,
    Failed,
    Cancelled,
};

constexpr int kStateCount = 9;
constexpr int kSpanStateCount = 6;

constexpr std::array<State, kStateCount> kAllStates { State::Queued, State::Starting, State::Running, State::Waiting,
    State::GilWait, State::Ready, State::Done, State::Failed, State::Cancelled };

constexpr bool is_terminal(State s) noexcept { return s >= State::Done; }

std::string_view state_name(State s) noexcept;
std::optional<State> state_from_name(std::string_view name) noexcept;

} // namespace timeslice
