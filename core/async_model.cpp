#include "core/async_model.h"

#include "core/compute.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <chrono>

namespace timeslice {

namespace {

struct Loop {
    RunContext& ctx;
    Lane& lane;
    asio::io_context& io;
    std::vector<bool> ended;
};

asio::awaitable<void> run_task(Loop& loop, std::uint32_t index)
{
    const TaskSpec& spec = loop.ctx.workload.tasks[index];
    Lane& lane = loop.lane;
    lane.record(make_event(index, State::Running));
    const auto finish = [&](TaskOutcome outcome) {
        lane.record(make_event(index, outcome.status));
        loop.ctx.outcomes[index] = std::move(outcome);
        loop.ended[index] = true;
    };

    u128 sum = 0;
    bool computed = false;
    asio::steady_timer timer(loop.io);
    for (const Step& step : spec.steps) {
        if (const auto* c = std::get_if<Compute>(&step)) {
            computed = true;
            for (std::uint64_t i = 0; i < c->iterations;) {
                const std::uint64_t end = std::min(c->iterations, i + kComputeSlice);
                sum += square_sum(i, end);
                i = end;
                if (loop.ctx.cancel.cancelled()) {
                    finish({ State::Cancelled, {}, "stopped" });
                    co_return;
                }
            }
        } else {
            const Nanos start = monotonic_now();
            const Nanos deadline = start + std::get<Wait>(step).duration;
            lane.record(make_event(index, State::Waiting, start));
            timer.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(deadline)));
            co_await timer.async_wait(asio::use_awaitable);
            const Nanos resumed = monotonic_now();
            if (resumed - deadline >= AsyncModel::kReadyThreshold)
                lane.record(make_event(index, State::Ready, deadline));
            lane.record(make_event(index, State::Running, resumed));
        }
    }
    finish({ State::Done, computed ? to_string(sum) : format_seconds(spec.nominal_seconds), {} });
}

} // namespace

void AsyncModel::run(RunContext& ctx)
{
    const std::size_t n = ctx.workload.tasks.size();
    asio::io_context io(1);
    Lane& lane = ctx.recorder.make_lane();
    Loop loop { ctx, lane, io, std::vector<bool>(n, false) };
    for (std::size_t i = 0; i < n; ++i)
        lane.record(make_event(std::uint32_t(i), State::Queued, ctx.origin));
    for (std::size_t i = 0; i < n; ++i)
        asio::co_spawn(io, run_task(loop, std::uint32_t(i)), asio::detached);

    ctx.cancel.set_callback([&io] { io.stop(); });
    if (!ctx.cancel.cancelled())
        io.run();
    ctx.cancel.clear_callback();

    const Nanos now = monotonic_now();
    for (std::size_t i = 0; i < n; ++i) {
        if (!loop.ended[i]) {
            lane.record(make_event(std::uint32_t(i), State::Cancelled, now));
            ctx.outcomes[i] = TaskOutcome { State::Cancelled, {}, "stopped" };
        }
    }
    // Destroying the io_context destroys the suspended coroutine frames.
}

} // namespace timeslice
