#pragma once

#include "core/model.h"

namespace timeslice {

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
