#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace timeslice {

// One vocabulary for every model. The first eight are spans a task spends time in; the last
// three end a task and take no time. Preempted and Blocked come from the kernel's data: the model
// had the task running, the kernel had its thread off every core.
enum class State : std::uint8_t {
    Queued, // submitted, no worker free
    Starting, // its worker is being spawned
    Running, // computing
    Waiting, // blocked on I/O or a sleep
    GilWait, // ready to compute, another thread holds the GIL
    Ready, // async: its timer expired, the loop is busy elsewhere
    Preempted, // running by the model, but runnable and off every core (the OS gave the core away)
    Blocked, // running by the model, but asleep in the kernel (page fault, I/O, a lock)
    Done,
    Failed,
    Cancelled,
};

constexpr int kStateCount = 11;
constexpr int kSpanStateCount = 8;

constexpr std::array<State, kStateCount> kAllStates { State::Queued, State::Starting, State::Running, State::Waiting,
    State::GilWait, State::Ready, State::Preempted, State::Blocked, State::Done, State::Failed, State::Cancelled };

constexpr bool is_terminal(State s) noexcept { return s >= State::Done; }

// The model's own state: preempted and blocked are the kernel's account of a running task.
constexpr State model_state(State s) noexcept { return s == State::Preempted || s == State::Blocked ? State::Running : s; }

std::string_view state_name(State s) noexcept;
std::optional<State> state_from_name(std::string_view name) noexcept;

} // namespace timeslice
