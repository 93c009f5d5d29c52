// Responsible for `timeslice advise`: the article's "What to use?" table, measured on this machine;
// and, for a recorded run or a workload file, "What if…?": that work under every model.
#include "app/commands/common.h"

#include "core/base/atomic_file.h"
#include "core/run/advise.h"
#include "core/run/what_if.h"
#include "core/workload/workload_file.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <csignal>
#include <unistd.h>

namespace timeslice::app {

namespace {

const char* const kAdviseHelp
    = "Usage: timeslice advise [--workload W] [--quick]\n"
      "       timeslice advise --from TRACE.json | --workload FILE.json [--scale S] [--pools N,N,...] [--json FILE]\n\n"
      "Without a file: rebuilds the article's \"What to use?\" table from measurements on this machine:\n"
      "I/O overlap (table-loading), use of all cores (square-numbers), scalability (a sweep of\n"
      "N waiting tasks: async to 100,000, threads to 1,000, processes to 64) and GIL interference,\n"
      "each next to the article's verdict; then applies the article's decision rule to W\n"
      "(default table-loading). --quick sweeps smaller sizes (a few seconds).\n\n"
      "With a run of yours (--from TRACE.json, derived as timeslice derive does) or a workload file:\n"
      "what if that work ran under every model? Process pools of several sizes (--pools, default 1,\n"
      "the cores and one per task up to four per core), threads with the GIL and without it (as a\n"
      "free-threaded Python would), and one event loop: each predicted by the model's rules and run\n"
      "for real, one after another. Then the article's four questions answered with the counts that\n"
      "decide them, and the model to use. --scale S multiplies every step, compute included\n"
      "(default 1: as recorded). --json FILE writes the same as data.\n";

template <typename Number> bool parse_number(std::string_view s, Number& out)
{
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc {} && p == s.data() + s.size() && !s.empty();
}

struct WhatIfCommand {
    std::string trace;
    std::string workload_file;
    std::string json;
    WhatIfOptions options;
};

int run_what_if(const WhatIfCommand& cmd)
{
    Workload workload;
    if (!cmd.trace.empty()) {
        std::string error;
        auto derived = derive_from_file(cmd.trace, error);
        if (!derived)
            return fail(error);
        std::cerr << "derived from " << cmd.trace << ": " << derive_summary(*derived);
        workload = std::move(derived->workload);
    } else {
        try {
            workload = load_workload_file(cmd.workload_file, {});
        } catch (const std::invalid_argument& e) {
            return fail(std::string("--workload: ") + e.what());
        }
    }
    std::vector<CompareEntry> entries;
    try {
        entries = what_if_entries(workload, cmd.options);
    } catch (const std::invalid_argument& e) {
        return fail(e.what());
    }
    std::vector<std::shared_ptr<const Trace>> traces;
    for (const CompareEntry& entry : entries) {
        std::cerr << "running " << entry.label << "\n";
        std::unique_ptr<Runner> runner;
        try {
            runner = std::make_unique<Runner>(entry.config);
        } catch (const std::invalid_argument& e) {
            return fail(entry.label + ": " + e.what());
        }
        runner->start([] { kill(getpid(), SIGUSR2); });
        if (wait_for_run(*runner) != 0)
            return 130;
        traces.push_back(runner->snapshot());
    }
    const WhatIf w = summarise_what_if(workload, entries, traces);
    std::cout << format_what_if(w);
    if (!cmd.json.empty()) {
        if (const std::string error = write_file_atomically(cmd.json, what_if_json(w)); !error.empty())
            return fail(error);
        std::cout << "data: " << cmd.json << "\n";
    }
    return w.recommended.empty() ? 1 : 0;
}

std::optional<std::vector<int>> parse_pools(const std::string& text)
{
    std::vector<int> out;
    std::size_t from = 0;
    while (from <= text.size()) {
        const std::size_t comma = std::min(text.find(',', from), text.size());
        int n = 0;
        if (!parse_number(std::string_view(text).substr(from, comma - from), n) || n < 1 || n > Limits::kMaxProcessWorkers)
            return std::nullopt;
        out.push_back(n);
        from = comma + 1;
    }
    return out;
}

} // namespace

int advise_command(const std::vector<std::string>& args)
{
    AdviseOptions options;
    WhatIfCommand what_if;
    bool what_if_only = false; // an option that means nothing to the article's table
    const auto value = [&](std::size_t& i) -> const std::string* {
        return i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0 ? &args[++i] : nullptr;
    };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--help" || a == "-h") {
            std::cout << kAdviseHelp;
            return 0;
        }
        if (a == "--quick") {
            options.async_sizes = { 10, 100, 1'000 };
            options.thread_sizes = { 10, 100 };
            options.process_sizes = { 2, 8 };
            options.iterations = 20'000'000;
        } else if (a == "--workload" || a == "--from" || a == "--json" || a == "--scale" || a == "--pools") {
            const std::string* v = value(i);
            if (!v)
                return fail(a + " needs a value (see timeslice advise --help)");
            if (a == "--from") {
                what_if.trace = *v;
            } else if (a == "--json") {
                what_if.json = *v, what_if_only = true;
            } else if (a == "--scale") {
                what_if_only = true;
                if (!parse_number(*v, what_if.options.scale) || !std::isfinite(what_if.options.scale) || what_if.options.scale <= 0 || what_if.options.scale > Limits::kMaxScale)
                    return fail("--scale: must be a number in (0, " + format_seconds(Limits::kMaxScale) + "], not '" + *v + "'");
            } else if (a == "--pools") {
                what_if_only = true;
                const auto pools = parse_pools(*v);
                if (!pools)
                    return fail("--pools: process pool sizes from 1 to " + std::to_string(Limits::kMaxProcessWorkers)
                        + ", separated by commas (1,2,4), not '" + *v + "'");
                what_if.options.process_pools = *pools;
            } else if (is_workload_file(*v)) {
                what_if.workload_file = *v;
            } else {
                const auto& names = builtin_workload_names();
                if (std::find(names.begin(), names.end(), *v) == names.end())
                    return fail("--workload: unknown workload '" + *v
                        + "' (choose table-loading, square-numbers, async-delay or mixed, or a workload file ending in .json)");
                options.workload = *v;
            }
        } else {
            return fail("advise: unknown option '" + a + "' (see timeslice advise --help)");
        }
    }
    if (!what_if.trace.empty() && !what_if.workload_file.empty())
        return fail("advise: --from and --workload FILE both name the work; give one");
    if (!what_if.trace.empty() || !what_if.workload_file.empty())
        return run_what_if(what_if);
    if (what_if_only)
        return fail("advise: --scale, --pools and --json apply to --from TRACE or --workload FILE.json");
    const Advice advice
        = measure_advice(options, [](const std::string& step) { std::cerr << "measuring " << step << "\n"; });
    std::cout << format_advice(advice);
    return 0;
}

} // namespace timeslice::app
