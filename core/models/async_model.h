#pragma once

#include "core/models/model.h"

namespace timeslice {

// One thread running an Asio io_context, like asyncio's event loop: every task is a C++20
// coroutine; a wait step is co_await on a timer; a compute step runs on the loop thread and
// holds up every other task until it finishes, as CPU work inside a coroutine does in asyncio.
class AsyncModel final : public Model {
public:
    explicit AsyncModel(ModelOptions options)
        : m_options(std::move(options))
    {
    }
    ModelKind kind() const noexcept override { return ModelKind::Async; }
    int workers_for(const Workload&) const noexcept override { return 1; }
    void run(RunContext& context) override;

    // A timer that fires this much later than its deadline shows as `ready` (loop lag); less
    // is timer slack, not the loop being busy.
    static constexpr Nanos kReadyThreshold = 200'000;

private:
    ModelOptions m_options;
};

} // namespace timeslice
