#include "core/models/model.h"


namespace timeslice {

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
