#pragma once

// Every model and engine, each described once: its name, what it stands for in Python, which
// options apply, its defaults and limits, and how to make it. The command line, compare, the
// predicted schedule, the trace and the window read these descriptors rather than spelling names
// out. A new model is its own source file, a line in each table below (its enum value, its
// factory's declaration and its descriptor) and its test. Built-in workloads are described the
// same way in core/workload/builtins.h.

#include "core/workload/workload.h"

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace timeslice {

class Model;
struct ModelOptions;

enum class ModelKind { Processes, Threads, Async, Dask };

// Who runs the workload: Timeslice's C++ emulation of Python's models, or CPython itself with
// Timeslice's probe (python/engine.h).
enum class Engine { Native, CPython };

// How the predicted schedule treats the model: a pool of workers sharing the cores, or one
// event loop in asyncio's order.
enum class PredictedAs { Pool, Loop };

struct ModelDescriptor {
    ModelKind kind;
    std::string_view name; // on the command line and in traces
    std::string_view label; // for people
    std::string_view python; // the Python executor it stands for
    bool pool; // --workers applies
    bool gil; // --gil and --switch-interval apply
    bool worker_processes; // its workers are processes of their own: traces give each a track
    int max_workers; // 0 when there is no pool
    int (*default_workers)(); // the Python executor's default pool size; null: one loop
    PredictedAs predicted;
    std::unique_ptr<Model> (*make)(const ModelOptions&);
    std::string_view worker_id; // what a row's label names of its worker: "pid", "tid", or nothing
    std::string_view summary; // one line for people: what runs the tasks, like which executor
    bool native = true; // the native engine runs it; false: real Python only (a Dask cluster)
};

std::unique_ptr<Model> make_process_model(const ModelOptions& options);
std::unique_ptr<Model> make_thread_model(const ModelOptions& options);
std::unique_ptr<Model> make_async_model(const ModelOptions& options);
// Dask runs real Python on a cluster: the cpython engine runs it (python/engine.h); this says so.
std::unique_ptr<Model> make_dask_model(const ModelOptions& options);
int default_process_workers();
int default_thread_workers();
inline int one_loop() { return 1; }

inline const std::array<ModelDescriptor, 4> kModels { {
    { ModelKind::Processes, "processes", "Processes", "concurrent.futures.ProcessPoolExecutor", true, false, true, Limits::kMaxProcessWorkers,
        default_process_workers, PredictedAs::Pool, make_process_model, "pid",
        "A pool of worker processes, like ProcessPoolExecutor" },
    { ModelKind::Threads, "threads", "Threads", "concurrent.futures.ThreadPoolExecutor", true, true, false, Limits::kMaxThreadWorkers,
        default_thread_workers, PredictedAs::Pool, make_thread_model, "tid", "A pool of threads, like ThreadPoolExecutor" },
    { ModelKind::Async, "async", "Async", "asyncio", false, false, false, 0, one_loop, PredictedAs::Loop, make_async_model, "",
        "One event loop running coroutines, like asyncio" },
    { ModelKind::Dask, "dask", "Dask", "distributed.Client.get_executor()", true, false, true, Limits::kMaxProcessWorkers,
        default_process_workers, PredictedAs::Pool, make_dask_model, "worker",
        "A Dask cluster's worker processes (a LocalCluster, or a scheduler by address), like Client.get_executor()",
        false },
} };

const ModelDescriptor& describe(ModelKind kind);
const ModelDescriptor* find_model(std::string_view name);
// The pool size a run uses: the one asked for, else the Python executor's default (1 for a loop).
int pool_size(ModelKind kind, int requested);
// "processes, threads, async or dask", for messages.
std::string model_choices();
// The models an engine runs: the native engine's are those with `native`.
bool engine_runs(Engine engine, const ModelDescriptor& model);


struct EngineDescriptor {
    Engine engine;
    std::string_view name;
    std::string_view label;
    std::string_view description;
    std::string_view interpreter; // the interpreter titles name ("CPython 3.11.7"); empty for the emulation
    bool predicts; // its runs carry the predicted schedule (real Python's speed is its own)
};

inline constexpr std::array<EngineDescriptor, 2> kEngines { {
    { Engine::Native, "native", "Native (C++ emulation)",
        "C++ threads, processes and coroutines following CPython's rules (the GIL emulated)", "", true },
    { Engine::CPython, "cpython", "CPython (real Python)",
        "the python3 interpreter running Timeslice's Python programs (resources/python/), traced by its probe", "CPython",
        false },
} };

const EngineDescriptor& describe(Engine engine);
const EngineDescriptor* find_engine(std::string_view name);
// "native or cpython", for messages.
std::string engine_choices();

} // namespace timeslice
