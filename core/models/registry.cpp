#include "core/models/registry.h"

#include "core/base/choices.h"
#include "core/models/model.h"

#include <algorithm>
#include <stdexcept>

namespace timeslice {

const ModelDescriptor& describe(ModelKind kind)
{
    for (const ModelDescriptor& m : kModels) {
        if (m.kind == kind)
            return m;
    }
    throw std::logic_error("a model kind with no descriptor");
}

const ModelDescriptor* find_model(std::string_view name)
{
    const auto it = std::find_if(kModels.begin(), kModels.end(), [&](const ModelDescriptor& m) { return m.name == name; });
    return it == kModels.end() ? nullptr : &*it;
}

int pool_size(ModelKind kind, int requested)
{
    const ModelDescriptor& m = describe(kind);
    return m.pool && requested > 0 ? requested : m.default_workers();
}

bool engine_runs(Engine engine, const ModelDescriptor& model) { return engine == Engine::CPython || model.native; }

std::unique_ptr<Model> make_dask_model(const ModelOptions&)
{
    throw std::invalid_argument("the dask model runs real Python on a Dask cluster: choose the cpython engine (--engine cpython)");
}

std::string model_choices()
{
    return choices(kModels, [](const ModelDescriptor& m) { return std::string(m.name); });
}

} // namespace timeslice

namespace timeslice {

const EngineDescriptor& describe(Engine engine)
{
    for (const EngineDescriptor& e : kEngines) {
        if (e.engine == engine)
            return e;
    }
    throw std::logic_error("an engine with no descriptor");
}

const EngineDescriptor* find_engine(std::string_view name)
{
    const auto it = std::find_if(kEngines.begin(), kEngines.end(), [&](const EngineDescriptor& e) { return e.name == name; });
    return it == kEngines.end() ? nullptr : &*it;
}

std::string engine_choices()
{
    return choices(kEngines, [](const EngineDescriptor& e) { return std::string(e.name); });
}

} // namespace timeslice
