#include "core/models/model.h"

#include <algorithm>

namespace timeslice {

// ProcessPoolExecutor: os.cpu_count() workers.
int default_process_workers() { return online_cores(); }

// ThreadPoolExecutor since Python 3.8: min(32, os.cpu_count() + 4).
int default_thread_workers() { return std::min(32, online_cores() + 4); }

} // namespace timeslice
