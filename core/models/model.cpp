#include "core/models/model.h"

#include "core/kernel/monitor.h"
#include "core/kernel/wait_sampler.h"

#include <unistd.h>


namespace timeslice {

void RunContext::watch_thread(std::int32_t pid, std::int32_t tid) const
{
    if (kernel)
        kernel->watch(pid, tid);
    if (waits)
        waits->watch(pid, tid);
}

void RunContext::unwatch_thread(std::int32_t pid, std::int32_t tid) const
{
    if (kernel)
        kernel->unwatch(pid, tid);
    if (waits)
        waits->unwatch(pid, tid);
}

WatchThisThread::WatchThisThread(const RunContext& ctx)
    : m_ctx(ctx)
    , m_pid(std::int32_t(::getpid()))
    , m_tid(std::int32_t(::gettid()))
{
    m_ctx.watch_thread(m_pid, m_tid);
}

WatchThisThread::~WatchThisThread() { m_ctx.unwatch_thread(m_pid, m_tid); }

const std::vector<std::string_view>& model_names()
{
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> out;
        for (const ModelDescriptor& m : kModels)
            out.push_back(m.name);
        return out;
    }();
    return names;
}

std::string_view model_name(ModelKind kind) noexcept { return describe(kind).name; }

std::optional<ModelKind> model_from_name(std::string_view name) noexcept
{
    const ModelDescriptor* m = find_model(name);
    return m ? std::optional<ModelKind>(m->kind) : std::nullopt;
}

std::unique_ptr<Model> make_model(ModelKind kind, const ModelOptions& options) { return describe(kind).make(options); }

} // namespace timeslice
