// timeslice: the window when started without a command; the commands of app/commands/ otherwise.
#include "app/commands.h"
#include "core/cli/cli.h"

#include <iostream>
#include <pthread.h>

using namespace timeslice;
using namespace timeslice::app;

int main(int argc, char** argv)
{
    // Before anything else: a Ctrl+C while the program is still loading must stop the run
    // cleanly, not kill it. The window unblocks them again.
    const sigset_t stop = stop_signals();
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return window_command(argc, argv, {});
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << cli::main_help();
        return 0;
    }
    if (command == "--startup-probe")
        return window_command(argc, argv, {}, true);
    if (command == "--version") {
        std::cout << "timeslice " << TIMESLICE_VERSION << "\n";
        return 0;
    }
    if (command == "run")
        return run_command(argc, argv, rest);
    if (command == "render")
        return render_command(argc, argv, rest);
    if (command == "compare")
        return compare_command(argc, argv, rest);
    if (command == "python")
        return python_command(argc, argv, rest);
    if (command == "advise")
        return advise_command(rest);
    if (command == "derive")
        return derive_command(rest);
    if (command.rfind("-", 0) != 0 && args.size() == 1 && command.size() > 5
        && command.compare(command.size() - 5, 5, ".json") == 0)
        return window_command(argc, argv, command);
    return fail("unknown command '" + command + "' (see timeslice --help)");
}
