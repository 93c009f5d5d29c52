#include "core/compare.h"

namespace timeslice {

std::vector<CompareEntry> compare_entries(const RunConfig& base)
{
    std::vector<CompareEntry> out;
    auto with = [&](const ModelDescriptor& model, bool gil) {
        RunConfig c = base;
        c.model = model.kind;
        c.model_options.gil = gil;
        // A pool size chosen for one pool model may not fit another (256 processes at most).
        if (model.pool && c.model_options.workers > model.max_workers)
            c.model_options.workers = model.max_workers;
        const std::string label = std::string(model.name) + (model.gil ? (gil ? " (GIL)" : " (no GIL)") : "");
        out.push_back(CompareEntry { label, std::move(c) });
    };
    // Every model; one with a GIL with it on and off.
    for (const ModelDescriptor& model : kModels) {
        with(model, model.gil);
        if (model.gil)
            with(model, false);
    }
    return out;
}

std::string compare_trace_name(const CompareEntry& entry)
{
    const ModelDescriptor& m = describe(entry.config.model);
    std::string model(m.name);
    if (m.gil)
        model += entry.config.model_options.gil ? "-gil" : "-nogil";
    return entry.config.workload + "-" + model + ".json";
}

} // namespace timeslice
