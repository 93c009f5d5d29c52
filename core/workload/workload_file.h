#pragma once

#include "core/workload/workload.h"

#include <string>
#include <string_view>

namespace timeslice {

// Workloads described in JSON files (resources/workloads/ holds the four built-ins and
// workload.schema.json for editors):
//
//   { "name": "table-loading", "description": "...",
//     "tasks": [ { "name": "A", "steps": [ { "wait": 1 } ] },
//                { "name": "P", "count": "cores", "steps": [ { "compute": 100000000 } ] } ] }
//
// A step is {"compute": iterations} (add "scaled": true to multiply it by --scale like a wait),
// {"wait": seconds} (an awaited sleep under async, a blocking one elsewhere), {"block": seconds}
// (a blocking sleep everywhere: it stalls an event loop), {"yield": true} (let the others run:
// asyncio.sleep(0)) or {"repeat": n, "steps": [...]}. A task's "count" (a number, or "cores")
// makes that many copies named P0, P1, ... ("count_from": 1 starts at P1); a wait-only task
// returns its seconds, unscaled.
// The built-ins' limits apply. Any problem throws std::invalid_argument with the JSON path and
// the rule: "tasks[2].steps[0].wait: must be between 0 and 3600 s, not -1".
Workload workload_from_json(std::string_view text, const WorkloadOptions& options, std::string_view fallback_name = "custom");
Workload load_workload_file(const std::string& path, const WorkloadOptions& options);

// A file's text for a workload (as built, at scale 1), which loads back to the same workload.
std::string workload_to_json(const Workload& workload, std::string_view description = {});

// True for a --workload argument that names a file rather than a built-in.
bool is_workload_file(std::string_view argument);

} // namespace timeslice
