#include "core/trace/state.h"

namespace timeslice {

namespace {
constexpr bool rows_in_enum_order()
{
    for (std::size_t i = 0; i < kStates.size(); ++i) {
        if (kStates[i].state != State(i))
            return false;
    }
    return true;
}
static_assert(rows_in_enum_order(), "kStates has one row per State, in the enum's order");
}

std::string_view state_name(State s) noexcept
{
    const auto i = static_cast<std::size_t>(s);
    return i < kStates.size() ? kStates[i].name : std::string_view("unknown");
}

std::optional<State> state_from_name(std::string_view name) noexcept
{
    for (const StateInfo& row : kStates) {
        if (row.name == name)
            return row.state;
    }
    return std::nullopt;
}

} // namespace timeslice
