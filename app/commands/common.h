#pragma once

// Responsible for what the commands share: drawing a trace to an image with no display, and
// waiting for a run that Ctrl+C may stop.

#include "app/commands.h"
#include "core/analysis/derive.h"
#include "core/cli/cli.h"

#include <iostream>
#include <optional>
#include <string>

namespace timeslice::app {

// On the command line Qt's notes about its runtime folder are noise: drop them, keep the rest.
void quiet_qt_messages();

// Image export needs Qt's painting but no display: renders offscreen, and says what was written
// on `out`.
int render_image(int argc, char** argv, const Trace& trace, const std::string& path, cli::ImageSize size,
    bool hand_overs, std::ostream& out = std::cout);

// What a command says when its arguments ask for help (the help, exit status 0) or are wrong (the
// error, 2); nothing when they make a command to run.
template <typename Command> std::optional<int> answer_instead(const cli::Parsed<Command>& parsed, std::string (*help)())
{
    if (parsed.help) {
        std::cout << help();
        return 0;
    }
    if (!parsed.command)
        return fail(parsed.error);
    return std::nullopt;
}

// Loads a trace and derives its workload (derive.h); nothing, with the reason in `error`, when
// the file or the trace cannot be.
std::optional<Derived> derive_from_file(const std::string& path, std::string& error);

// Waits for the run to finish; Ctrl+C (or SIGTERM) stops it the way the Stop button does.
// Returns the signal that stopped it, or 0.
int wait_for_run(Runner& runner);

} // namespace timeslice::app
