// The kernel view's words and the /proc text it reads: the modes' names, a thread's schedstat
// and stat lines. Pure functions, declared in monitor.h.
#include "core/kernel/monitor.h"

#include <array>
#include <charconv>

namespace timeslice {

namespace {

constexpr std::array<std::string_view, 4> kModeNames { "auto", "exact", "sampled", "off" };

} // namespace

std::string_view kernel_mode_name(KernelMode mode) noexcept
{
    const auto i = std::size_t(mode);
    return i < kModeNames.size() ? kModeNames[i] : std::string_view("auto");
}

std::optional<KernelMode> kernel_mode_from_name(std::string_view name) noexcept
{
    for (std::size_t i = 0; i < kModeNames.size(); ++i) {
        if (kModeNames[i] == name)
            return KernelMode(i);
    }
    return std::nullopt;
}

std::optional<SchedStat> parse_schedstat(std::string_view text) noexcept
{
    SchedStat s;
    std::uint64_t* fields[] = { &s.on_core, &s.queued, &s.slices };
    const char* p = text.data();
    const char* end = text.data() + text.size();
    for (std::uint64_t* f : fields) {
        while (p < end && *p == ' ')
            ++p;
        const auto r = std::from_chars(p, end, *f);
        if (r.ec != std::errc())
            return std::nullopt;
        p = r.ptr;
    }
    return s;
}

std::optional<ProcStat> parse_proc_task_stat(std::string_view text) noexcept
{
    // "pid (comm) S ppid ..." where comm may hold spaces and parentheses: the state follows the
    // last ')'. The processor is field 39, i.e. the 37th after the state.
    const auto close = text.rfind(')');
    if (close == std::string_view::npos || close + 2 >= text.size())
        return std::nullopt;
    ProcStat out;
    out.state = text[close + 2];
    std::size_t pos = close + 3;
    for (int field = 0; field < 35; ++field) {
        pos = text.find(' ', pos + 1);
        if (pos == std::string_view::npos)
            return std::nullopt;
    }
    int core = -1;
    const auto r = std::from_chars(text.data() + pos + 1, text.data() + text.size(), core);
    if (r.ec != std::errc())
        return std::nullopt;
    out.core = core;
    return out;
}

} // namespace timeslice
