// Responsible for `timeslice python [options] SCRIPT [ARGS...]`: a script of your own, run under CPython and traced.
#include "app/commands/common.h"

#include "core/formats/trace_json.h"

#include <cstdlib>
#include <unistd.h>

namespace timeslice::app {

int python_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_python(args);
    if (const auto status = answer_instead(parsed, cli::python_help))
        return *status;
    const cli::PythonCommand& cmd = *parsed.command;
    std::unique_ptr<Runner> runner;
    try {
        runner = std::make_unique<Runner>(cmd.config);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    runner->start([] { kill(getpid(), SIGUSR2); });
    std::cerr << "timeslice: running " << cmd.config.python.program.script << " in "
              << runner->python_outcome().python.path << " " << runner->python_outcome().python.version()
              << " (Ctrl+C stops it)\n";
    const int stopped_by = wait_for_run(*runner);
    const auto trace = runner->snapshot();
    // The script's stdout is its own: Timeslice reports on stderr.
    std::cerr << cli::format_report(*trace);
    const PythonOutcome outcome = runner->python_outcome();
    if (outcome.bad_lines)
        std::cerr << "timeslice: " << outcome.bad_lines << " of the probe's " << outcome.probe_lines
                  << " lines were not understood\n";
    if (!cmd.trace_path.empty()) {
        if (const std::string error = save_trace(*trace, scorecard_if_any(*trace), cmd.trace_path); !error.empty())
            return fail(error);
        std::cerr << "trace: " << cmd.trace_path << " (Chrome Trace Event JSON; opens in Perfetto UI)\n";
    }
    if (!cmd.image_path.empty()) {
        if (const int rc = render_image(argc, argv, *trace, cmd.image_path, cmd.size, cmd.hand_overs, std::cerr);
            rc != 0)
            return rc;
    }
    if (stopped_by)
        return 128 + stopped_by;
    // The script's own exit status, as python3 would have ended.
    const std::string& exit = trace->info.exit;
    if (exit.rfind("exit status ", 0) == 0)
        return std::atoi(exit.c_str() + 12);
    if (exit.rfind("killed by signal ", 0) == 0)
        return 128 + std::atoi(exit.c_str() + 17);
    return 1;
}

} // namespace timeslice::app
