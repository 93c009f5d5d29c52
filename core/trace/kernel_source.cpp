#include "core/trace/kernel_source.h"

#include <array>

namespace timeslice {

namespace {
constexpr std::array<std::string_view, 3> kSourceNames { "none", "sampled", "exact" };
}

std::string_view kernel_source_name(KernelSource source) noexcept
{
    const auto i = std::size_t(source);
    return i < kSourceNames.size() ? kSourceNames[i] : std::string_view("none");
}

std::optional<KernelSource> kernel_source_from_name(std::string_view name) noexcept
{
    for (std::size_t i = 0; i < kSourceNames.size(); ++i) {
        if (kSourceNames[i] == name)
            return KernelSource(i);
    }
    return std::nullopt;
}

} // namespace timeslice
