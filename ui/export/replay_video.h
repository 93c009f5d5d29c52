#pragma once

#include "core/trace/trace.h"

#include <QSize>
#include <QString>

#include <functional>

namespace timeslice::ui {

// The replay of a run as a video: the exported picture (paint_report) with the playhead moving
// across its rows, lanes and CPU chart at a chosen speed, for slides and talks. MP4 through
// FFmpeg's libraries: H.264 (libx264) where libavcodec has it, else MPEG-4 Part 2.
struct ReplayOptions {
    QSize size { 1280, 720 };
    double speed = 0.01; // run time per video time, as the playhead panel's Play: 1/100x
    int fps = 30;
    bool hand_over_arrows = false;
};

// What a replay of `trace` takes: its frames and the run time each frame moves on. An error
// (and no frames) for a size, speed or frame rate out of range, or a video over kMaxReplayFrames.
struct ReplayPlan {
    int frames = 0;
    Nanos start = 0;
    Nanos end = 0;
    double step = 0; // run time from one frame to the next, in nanoseconds
    QString error;
};
inline constexpr int kMaxReplayFrames = 36'000; // 20 minutes at 30 frames a second
ReplayPlan plan_replay(const Trace& trace, const ReplayOptions& options);

// Writes the replay to `path` (.mp4) atomically: on failure or cancel no file is left and an
// existing one is untouched. `progress(done, frames)` is called after each frame; returning
// false cancels. Safe off the GUI thread (it paints into QImages). Returns "" or what went
// wrong ("cancelled" when cancelled).
QString export_replay_video(const Trace& trace, const QString& path, const ReplayOptions& options,
    const std::function<bool(int, int)>& progress = {});

} // namespace timeslice::ui
