#pragma once

#include <string>
#include <vector>

namespace timeslice {

std::string cpu_model_name(); // from /proc/cpuinfo, "unknown CPU" if absent
std::string host_name();
std::string iso8601_utc_now();

// The live (or not yet reaped) child processes of this process, from /proc.
std::vector<int> child_pids();
// Resident memory of a process in KiB (VmRSS), 0 if it cannot be read.
long resident_kb(int pid);

} // namespace timeslice
