// Responsible for `timeslice run [options]`: a workload run under one model, its schedule printed.
#include "app/commands/common.h"

#include "core/formats/trace_json.h"

#include <unistd.h>

namespace timeslice::app {

int run_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_run(args);
    if (const auto status = answer_instead(parsed, cli::run_help))
        return *status;
    const cli::RunCommand& cmd = *parsed.command;

    // Ctrl+C stops the run the way the Stop button does: workers killed and reaped, then the
    // partial trace is still reported and saved.
    std::unique_ptr<Runner> owned;
    try {
        owned = std::make_unique<Runner>(cmd.config);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    Runner& runner = *owned;
    runner.start([] { kill(getpid(), SIGUSR2); });
    std::cerr << "timeslice: running " << cmd.config.workload << " under " << model_name(cmd.config.model)
              << (cmd.config.engine == Engine::CPython ? " in CPython " + runner.python_outcome().python.version()
                                                       : std::string())
              << " (Ctrl+C stops it)\n";
    const int stopped_by = wait_for_run(runner);
    const auto trace = runner.snapshot();
    std::cout << cli::format_report(*trace);
    if (const PythonOutcome python = runner.python_outcome(); !python.output.empty()) {
        // What the program printed, kept apart from the report.
        std::cerr << "python's output"
                  << (python.output_dropped ? " (the last " + std::to_string(python.output.size()) + " bytes)"
                                            : std::string())
                  << ":\n"
                  << python.output << (python.output.back() == '\n' ? "" : "\n");
    }

    if (!cmd.trace_path.empty()) {
        if (const std::string error = save_trace(*trace, scorecard_if_any(*trace), cmd.trace_path); !error.empty())
            return fail(error);
        std::cout << "trace: " << cmd.trace_path << " (Chrome Trace Event JSON; opens in Perfetto UI)\n";
    }
    if (!cmd.image_path.empty()) {
        if (const int rc = render_image(argc, argv, *trace, cmd.image_path, cmd.size, cmd.hand_overs); rc != 0)
            return rc;
    }
    if (stopped_by)
        return 128 + stopped_by; // as a shell reports a command ended by that signal
    for (const TaskTrace& t : trace->tasks) {
        if (t.status != State::Done)
            return 1;
    }
    return 0;
}

} // namespace timeslice::app
