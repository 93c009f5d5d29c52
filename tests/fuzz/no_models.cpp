// The fuzz target reads traces and never runs a model: the registry's factories are not linked
// in (the async model's coroutines do not build with clang 14 and ASan), so these stand in.
#include "core/models/model.h"

namespace timeslice {
std::unique_ptr<Model> make_process_model(const ModelOptions&) { return nullptr; }
std::unique_ptr<Model> make_thread_model(const ModelOptions&) { return nullptr; }
std::unique_ptr<Model> make_async_model(const ModelOptions&) { return nullptr; }
} // namespace timeslice
