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

// Everything about a state, in one row: what traces call it, what people call it, how it is drawn
// (an Okabe-Ito colour, safe for the common colour-vision deficiencies; full height when it wants
// a CPU, half height when not, so the difference reads even in grey; its band in a merged block,
// top to bottom), and the sentence the legend, tooltips and help give. Read by the trace, the
// kernel's view, the painter, the legend and the help: a new state is its enum value, its row and
// whatever emits it.
struct StateInfo {
    State state;
    std::string_view name; // in traces and on the command line
    std::string_view label; // for people
    std::uint32_t rgb; // 0xRRGGBB
    std::string_view looks; // the colour in words, for the help
    bool wants_cpu; // drawn full height
    int stack; // merged blocks: 0 is the top band; -1 for the three end states
    bool on_worker; // the task has begun on its worker (for when a task started)
    std::string_view help; // one sentence
};

inline constexpr std::array<StateInfo, kStateCount> kStates { {
    { State::Queued, "queued", "queued", 0xB8B8B8, "grey", false, 7, false, "submitted; no worker is free yet" },
    { State::Starting, "starting", "starting", 0xCC79A7, "pink", true, 4, false, "its worker process is being started" },
    { State::Running, "running", "running", 0x0072B2, "dark blue", true, 0, true, "computing on a CPU" },
    { State::Waiting, "waiting", "waiting", 0x56B4E9, "sky blue", false, 6, true, "blocked on I/O or a sleep; needs no CPU" },
    { State::GilWait, "gil-wait", "GIL wait", 0xD55E00, "vermillion", true, 2, true,
        "ready to compute, but another thread holds the GIL" },
    { State::Ready, "ready", "ready", 0xE69F00, "orange", true, 3, true,
        "its timer expired, but the event loop is busy with another task" },
    { State::Preempted, "preempted", "preempted", 0xF0E442, "yellow", true, 1, false,
        "computing by the model, but the kernel had its thread off every core, runnable: preempted" },
    { State::Blocked, "blocked", "blocked", 0x7A5C99, "violet", false, 5, false,
        "off every core, asleep: on a lock, a child process or a page fault (what the kernel read is named beside it)" },
    { State::Done, "done", "done", 0x009E73, "bluish green", false, -1, false, "finished" },
    { State::Failed, "failed", "failed", 0x000000, "black", false, -1, false, "failed" },
    // "stopped", as the Stop button and the status bar say.
    { State::Cancelled, "cancelled", "stopped", 0x808080, "grey", false, -1, false, "stopped before it finished" },
} };

constexpr const StateInfo& describe(State s) noexcept { return kStates[static_cast<std::size_t>(s)]; }

constexpr bool is_terminal(State s) noexcept { return s >= State::Done; }

// The model's own state: preempted and blocked are the kernel's account of a running task.
constexpr State model_state(State s) noexcept { return s == State::Preempted || s == State::Blocked ? State::Running : s; }

std::string_view state_name(State s) noexcept;
std::optional<State> state_from_name(std::string_view name) noexcept;

} // namespace timeslice
