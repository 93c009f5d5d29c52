#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace timeslice {

// Where the kernel's view of the run's threads comes from (core/kernel/monitor.h):
//   exact    perf_event_open context-switch records, to the nanosecond, with the core and
//            whether a switch-out was a preemption;
//   sampled  /proc/<pid>/task/<tid>/schedstat and stat, read every millisecond; each reading's
//            time on a core and on a run queue is laid out where the cores are free;
//   none     neither is available: nothing is drawn that was not measured.
enum class KernelSource : std::uint8_t { None, Sampled, Exact };

std::string_view kernel_source_name(KernelSource source) noexcept;
std::optional<KernelSource> kernel_source_from_name(std::string_view name) noexcept;

} // namespace timeslice
