#pragma once

#include "core/run/runner.h"

#include "file_size_limit.h"

#include <memory>

namespace timeslice::test {

inline RunConfig small_config(const std::string& workload, ModelKind model)
{
    RunConfig c;
    c.workload = workload;
    c.model = model;
    c.workload_options.scale = 0.05;
    c.workload_options.iterations = 20'000'000;
    return c;
}

} // namespace timeslice::test
