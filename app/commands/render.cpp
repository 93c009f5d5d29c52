// Responsible for `timeslice render TRACE.json --image FILE`: a saved trace drawn as an image, with no display.
#include "app/commands/common.h"

#include "core/formats/trace_json.h"

namespace timeslice::app {

int render_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_render(args);
    if (const auto status = answer_instead(parsed, cli::render_help))
        return *status;
    Trace trace;
    std::string error;
    if (!load_trace(parsed.command->trace_path, trace, error))
        return fail(error);
    if (trace.foreign) {
        // Read-only: say what was drawn and what was left out.
        const ForeignTrace& f = *trace.foreign;
        std::cerr << "timeslice: " << trace.info.workload << ", read-only: " << f.threads << " thread"
                  << (f.threads == 1 ? "" : "s") << " in " << trace.tasks.size() << " row"
                  << (trace.tasks.size() == 1 ? "" : "s") << ", " << trace.span_count() << " span"
                  << (trace.span_count() == 1 ? "" : "s")
                  << (f.not_understood.empty() ? "; everything understood" : "") << "\n";
        for (const std::string& line : f.not_understood)
            std::cerr << "timeslice: not understood: " << line << "\n";
    }
    return render_image(
        argc, argv, trace, parsed.command->image_path, parsed.command->size, parsed.command->hand_overs);
}

} // namespace timeslice::app
