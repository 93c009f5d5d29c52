#pragma once

// Helpers of the cpython engine's tests: a Python to run, scripts of the tests' own, and how to
// run one.
#include "core/python/engine.h"
#include "core/run/runner.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace timeslice::test {

// Skips the test, saying why, when this machine has no usable python3.
#define REQUIRE_PYTHON()                                                                                                    \
    do {                                                                                                                     \
        try {                                                                                                                \
            find_python("");                                                                                                 \
        } catch (const std::exception& e) {                                                                                  \
            GTEST_SKIP() << "no Python to run: " << e.what();                                                               \
        }                                                                                                                    \
    } while (0)

inline RunConfig cpython(const std::string& workload, ModelKind model)
{
    RunConfig c = config(workload, model);
    c.engine = Engine::CPython;
    return c;
}

// A script of the test's own, written to a temporary file.
inline std::string script(const std::string& name, const std::string& text)
{
    const std::string path = temp_path(name);
    std::ofstream(path) << text;
    return path;
}

inline RunConfig script_config(const std::string& path, std::vector<std::string> args = {})
{
    RunConfig c;
    c.engine = Engine::CPython;
    c.python.program = PythonProgram { path, std::move(args) };
    c.kernel.mode = KernelMode::Off;
    return c;
}

} // namespace timeslice::test
