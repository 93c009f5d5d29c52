#pragma once

// Why a thread was off every core, as the kernel said it (the system call it slept in), and
// whether a running CPython thread held the GIL, as the interpreter's own GIL fields said.
// One row per value: its name in the trace ("args.reason", "args.gil") and its help sentence.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace timeslice {

enum class WaitReason : std::uint8_t { None, Gil, Lock, Io, Sleep, Child, Other, Unknown };

struct WaitReasonInfo {
    WaitReason reason;
    std::string_view name; // in the trace and the report
    std::string_view help;
};

inline constexpr std::array<WaitReasonInfo, 8> kWaitReasons { {
    { WaitReason::None, "", "" },
    { WaitReason::Gil, "gil", "asleep on the GIL's own futex: waiting for the GIL" },
    { WaitReason::Lock, "lock", "asleep on another futex: a Lock, Condition, Queue, Event or Future" },
    { WaitReason::Io, "io", "asleep in read, recv, poll, select, accept or connect: waiting for I/O" },
    { WaitReason::Sleep, "sleep", "asleep in nanosleep: a sleep" },
    { WaitReason::Child, "child", "asleep in wait4 or waitid: waiting for a child process" },
    { WaitReason::Other, "other", "asleep in another system call" },
    { WaitReason::Unknown, "unknown", "asleep, too briefly to be read while it lasted" },
} };

constexpr std::string_view wait_reason_name(WaitReason r) noexcept { return kWaitReasons[static_cast<std::size_t>(r)].name; }
constexpr std::optional<WaitReason> wait_reason_from_name(std::string_view name) noexcept
{
    for (const WaitReasonInfo& info : kWaitReasons) {
        if (!name.empty() && info.name == name)
            return info.reason;
    }
    return std::nullopt;
}

// A running CPython thread and the GIL, by the interpreter's own fields.
enum class GilHold : std::uint8_t { Unknown, Held, Released };

constexpr std::string_view gil_hold_name(GilHold g) noexcept
{
    return g == GilHold::Held ? "held" : g == GilHold::Released ? "released" : "unknown";
}
constexpr std::optional<GilHold> gil_hold_from_name(std::string_view name) noexcept
{
    if (name == "held")
        return GilHold::Held;
    if (name == "released")
        return GilHold::Released;
    if (name == "unknown")
        return GilHold::Unknown;
    return std::nullopt;
}

} // namespace timeslice
