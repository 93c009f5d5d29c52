#pragma once

#include "core/models/model.h"

#include <spawn.h>

namespace timeslice {

// How Timeslice starts a child (a worker, a Python program): no signal blocked and default
// dispositions for SIGPIPE, SIGINT and SIGTERM, whatever this process set up for itself (the
// command line blocks SIGINT to handle Ctrl+C); and a process group of its own, so Ctrl+C in a
// terminal reaches timeslice, which stops the run and says so, and Stop can end the whole group.
// `attr` must be initialised; the caller destroys it.
void set_child_spawn_attributes(posix_spawnattr_t& attr);

// A pool of worker processes, like ProcessPoolExecutor: each worker is the small
// timeslice-worker executable started with posix_spawn (never a fork of this possibly
// multi-threaded process); tasks go to idle workers over a socket pair and queue while every
// worker is busy. A worker that dies fails its task with the reason and is replaced.
class ProcessModel final : public Model {
public:
    explicit ProcessModel(ModelOptions options);
    ModelKind kind() const noexcept override { return ModelKind::Processes; }
    int workers_for(const Workload& workload) const noexcept override;
    void run(RunContext& context) override;

private:
    ModelOptions m_options;
};

// The worker executable next to the running program (or $TIMESLICE_WORKER).
std::string default_worker_path();

// "exited with code 3", "was killed by signal 9 (SIGKILL)".
std::string describe_exit_status(int status);

} // namespace timeslice
