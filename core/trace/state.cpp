#include "core/trace/state.h"

namespace timeslice {

namespace {
constexpr std::array<std::string_view, kStateCount> kNames { "queued", "starting", "running", "waiting", "gil-wait",
    "ready", "preempted", "blocked", "done", "failed", "cancelled" };
}

std::string_view state_name(State s) noexcept
{
    const auto i = static_cast<std::size_t>(s);
    return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<State> state_from_name(std::string_view name) noexcept
{
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name)
            return static_cast<State>(i);
    }
    return std::nullopt;
}

} // namespace timeslice
