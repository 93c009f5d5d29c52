#pragma once

#include "core/models/model.h"

namespace timeslice {

// A pool of std::threads, like ThreadPoolExecutor: workers take tasks in submission order;
// a wait step blocks its thread; with the emulated GIL only one thread computes at a time.
class ThreadModel final : public Model {
public:
    explicit ThreadModel(ModelOptions options)
        : m_options(std::move(options))
    {
    }
    ModelKind kind() const noexcept override { return ModelKind::Threads; }
    int workers_for(const Workload& workload) const noexcept override;
    void run(RunContext& context) override;

private:
    ModelOptions m_options;
};

} // namespace timeslice
