// Responsible for `timeslice render TRACE.json --image FILE`: a saved trace drawn as an image, or
// replayed as a video (--video FILE.mp4), with no display.
#include "app/commands/common.h"

#include "core/formats/trace_json.h"
#include "ui/export/replay_video.h"
#include "ui/tracks/time_axis.h"

#include <QGuiApplication>

namespace timeslice::app {

namespace {

// The replay, with a line of progress on stderr every tenth of it.
int render_video(int argc, char** argv, const Trace& trace, const cli::RenderCommand& cmd)
{
    quiet_qt_messages();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    ui::ReplayOptions options;
    options.size = QSize(cmd.size.width, cmd.size.height);
    options.speed = cmd.speed;
    options.fps = cmd.fps;
    options.hand_over_arrows = cmd.hand_overs;
    const ui::ReplayPlan plan = ui::plan_replay(trace, options);
    if (!plan.error.isEmpty())
        return fail(plan.error.toStdString());
    int shown = 0;
    const QString error = ui::export_replay_video(trace, QString::fromStdString(cmd.video_path), options,
        [&](int done, int frames) {
            if (done * 10 / frames > shown) {
                shown = done * 10 / frames;
                std::cerr << "timeslice: video " << shown * 10 << " % (" << done << " of " << frames << " frames)\n";
            }
            return true;
        });
    if (!error.isEmpty())
        return fail(error.toStdString());
    std::cout << "video: " << cmd.video_path << " (" << (options.size.width() & ~1) << "x" << (options.size.height() & ~1)
              << ", " << plan.frames << " frames at " << cmd.fps << " a second: " << QString::number(double(plan.frames) / cmd.fps, 'f', 1).toStdString() << " s for " << ui::format_duration(plan.end - plan.start) << " of the run at " << cmd.speed << "x)\n";
    return 0;
}

} // namespace

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
    if (!parsed.command->video_path.empty())
        return render_video(argc, argv, trace, *parsed.command);
    return render_image(
        argc, argv, trace, parsed.command->image_path, parsed.command->size, parsed.command->hand_overs);
}

} // namespace timeslice::app
