// Responsible for `timeslice advise`: the article's "What to use?" table, measured on this machine.
#include "app/commands/common.h"

#include "core/run/advise.h"

#include <algorithm>

namespace timeslice::app {

int advise_command(const std::vector<std::string>& args)
{
    AdviseOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << "Usage: timeslice advise [--workload W] [--quick]\n\n"
                         "Rebuilds the article's \"What to use?\" table from measurements on this machine:\n"
                         "I/O overlap (table-loading), use of all cores (square-numbers), scalability (a sweep of\n"
                         "N waiting tasks: async to 100,000, threads to 1,000, processes to 64) and GIL interference,\n"
                         "each next to the article's verdict; then applies the article's decision rule to W\n"
                         "(default table-loading). --quick sweeps smaller sizes (a few seconds).\n";
            return 0;
        }
        if (args[i] == "--quick") {
            options.async_sizes = { 10, 100, 1'000 };
            options.thread_sizes = { 10, 100 };
            options.process_sizes = { 2, 8 };
            options.iterations = 20'000'000;
        } else if (args[i] == "--workload" && i + 1 < args.size()) {
            const auto& names = builtin_workload_names();
            if (std::find(names.begin(), names.end(), args[i + 1]) == names.end())
                return fail("--workload: unknown workload '" + args[i + 1]
                    + "' (choose table-loading, square-numbers, async-delay or mixed)");
            options.workload = args[++i];
        } else {
            return fail("advise: unknown option '" + args[i] + "' (see timeslice advise --help)");
        }
    }
    const Advice advice
        = measure_advice(options, [](const std::string& step) { std::cerr << "measuring " << step << "\n"; });
    std::cout << format_advice(advice);
    return 0;
}

} // namespace timeslice::app
