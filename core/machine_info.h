#pragma once

#include <string>

namespace timeslice {

std::string cpu_model_name(); // from /proc/cpuinfo, "unknown CPU" if absent
std::string host_name();
std::string iso8601_utc_now();

} // namespace timeslice
