#include "core/compare.h"

namespace timeslice {

std::vector<CompareEntry> compare_entries(const RunConfig& base)
{
    std::vector<CompareEntry> out;
    auto with = [&](const char* label, ModelKind model, bool gil) {
        RunConfig c = base;
        c.model = model;
        c.model_options.gil = gil;
        // A pool size chosen for one pool model may not fit the other (256 processes at most).
        if (model == ModelKind::Processes && c.model_options.workers > Limits::kMaxProcessWorkers)
            c.model_options.workers = Limits::kMaxProcessWorkers;
        out.push_back(CompareEntry { label, std::move(c) });
    };
    with("processes", ModelKind::Processes, false);
    with("threads (GIL)", ModelKind::Threads, true);
    with("threads (no GIL)", ModelKind::Threads, false);
    with("async", ModelKind::Async, false);
    return out;
}

std::string compare_trace_name(const CompareEntry& entry)
{
    std::string model(model_name(entry.config.model));
    if (entry.config.model == ModelKind::Threads)
        model += entry.config.model_options.gil ? "-gil" : "-nogil";
    return entry.config.workload + "-" + model + ".json";
}

} // namespace timeslice
