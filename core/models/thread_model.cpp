#include "core/models/thread_model.h"

#include "core/workload/compute.h"
#include "core/models/gil.h"
#include "core/kernel/wait_sampler.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <type_traits>

namespace timeslice {

namespace {

struct Pool {
    RunContext& ctx;
    std::optional<Gil> gil;
    std::atomic<std::size_t> next { 0 };
};

// Runs one task on the calling worker thread and records how it ended. Every state change is
// recorded before the GIL changes hands, so two threads' running spans can never overlap.
TaskOutcome run_task(Pool& pool, Lane& lane, std::uint32_t index)
{
    const TaskSpec& spec = pool.ctx.workload.tasks[index];
    CancelToken& cancel = pool.ctx.cancel;
    Gil* gil = pool.gil ? &*pool.gil : nullptr;
    bool holding = false;
    const auto finish = [&](TaskOutcome outcome) {
        lane.record(make_event(index, outcome.status));
        if (holding)
            gil->drop(lane);
        return outcome;
    };
    const auto stopped = [&] { return finish(TaskOutcome { State::Cancelled, {}, "stopped" }); };
    // Takes the GIL (recording gil-wait while it waits) or, without one, just starts running.
    const auto resume = [&] {
        if (!gil) {
            // The time first, then the check: a Stop given after the check finds the task
            // running since before it, never beginning after it.
            const Nanos now = record_now();
            if (cancel.cancelled())
                return false;
            lane.record(make_event(index, State::Running, now));
            return true;
        }
        holding = gil->take(lane, index);
        return holding;
    };

    if (!resume())
        return stopped();
    u128 sum = 0;
    bool computed = false;
    for (const Step& step : spec.steps) {
        if (const auto* c = std::get_if<Compute>(&step)) {
            computed = true;
            const bool finished = square_sum_in_slices(c->iterations, sum, [&] {
                if (cancel.cancelled())
                    return false;
                if (gil && gil->drop_requested()) {
                    lane.record(make_event(index, State::GilWait));
                    holding = false;
                    gil->drop(lane);
                    holding = gil->take(lane, index, false);
                    return holding;
                }
                return true;
            });
            if (!finished)
                return stopped();
        } else {
            const Nanos start = record_now();
            lane.record(make_event(index, State::Waiting, start));
            if (holding) {
                holding = false;
                gil->drop(lane); // CPython releases the GIL around a blocking call
            }
            if (!cancel.sleep_until(start + std::get<Wait>(step).duration))
                return stopped();
            if (!resume())
                return stopped();
        }
    }
    return finish(TaskOutcome { State::Done, computed ? to_string(sum) : format_seconds(spec.nominal_seconds), {} });
}

void worker_loop(Pool& pool, Lane& lane)
{
    // Wake from a wait step within 1 ns of slack rather than the kernel's default 50 us.
    prctl(PR_SET_TIMERSLACK, 1UL);
    const WatchThisThread watch(pool.ctx);
    const std::size_t n = pool.ctx.workload.tasks.size();
    for (;;) {
        if (pool.ctx.cancel.cancelled())
            return;
        const std::size_t index = pool.next.fetch_add(1, std::memory_order_relaxed);
        if (index >= n)
            return;
        TaskOutcome outcome;
        const Nanos cpu_before = thread_cpu_now();
        try {
            outcome = run_task(pool, lane, std::uint32_t(index));
        } catch (const std::exception& e) {
            outcome = TaskOutcome { State::Failed, {}, e.what() };
            lane.record(make_event(std::uint32_t(index), outcome.status));
        }
        outcome.cpu_time = thread_cpu_now() - cpu_before;
        pool.ctx.outcomes.set(index, std::move(outcome));
    }
}

} // namespace

std::unique_ptr<Model> make_thread_model(const ModelOptions& options) { return std::make_unique<ThreadModel>(options); }

int ThreadModel::workers_for(const Workload& workload) const noexcept
{
    const int pool = pool_size(ModelKind::Threads, m_options.workers);
    return std::max(1, std::min<int>(pool, int(workload.tasks.size())));
}

void ThreadModel::run(RunContext& ctx)
{
    const std::size_t n = ctx.workload.tasks.size();
    Lane& dispatcher = ctx.recorder.make_lane();
    for (std::size_t i = 0; i < n; ++i)
        dispatcher.record(make_event(std::uint32_t(i), State::Queued, ctx.origin));

    Pool pool { ctx, std::nullopt, {} };
    if (m_options.gil) {
        pool.gil.emplace(m_options.switch_interval, ctx.cancel);
        ctx.cancel.set_callback([&pool] { pool.gil->wake_all(); });
        if (ctx.waits) {
            const auto begin = reinterpret_cast<std::uintptr_t>(&*pool.gil);
            ctx.waits->emulated_gil(begin, begin + sizeof(Gil));
        }
    }

    // ThreadPoolExecutor starts a thread per submitted task until the pool is full.
    const int count = workers_for(ctx.workload);
    std::vector<std::thread> threads;
    threads.reserve(std::size_t(count));
    std::string spawn_error;
    for (int i = 0; i < count; ++i) {
        Lane& lane = ctx.recorder.make_lane();
        try {
            threads.emplace_back([&pool, &lane] { worker_loop(pool, lane); });
        } catch (const std::system_error& e) {
            spawn_error = e.what();
            break;
        }
    }
    for (auto& t : threads)
        t.join();
    if (pool.gil) {
        ctx.cancel.clear_callback();
        ctx.gil_hand_overs = pool.gil->hand_overs();
    }

    // Tasks no worker took: cancelled by a Stop, or failed because no thread could start.
    const Nanos now = monotonic_now();
    for (std::size_t i = pool.next.load(); i < n; ++i) {
        TaskOutcome outcome = threads.empty() ? TaskOutcome { State::Failed, {}, "could not start a thread: " + spawn_error }
                                              : TaskOutcome { State::Cancelled, {}, "stopped before it started" };
        dispatcher.record(make_event(std::uint32_t(i), outcome.status, now));
        ctx.outcomes.set(i, std::move(outcome));
    }
}

} // namespace timeslice
