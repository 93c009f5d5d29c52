// Responsible for `timeslice derive TRACE -o WORKLOAD.json`: a recorded run turned back into a
// workload file that runs under every model.
#include "app/commands/common.h"

#include "core/analysis/derive.h"
#include "core/base/atomic_file.h"
#include "core/formats/trace_json.h"
#include "core/workload/workload_file.h"

namespace timeslice::app {

namespace {

const char* const kDeriveHelp
    = "Usage: timeslice derive TRACE.json -o WORKLOAD.json\n\n"
      "Turns a run Timeslice recorded (native or cpython, a built-in workload or a script of yours)\n"
      "into a workload file: per task, in the order they were submitted, each stretch on a core as a\n"
      "compute step of that many CPU seconds ({\"cpu_s\": ...}) and each wait as a wait. A wait that\n"
      "blocked an event loop's thread (time.sleep inside a coroutine) is a blocking one ({\"block\": ...}).\n"
      "What a model decides is left out: queueing, GIL waits, lock waits, being preempted.\n"
      "The file runs like any workload file: timeslice run --workload WORKLOAD.json --model async,\n"
      "and timeslice advise --workload WORKLOAD.json runs it under every model.\n";

} // namespace

// Loads a trace and derives its workload; on failure says why in `error`.
std::optional<Derived> derive_from_file(const std::string& path, std::string& error)
{
    Trace trace;
    if (!load_trace(path, trace, error))
        return std::nullopt;
    try {
        return derive_workload(trace, path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1));
    } catch (const std::invalid_argument& e) {
        error = "'" + path + "': " + e.what();
        return std::nullopt;
    }
}

int derive_command(const std::vector<std::string>& args)
{
    std::string trace_path, out_path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << kDeriveHelp;
            return 0;
        }
        if (args[i] == "-o" || args[i] == "--output") {
            if (i + 1 >= args.size())
                return fail(args[i] + " needs a file name (WORKLOAD.json)");
            out_path = args[++i];
        } else if (args[i].rfind("-", 0) == 0) {
            return fail("derive: unknown option '" + args[i] + "' (see timeslice derive --help)");
        } else if (trace_path.empty()) {
            trace_path = args[i];
        } else {
            return fail("derive: one trace at a time, not '" + args[i] + "' too");
        }
    }
    if (trace_path.empty())
        return fail("derive: which trace? timeslice derive TRACE.json -o WORKLOAD.json");
    if (out_path.empty())
        return fail("derive: where to? add -o WORKLOAD.json");
    if (!is_workload_file(out_path))
        return fail("-o: a workload file's name ends in .json, not '" + out_path + "'");
    std::string error;
    const auto derived = derive_from_file(trace_path, error);
    if (!derived)
        return fail(error);
    const std::string text = workload_to_json(derived->workload, derived->description);
    try {
        workload_from_json(text, {}); // what is written must open again
    } catch (const std::invalid_argument& e) {
        return fail("'" + trace_path + "' derives a workload that would not open: " + e.what());
    }
    if (const std::string failed = write_file_atomically(out_path, text);
        !failed.empty())
        return fail(failed);
    std::cout << "workload: " << out_path << "\n" << derive_summary(*derived);
    return 0;
}

} // namespace timeslice::app
