#pragma once

// Helpers of the cpython engine's tests: a Python to run, scripts of the tests' own, and how to
// run one.
#include "core/python/dask.h"
#include "core/python/engine.h"
#include "core/run/runner.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace timeslice::test {

// Skips the test, saying why, when this machine lacks what it needs; scripts/test.sh (which has
// just installed everything) sets TIMESLICE_TESTS_NEED_ALL, and there a missing package fails
// the test instead, so CI names it.
#define SKIP_OR_FAIL_FOR_LACK_OF(what)                                                                                      \
    do {                                                                                                                     \
        if (std::getenv("TIMESLICE_TESTS_NEED_ALL"))                                                                         \
            FAIL() << what << " (scripts/install-deps.sh installs it)";                                                      \
        GTEST_SKIP() << what;                                                                                                \
    } while (0)

// When this machine has no usable python3.
#define REQUIRE_PYTHON()                                                                                                    \
    do {                                                                                                                     \
        try {                                                                                                                \
            find_python("");                                                                                                 \
        } catch (const std::exception& e) {                                                                                  \
            SKIP_OR_FAIL_FOR_LACK_OF("no Python to run: " << e.what());                                                     \
        }                                                                                                                    \
    } while (0)

// When no interpreter here can import Dask's distributed.
#define REQUIRE_DASK()                                                                                                       \
    do {                                                                                                                     \
        try {                                                                                                                \
            find_dask_python("");                                                                                            \
        } catch (const std::exception& e) {                                                                                  \
            SKIP_OR_FAIL_FOR_LACK_OF(e.what());                                                                              \
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
