// Issue 23: the replay exported as a video. Read back with FFmpeg's own decoder: the frames the
// plan promised, at the size asked, and the playhead where the run's time puts it in each.
#include "core/formats/trace_json.h"
#include "ui/export/image_export.h"
#include "ui/export/replay_video.h"
#include "timeline_helpers.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

using namespace timeslice;
using namespace timeslice::ui;

namespace {


// Every frame of an MP4, decoded to RGB32 images.
struct Decoded {
    std::string codec;
    std::vector<QImage> frames;
    QString error;
};

Decoded decode(const QString& path)
{
    Decoded out;
    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, path.toUtf8().constData(), nullptr, nullptr) < 0) {
        out.error = QStringLiteral("cannot open");
        return out;
    }
    avformat_find_stream_info(format, nullptr);
    const AVCodec* decoder = nullptr;
    const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    AVCodecContext* codec = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(codec, format->streams[index]->codecpar);
    avcodec_open2(codec, decoder, nullptr);
    out.codec = decoder->name;
    AVPacket* packet = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    SwsContext* scale = nullptr;
    const auto drain = [&] {
        while (avcodec_receive_frame(codec, frame) == 0) {
            QImage image(frame->width, frame->height, QImage::Format_RGB32);
            scale = sws_getCachedContext(scale, frame->width, frame->height, AVPixelFormat(frame->format), frame->width,
                frame->height, AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
            std::uint8_t* data[] = { image.bits() };
            const int stride[] = { int(image.bytesPerLine()) };
            sws_scale(scale, frame->data, frame->linesize, 0, frame->height, data, stride);
            out.frames.push_back(image);
        }
    };
    while (av_read_frame(format, packet) >= 0) {
        if (packet->stream_index == index && avcodec_send_packet(codec, packet) == 0)
            drain();
        av_packet_unref(packet);
    }
    avcodec_send_packet(codec, nullptr);
    drain();
    sws_freeContext(scale);
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&codec);
    avformat_close_input(&format);
    return out;
}

// The column of the playhead on row `y`: where red stands out most (the video's 4:2:0 colour,
// shared by two pixels, makes a thin red line pink on white), the middle of those columns.
double playhead_x(const QImage& image, int y)
{
    std::vector<int> redness(std::size_t(image.width()));
    int most = 0;
    for (int x = 0; x < image.width(); ++x) {
        const QColor c = image.pixelColor(x, y);
        redness[std::size_t(x)] = c.red() - c.green();
        most = std::max(most, redness[std::size_t(x)]);
    }
    if (most < 50)
        return -1;
    double sum = 0;
    int n = 0;
    for (int x = 0; x < image.width(); ++x) {
        if (redness[std::size_t(x)] >= most * 0.6) {
            sum += x;
            ++n;
        }
    }
    return sum / n;
}

} // namespace

TEST(ReplayVideo, ThePlanCountsFramesFromTheSpeedAndRefusesWhatItCannotMake)
{
    const Trace trace = *test::load_example("square-numbers-threads-gil.json");
    const TimeRange range = full_range(trace);
    ReplayOptions o;
    o.speed = 0.1;
    o.fps = 30;
    const ReplayPlan plan = plan_replay(trace, o);
    ASSERT_TRUE(plan.error.isEmpty()) << plan.error.toStdString();
    // One frame every 1/30 s of video, 1/300 s of the run, from its start to its end.
    EXPECT_DOUBLE_EQ(plan.step, 0.1 * 1e9 / 30);
    EXPECT_EQ(plan.frames, int(std::ceil(double(range.end - range.start) / plan.step)) + 1);
    for (const auto& [change, words] : std::vector<std::pair<std::function<void(ReplayOptions&)>, const char*>> {
             { [](ReplayOptions& r) { r.size = QSize(100, 100); }, "between 320x240" },
             { [](ReplayOptions& r) { r.speed = 0; }, "speed must be between" },
             { [](ReplayOptions& r) { r.speed = 2; }, "speed must be between" },
             { [](ReplayOptions& r) { r.fps = 0; }, "frame rate" },
             { [](ReplayOptions& r) { r.speed = 0.001; r.fps = 120; }, "choose a faster speed" } }) {
        ReplayOptions bad = o;
        change(bad);
        // A run of a second: at 1/1000x and 120 a second, 120,000 frames.
        Trace longer = trace;
        longer.tasks.front().finished = kNanosPerSecond;
        const ReplayPlan refused = plan_replay(longer, bad);
        EXPECT_TRUE(refused.error.contains(QString::fromUtf8(words))) << refused.error.toStdString();
        EXPECT_EQ(refused.frames, 0);
    }
}

TEST(ReplayVideo, EveryFrameShowsThePlayheadWhereTheRunsTimePutsIt)
{
    const Trace trace = *test::load_example("square-numbers-threads-gil.json");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("replay.mp4"));
    ReplayOptions o;
    o.size = QSize(641, 361); // odd sides: the video's are made even
    o.speed = 0.1;
    int calls = 0;
    ASSERT_EQ(export_replay_video(trace, path, o, [&](int done, int frames) {
        EXPECT_EQ(done, ++calls);
        EXPECT_LE(done, frames);
        return true;
    }),
        QString());
    const ReplayPlan plan = plan_replay(trace, o);
    EXPECT_EQ(calls, plan.frames);
    const Decoded video = decode(path);
    ASSERT_TRUE(video.error.isEmpty()) << video.error.toStdString();
    EXPECT_EQ(video.codec, "h264");
    ASSERT_EQ(int(video.frames.size()), plan.frames);
    EXPECT_EQ(video.frames.front().size(), QSize(640, 360));
    // Down the time axis (nothing else red there), the playhead stands at the run's instant of
    // each frame.
    const QSize size(640, 360);
    const ReportLayout l = layout_report(QSizeF(size), trace);
    const TimeMap map = timeline_time_map(l.timeline, l.style, full_range(trace));
    const int y = int(l.timeline.top() + 3);
    if (const char* dump = std::getenv("REPLAY_DUMP"))
        video.frames[video.frames.size() / 2].save(QString::fromUtf8(dump));
    double previous = -1;
    for (const int i : { 0, plan.frames / 3, 2 * plan.frames / 3, plan.frames - 1 }) {
        const Nanos at = std::min(plan.end, plan.start + Nanos(std::llround(plan.step * i)));
        const double x = playhead_x(video.frames[std::size_t(i)], y);
        EXPECT_NEAR(x, map.to_x(at), 2.5) << "frame " << i;
        EXPECT_GT(x, previous) << "frame " << i;
        previous = x;
    }
}

TEST(ReplayVideo, ACancelOrABadNameLeavesNoFileAndAnOldOneUntouched)
{
    const Trace trace = *test::load_example("square-numbers-threads-gil.json");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("replay.mp4"));
    {
        QFile old(path);
        ASSERT_TRUE(old.open(QIODevice::WriteOnly));
        old.write("an earlier video");
    }
    ReplayOptions o;
    o.size = QSize(320, 240);
    o.speed = 0.1;
    EXPECT_EQ(export_replay_video(trace, path, o, [](int done, int) { return done < 3; }), QStringLiteral("cancelled"));
    QFile kept(path);
    ASSERT_TRUE(kept.open(QIODevice::ReadOnly));
    EXPECT_EQ(kept.readAll(), QByteArray("an earlier video"));
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList { QStringLiteral("replay.mp4") }) << "no leftovers";

    EXPECT_TRUE(export_replay_video(trace, dir.filePath(QStringLiteral("replay.gif")), o).contains(QStringLiteral(".mp4")));
    EXPECT_FALSE(QFile::exists(dir.filePath(QStringLiteral("replay.gif"))));
    EXPECT_TRUE(export_replay_video(trace, QStringLiteral("/nonexistent-dir/replay.mp4"), o).size() > 0);
}
