#include "core/model.h"

#include "core/async_model.h"
#include "core/process_model.h"
#include "core/thread_model.h"

#include <algorithm>

namespace timeslice {

const std::vector<std::string_view>& model_names()
{
    static const std::vector<std::string_view> names { "processes", "threads", "async" };
    return names;
}

std::string_view model_name(ModelKind kind) noexcept
{
    return model_names()[std::size_t(kind)];
}

std::optional<ModelKind> model_from_name(std::string_view name) noexcept
{
    const auto& names = model_names();
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
        return std::nullopt;
    return static_cast<ModelKind>(it - names.begin());
}

std::unique_ptr<Model> make_model(ModelKind kind, const ModelOptions& options)
{
    switch (kind) {
    case ModelKind::Processes:
        return std::make_unique<ProcessModel>(options);
    case ModelKind::Threads:
        return std::make_unique<ThreadModel>(options);
    case ModelKind::Async:
        return std::make_unique<AsyncModel>(options);
    }
    return nullptr;
}

} // namespace timeslice
