#include "core/models/async_model.h"

#include "core/workload/compute.h"

#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <coroutine>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <exception>
#include <new>
#include <unordered_map>

namespace timeslice {

// How the loop is built, and why (issue 6: 1,000,000 waiting tasks at <= 1 us and <= 512 bytes
// each). A task is a C++20 coroutine of our own minimal type rather than an asio::awaitable
// spawned with co_spawn: co_spawn adds a second frame (its entry point), an awaitable_thread and,
// per wait, an Asio handler allocation, ~1.2 KB and ~1 us per task. Here a waiting task costs its
// frame (a fixed-size slot from a slab, 64 bytes) and its frame's address in the loop's timer
// queue: the frame's promise keeps what the loop needs (the task, its next step, its deadline).
// The loop still runs on an asio::io_context: one steady_timer for the whole loop, armed for the
// earliest deadline.
//
// The order is asyncio's (Lib/asyncio/base_events.py, BaseEventLoop._run_once): one FIFO ready
// queue; each turn first appends the callbacks of the timers that are due, then runs exactly the
// callbacks that were queued when the turn began; what they queue waits for the next turn. A
// due timer's callback only completes the sleep's future, whose done-callback (the task's
// wake-up) is queued with call_soon: the task resumes one turn after its timer's turn. A task
// that awaits asyncio.sleep(0) is queued again at once. So beside a coroutine computing in slices
// with `await asyncio.sleep(0)` between them, a timer that expires during slice k is resumed
// after slices k+1 and k+2 have run.

namespace {

// Fixed-size slots for coroutine frames: every task's frame has the same size, so a free list in
// big blocks replaces malloc's per-allocation header and rounding. One per run, on the loop
// thread (frames are created, resumed and destroyed only there).
class FrameSlab {
public:
    FrameSlab() = default;
    FrameSlab(const FrameSlab&) = delete;
    FrameSlab& operator=(const FrameSlab&) = delete;
    ~FrameSlab()
    {
        for (void* b : m_blocks)
            std::free(b);
    }

    void* allocate(std::size_t size)
    {
        size = round(size);
        if (m_slot == 0)
            m_slot = size;
        if (size != m_slot)
            return ::operator new(size);
        if (m_free) {
            void* p = m_free;
            m_free = *static_cast<void**>(p);
            return p;
        }
        if (m_next == m_end) {
            // Blocks grow with the run (64 slots, then doubling): no page is touched before a
            // frame lives in it. From 2 MiB on, a block is one transparent huge page where the
            // kernel lends them: a million frames then take 48 page faults, not 23,000 (~10 us
            // each on a virtual machine, most of what starting a task cost).
            const std::size_t doubled = std::size_t(64) << std::min<std::size_t>(m_blocks.size(), 15);
            const std::size_t slots = std::max<std::size_t>(1, std::min(kHugePage / m_slot, doubled));
            const std::size_t bytes = slots * m_slot;
            if (bytes >= kHugePage / 2 && bytes <= kHugePage) {
                m_next = static_cast<char*>(std::aligned_alloc(kHugePage, kHugePage));
                if (!m_next)
                    throw std::bad_alloc();
                madvise(m_next, kHugePage, MADV_HUGEPAGE);
            } else {
                m_next = static_cast<char*>(std::malloc(bytes));
                if (!m_next)
                    throw std::bad_alloc();
            }
            m_end = m_next + bytes;
            m_blocks.push_back(m_next);
        }
        void* p = m_next;
        m_next += m_slot;
        return p;
    }

    void deallocate(void* p, std::size_t size) noexcept
    {
        if (round(size) != m_slot) {
            ::operator delete(p);
            return;
        }
        *static_cast<void**>(p) = m_free;
        m_free = p;
    }

private:
    static std::size_t round(std::size_t n) noexcept { return (n + 15) & ~std::size_t(15); }
    static constexpr std::size_t kHugePage = std::size_t(2) << 20;

    std::size_t m_slot = 0;
    void* m_free = nullptr;
    char* m_next = nullptr;
    char* m_end = nullptr;
    std::vector<void*> m_blocks;
};

class Loop;

// The run's slab, first escaped exception and loop, on its loop thread: a task's frame need not
// keep a pointer to them.
thread_local FrameSlab* t_slab = nullptr;
thread_local std::exception_ptr* t_error = nullptr;
thread_local Loop* t_loop = nullptr;

// A started task: starts suspended, destroys its own frame when it finishes. Its promise is
// what the loop knows of it, so the coroutine keeps no parameter and almost no local of its own
// (GCC keeps every local and temporary of a coroutine in its frame).
struct Task {
    struct promise_type {
        Task get_return_object() noexcept { return Task { std::coroutine_handle<promise_type>::from_promise(*this) }; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept { }
        void unhandled_exception() noexcept
        {
            if (t_error && !*t_error)
                *t_error = std::current_exception();
        }
        static void* operator new(std::size_t size) { return t_slab->allocate(size); }
        static void operator delete(void* p, std::size_t size) noexcept { t_slab->deallocate(p, size); }

        // The pending wait's deadline (absolute monotonic time); its duration until it starts.
        Nanos deadline = 0;
        std::uint32_t index = 0; // the task's index in the workload
        std::uint32_t step = 0; // the next step to run
        // Its timer has fired: the timer's callback is queued, the wake-up not yet.
        bool timer_fired = false;
    };
    std::coroutine_handle<promise_type> handle;
};

using TaskHandle = std::coroutine_handle<Task::promise_type>;
inline Task::promise_type& promise_of(void* frame) { return TaskHandle::from_address(frame).promise(); }

// A pending timer: the waiting task's frame (TaskHandle::address()), whose promise holds the
// deadline.
using Timer = void*;
inline Nanos deadline_of(Timer t) { return promise_of(t).deadline; }

// The loop's pending timers. Every task's deadline is the time its wait starts plus its
// duration, and waits start in time order, so the timers of one duration expire in the order
// they were added: like Node.js, keep a FIFO list per duration (O(1) to add and to take) and
// order only the lists' heads. Past kMaxLists distinct durations, timers go to a plain binary
// heap. With a million tasks waiting the same second, taking a timer costs no heap walk, and
// resuming keeps up with starting, so no task shows false loop lag. A timer is 8 bytes, its frame's
// address.
class TimerQueue {
public:
    void reserve(std::size_t n) { m_total_hint = n; }
    bool empty() const noexcept { return m_size == 0; }

    // A timer whose deadline is its start plus `duration`.
    void push(Nanos duration, Timer timer)
    {
        ++m_size;
        List* list = list_for(duration);
        if (!list) {
            if (m_heap.capacity() == 0)
                m_heap.reserve(m_total_hint);
            m_heap.push_back(timer);
            std::push_heap(m_heap.begin(), m_heap.end(), later);
            return;
        }
        list->timers.push_back(timer);
        if (list->timers.size() == 1) {
            m_heads.push_back(Head { deadline_of(timer), std::uint32_t(list - m_lists.data()) });
            std::push_heap(m_heads.begin(), m_heads.end(), later_head);
        }
    }

    Nanos next_deadline() const noexcept
    {
        Nanos t = INT64_MAX;
        if (!m_heads.empty())
            t = m_heads.front().deadline;
        if (!m_heap.empty())
            t = std::min(t, deadline_of(m_heap.front()));
        return t;
    }

    // Removes and returns the earliest timer; the queue must not be empty.
    Timer pop()
    {
        --m_size;
        if (m_heads.empty() || (!m_heap.empty() && deadline_of(m_heap.front()) < m_heads.front().deadline)) {
            std::pop_heap(m_heap.begin(), m_heap.end(), later);
            const Timer t = m_heap.back();
            m_heap.pop_back();
            return t;
        }
        std::pop_heap(m_heads.begin(), m_heads.end(), later_head);
        List& list = m_lists[m_heads.back().list];
        const Timer t = list.timers.front();
        list.timers.pop_front();
        if (list.timers.empty()) {
            m_heads.pop_back();
        } else {
            m_heads.back().deadline = deadline_of(list.timers.front());
            std::push_heap(m_heads.begin(), m_heads.end(), later_head);
        }
        return t;
    }

    template <class F> void for_each(F&& f) const
    {
        for (const List& l : m_lists)
            for (const Timer t : l.timers)
                f(t);
        for (const Timer t : m_heap)
            f(t);
    }

private:
    static constexpr std::size_t kMaxLists = 64;
    struct List {
        Nanos duration;
        std::deque<Timer> timers;
    };
    struct Head {
        Nanos deadline;
        std::uint32_t list;
    };
    static bool later(Timer a, Timer b) noexcept { return deadline_of(a) > deadline_of(b); }
    static bool later_head(const Head& a, const Head& b) noexcept { return a.deadline > b.deadline; }

    List* list_for(Nanos duration)
    {
        if (m_last < m_lists.size() && m_lists[m_last].duration == duration)
            return &m_lists[m_last];
        for (std::size_t i = 0; i < m_lists.size(); ++i) {
            if (m_lists[i].duration == duration) {
                m_last = i;
                return &m_lists[i];
            }
        }
        if (m_lists.size() == kMaxLists)
            return nullptr;
        if (m_lists.capacity() == 0)
            m_lists.reserve(kMaxLists); // List pointers stay valid
        m_lists.push_back(List { duration, {} });
        m_last = m_lists.size() - 1;
        return &m_lists.back();
    }

    std::vector<List> m_lists;
    std::vector<Head> m_heads; // a min-heap of the non-empty lists' first deadlines
    std::vector<Timer> m_heap; // a min-heap of timers beyond kMaxLists durations
    std::size_t m_last = 0;
    std::size_t m_size = 0;
    std::size_t m_total_hint = 0;
};

class Loop {
public:
    Loop(RunContext& ctx, asio::io_context& io, std::exception_ptr& error)
        : m_ctx(ctx)
        , m_lane(ctx.recorder.make_lane())
        , m_io(io)
        , m_timer(io)
        , m_ended(ctx.workload.tasks.size(), false)
        , m_error(error)
    {
        // A task has at most one pending timer: the heap never outgrows the task count, and the
        // reservation only touches memory as it is used.
        m_timers.reserve(ctx.workload.tasks.size());
    }

    Loop(const Loop&) = delete;
    Loop& operator=(const Loop&) = delete;

    ~Loop()
    {
        // Frames of tasks still suspended (after a Stop): destroy them here, on the loop thread.
        m_timers.for_each([](Timer t) { TaskHandle::from_address(t).destroy(); });
        for (void* frame : m_ready)
            TaskHandle::from_address(frame).destroy();
    }

    Lane& lane() noexcept { return m_lane; }
    // The promise of the task running now.
    Task::promise_type& current() noexcept { return *m_current; }
    RunContext& ctx() noexcept { return m_ctx; }
    bool ended(std::size_t i) const { return m_ended[i]; }

    void record_queued()
    {
        for (std::size_t i = 0; i < m_ended.size(); ++i)
            m_lane.record(make_event(std::uint32_t(i), State::Queued, m_ctx.origin));
    }

    void start() { post_turn(); }

    void finish(std::uint32_t index, TaskOutcome outcome)
    {
        m_lane.record(make_event(index, outcome.status));
        m_ctx.outcomes.set(index, std::move(outcome));
        m_ended[index] = true;
    }

    // The running sum of a compute task (only compute tasks have one).
    u128& sum(std::uint32_t index) { return m_sums[index]; }
    const u128* find_sum(std::uint32_t index) const
    {
        const auto it = m_sums.find(index);
        return it == m_sums.end() ? nullptr : &it->second;
    }

    // A compute step, run in slices on the loop thread; false if a Stop came first.
    bool compute(const Compute& c, u128& sum)
    {
        return square_sum_in_slices(c.iterations, sum, [this] { return !m_ctx.cancel.cancelled(); });
    }

    // A blocking sleep on the loop thread, like time.sleep() inside a coroutine: every other task
    // waits for it. False if a Stop came first.
    bool block_until(Nanos deadline) { return m_ctx.cancel.sleep_until(deadline); }

    // The task in `h` waits (its promise's deadline holds the duration): records `waiting` and
    // queues its wake-up. asyncio.sleep(0) is a bare yield: the task's next step is queued at once.
    void suspend(TaskHandle h)
    {
        auto& p = h.promise();
        const Nanos start = record_now();
        const Nanos duration = p.deadline;
        p.deadline = start + duration;
        m_lane.record(make_event(p.index, State::Waiting, start));
        if (duration <= 0)
            m_ready.push_back(h.address());
        else
            m_timers.push(duration, h.address());
    }

private:
    void post_turn()
    {
        if (m_posted)
            return;
        m_posted = true;
        asio::post(m_io, [this] { turn(); });
    }

    bool stopping() const noexcept { return m_ctx.cancel.cancelled() || m_error; }

    // One turn of the loop, as BaseEventLoop._run_once takes it.
    void turn()
    {
        m_posted = false;
        if (stopping())
            return m_io.stop();

        // asyncio.gather() creates every task before the loop first turns: their first steps
        // are the first callbacks in the ready queue, and all run in the first turn.
        const std::size_t n = m_ended.size();
        while (m_next_start < n) {
            start_task(std::uint32_t(m_next_start++));
            if (stopping())
                return m_io.stop();
        }

        // Due timers, earliest first, go to the end of the ready queue. A task resumed in this
        // turn cannot add a timer that is already due (its deadline is after `now`).
        const Nanos now = record_now();
        while (!m_timers.empty() && m_timers.next_deadline() <= now) {
            const Timer t = m_timers.pop();
            promise_of(t).timer_fired = true;
            m_ready.push_back(t);
        }

        // Only what was queued when the turn began; what these queue runs next turn.
        for (std::size_t todo = m_ready.size(); todo > 0; --todo) {
            void* const frame = m_ready.front();
            m_ready.pop_front();
            auto& p = promise_of(frame);
            if (p.timer_fired) {
                // The timer's callback completes the sleep's future; the future's done-callback,
                // the task's wake-up, is queued with call_soon.
                p.timer_fired = false;
                m_ready.push_back(frame);
                continue;
            }
            wake(p);
            resume(TaskHandle::from_address(frame));
            if (stopping())
                return m_io.stop();
        }

        if (!m_ready.empty())
            return post_turn(); // a select() with a zero timeout, then the next turn
        if (!m_timers.empty())
            arm(m_timers.next_deadline());
    }

    void arm(Nanos deadline)
    {
        if (m_armed && m_armed_deadline == deadline)
            return;
        m_armed = true;
        m_armed_deadline = deadline;
        // Re-arming cancels the previous wait, whose handler then sees operation_aborted.
        m_timer.expires_at(std::chrono::steady_clock::time_point(std::chrono::nanoseconds(deadline)));
        m_timer.async_wait([this](const std::error_code& ec) {
            if (ec)
                return;
            m_armed = false;
            turn();
        });
    }

    // Resumes a task; while it runs, current() is its promise.
    void resume(TaskHandle h)
    {
        m_current = &h.promise();
        h.resume();
        m_current = nullptr;
    }

    // A waiting task resumes: `ready` from its deadline if the loop was too busy to resume it in
    // time, then `running`.
    void wake(const Task::promise_type& p)
    {
        const Nanos resumed = record_now();
        if (resumed - p.deadline >= AsyncModel::kReadyThreshold)
            m_lane.record(make_event(p.index, State::Ready, p.deadline));
        m_lane.record(make_event(p.index, State::Running, resumed));
    }

    void start_task(std::uint32_t index);

    RunContext& m_ctx;
    Lane& m_lane;
    asio::io_context& m_io;
    asio::steady_timer m_timer;
    std::vector<bool> m_ended;
    TimerQueue m_timers;
    std::unordered_map<std::uint32_t, u128> m_sums;
    // asyncio's _ready: a task's next step (its frame), or a due timer's callback that queues the
    // task's wake-up behind everything already queued (its frame, promise().timer_fired).
    std::deque<void*> m_ready;
    Task::promise_type* m_current = nullptr;
    std::size_t m_next_start = 0;
    bool m_posted = false;
    bool m_armed = false;
    Nanos m_armed_deadline = 0;
    std::exception_ptr& m_error; // the first exception a task let escape
};

// co_await of a wait step, on the loop thread: the loop records `waiting` and queues the wake-up,
// and records the wake-up before it resumes the task (Loop::suspend, Loop::wake).
struct WaitFor {
    bool await_ready() const noexcept { return false; }
    void await_suspend(TaskHandle h) const { t_loop->suspend(h); }
    void await_resume() const noexcept { }
};

// Everything but the suspension lives in plain functions that find the task's promise through the
// loop (the frame being resumed), so the frame holds GCC's own 40 bytes (an empty coroutine's),
// the promise and one byte of state: 64 bytes with GCC 12. A compute task's running sum lives in
// the loop, not in every frame.
enum class Next : std::uint8_t { Step, Wait, Ended };

void task_done(Loop& loop, std::uint32_t index)
{
    const TaskSpec& spec = loop.ctx().workload.tasks[index];
    const u128* sum = loop.find_sum(index);
    loop.finish(index, { State::Done, sum ? to_string(*sum) : format_seconds(spec.nominal_seconds), {} });
}

// Runs the current task's next step. A compute step or a blocking sleep runs here (Step, or
// Ended if a Stop came during it); an awaited wait puts its duration in the promise (Wait); past
// the last step the task is done (Ended).
Next run_step()
{
    Loop& loop = *t_loop;
    auto& p = loop.current();
    const std::uint32_t index = p.index;
    const auto& steps = loop.ctx().workload.tasks[index].steps;
    if (p.step >= steps.size()) {
        task_done(loop, index);
        return Next::Ended;
    }
    const Step& step = steps[p.step++];
    if (const auto* w = std::get_if<Wait>(&step)) {
        if (!w->blocking) {
            p.deadline = std::max<Nanos>(0, w->duration);
            return Next::Wait;
        }
        const Nanos start = record_now();
        LaneEvent blocked = make_event(index, State::Waiting, start);
        blocked.reason = WaitReason::Sleep; // the loop's thread sleeps: no other task runs
        loop.lane().record(blocked);
        if (!loop.block_until(start + w->duration)) {
            loop.finish(index, { State::Cancelled, {}, "stopped" });
            return Next::Ended;
        }
        loop.lane().record(make_event(index, State::Running));
        return Next::Step;
    }
    if (!loop.compute(std::get<Compute>(step), loop.sum(index))) {
        loop.finish(index, { State::Cancelled, {}, "stopped" });
        return Next::Ended;
    }
    return Next::Step;
}

// The task's index, next step and deadline are in its promise, set by the loop before it starts.
Task run_task()
{
    for (;;) {
        const Next next = run_step();
        if (next == Next::Ended)
            co_return;
        if (next == Next::Wait)
            co_await WaitFor {};
    }
}

void Loop::start_task(std::uint32_t index)
{
    const TaskHandle h = run_task().handle;
    h.promise().index = index;
    m_lane.record(make_event(index, State::Running));
    resume(h);
}

} // namespace

std::unique_ptr<Model> make_async_model(const ModelOptions& options) { return std::make_unique<AsyncModel>(options); }

void AsyncModel::run(RunContext& ctx)
{
    prctl(PR_SET_TIMERSLACK, 1UL); // this thread is the loop: wake on time, not 50 us late
    const WatchThisThread watch(ctx);
    const std::size_t n = ctx.workload.tasks.size();
    FrameSlab slab;
    std::exception_ptr error;
    struct Current {
        Current(FrameSlab* s, std::exception_ptr* e) { t_slab = s, t_error = e; }
        ~Current() { t_slab = nullptr, t_error = nullptr, t_loop = nullptr; }
    } current(&slab, &error);
    {
        asio::io_context io(1);
        Loop loop(ctx, io, error);
        t_loop = &loop;
        loop.record_queued();
        loop.start();

        ctx.cancel.set_callback([&io] { io.stop(); });
        if (!ctx.cancel.cancelled())
            io.run();
        ctx.cancel.clear_callback();

        const Nanos now = monotonic_now();
        for (std::size_t i = 0; i < n; ++i) {
            if (!loop.ended(i)) {
                loop.lane().record(make_event(std::uint32_t(i), State::Cancelled, now));
                ctx.outcomes.set(i, TaskOutcome { State::Cancelled, {}, "stopped" });
            }
        }
        // ~Loop destroys the frames of tasks still suspended, before the slab goes.
    }
    if (error)
        std::rethrow_exception(error);
}

} // namespace timeslice
