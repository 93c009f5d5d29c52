// Responsible for the replay video: frames of the exported picture with the playhead moving,
// encoded by FFmpeg's libraries into an MP4 held in memory, then written atomically.
#include "ui/export/replay_video.h"

#include "core/base/atomic_file.h"
#include "ui/export/image_export.h"
#include "ui/tracks/time_axis.h"

#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace timeslice::ui {

ReplayPlan plan_replay(const Trace& trace, const ReplayOptions& o)
{
    ReplayPlan plan;
    const QSize s = o.size;
    if (s.width() < 320 || s.height() < 240 || s.width() > 3840 || s.height() > 2160)
        plan.error = QStringLiteral("the video size must be between 320x240 and 3840x2160 pixels");
    else if (!(o.speed >= 0.001 && o.speed <= 1.0))
        plan.error = QStringLiteral("the replay speed must be between 0.001 (1/1000x) and 1 (as fast as it ran)");
    else if (o.fps < 1 || o.fps > 120)
        plan.error = QStringLiteral("the frame rate must be between 1 and 120 frames a second");
    if (!plan.error.isEmpty())
        return plan;
    const TimeRange range = full_range(trace);
    plan.start = range.start;
    plan.end = range.end;
    plan.step = o.speed * 1e9 / o.fps;
    const double frames = std::ceil(double(range.end - range.start) / plan.step) + 1;
    if (frames > kMaxReplayFrames) {
        plan.error = QStringLiteral("at %1x the replay would be %2 frames (%3 min); the most is %4 (%5 min): choose a "
                                    "faster speed")
                         .arg(o.speed)
                         .arg(frames, 0, 'f', 0)
                         .arg(frames / o.fps / 60, 0, 'f', 1)
                         .arg(kMaxReplayFrames)
                         .arg(double(kMaxReplayFrames) / o.fps / 60, 0, 'f', 0);
        return plan;
    }
    plan.frames = int(frames);
    return plan;
}

namespace {

QString av_error(const char* what, int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QStringLiteral("%1: %2").arg(QString::fromUtf8(what), QString::fromUtf8(text));
}

// The MP4 is muxed into memory through a seekable I/O context (the muxer goes back to write its
// index), so the file itself is written once, atomically, by the writer the traces use.
struct MemoryFile {
    std::string bytes;
    std::int64_t at = 0;
};

#if LIBAVFORMAT_VERSION_MAJOR >= 61
int write_memory(void* opaque, const std::uint8_t* data, int size)
#else
int write_memory(void* opaque, std::uint8_t* data, int size)
#endif
{
    auto* file = static_cast<MemoryFile*>(opaque);
    const std::size_t end = std::size_t(file->at) + std::size_t(size);
    if (end > file->bytes.size())
        file->bytes.resize(end);
    std::memcpy(file->bytes.data() + file->at, data, std::size_t(size));
    file->at = std::int64_t(end);
    return size;
}

std::int64_t seek_memory(void* opaque, std::int64_t offset, int whence)
{
    auto* file = static_cast<MemoryFile*>(opaque);
    if (whence & AVSEEK_SIZE)
        return std::int64_t(file->bytes.size());
    std::int64_t to = offset;
    switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET:
        break;
    case SEEK_CUR:
        to += file->at;
        break;
    case SEEK_END:
        to += std::int64_t(file->bytes.size());
        break;
    default:
        return -1;
    }
    if (to < 0)
        return -1;
    file->at = to;
    return to;
}

// Everything FFmpeg allocates for one video, freed in one place whatever happens.
struct Encoder {
    MemoryFile file;
    AVFormatContext* format = nullptr;
    AVIOContext* io = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* scale = nullptr;

    ~Encoder()
    {
        sws_freeContext(scale);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
        if (io) {
            av_freep(&io->buffer);
            avio_context_free(&io);
        }
        avformat_free_context(format);
    }

    QString open(QSize size, int fps);
    QString encode(const AVFrame* frame);
};

QString Encoder::open(QSize size, int fps)
{
    if (const int e = avformat_alloc_output_context2(&format, nullptr, "mp4", nullptr); e < 0 || !format)
        return av_error("the MP4 muxer", e);
    // H.264 where this libavcodec has it (Debian's does, through libx264); else MPEG-4 Part 2,
    // which every libavcodec can write.
    const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
    if (!encoder)
        encoder = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
    if (!encoder)
        return QStringLiteral("this FFmpeg has neither an H.264 nor an MPEG-4 encoder");
    codec = avcodec_alloc_context3(encoder);
    stream = avformat_new_stream(format, nullptr);
    frame = av_frame_alloc();
    packet = av_packet_alloc();
    if (!codec || !stream || !frame || !packet)
        return QStringLiteral("out of memory for the video encoder");
    codec->width = size.width();
    codec->height = size.height();
    codec->time_base = AVRational { 1, fps };
    codec->framerate = AVRational { fps, 1 };
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->gop_size = fps * 2;
    if (std::strcmp(encoder->name, "libx264") == 0) {
        av_opt_set(codec->priv_data, "preset", "veryfast", 0);
        av_opt_set(codec->priv_data, "crf", "20", 0);
    } else {
        codec->bit_rate = std::int64_t(size.width()) * size.height() * fps / 4;
    }
    if (format->oformat->flags & AVFMT_GLOBALHEADER)
        codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (const int e = avcodec_open2(codec, encoder, nullptr); e < 0)
        return av_error(encoder->name, e);
    if (const int e = avcodec_parameters_from_context(stream->codecpar, codec); e < 0)
        return av_error("the video stream", e);
    stream->time_base = codec->time_base;
    frame->format = codec->pix_fmt;
    frame->width = codec->width;
    frame->height = codec->height;
    if (const int e = av_frame_get_buffer(frame, 0); e < 0)
        return av_error("a video frame", e);
    constexpr int kBuffer = 1 << 16;
    auto* buffer = static_cast<std::uint8_t*>(av_malloc(kBuffer));
    io = buffer ? avio_alloc_context(buffer, kBuffer, 1, &file, nullptr, write_memory, seek_memory) : nullptr;
    if (!io) {
        av_free(buffer);
        return QStringLiteral("out of memory for the video file");
    }
    format->pb = io;
    // QImage's RGB32 is B, G, R, A in memory on a little-endian machine.
    scale = sws_getContext(size.width(), size.height(), AV_PIX_FMT_BGRA, size.width(), size.height(),
        AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (!scale)
        return QStringLiteral("no colour conversion to the video's format");
    if (const int e = avformat_write_header(format, nullptr); e < 0)
        return av_error("the MP4 header", e);
    return {};
}

// Sends a frame (nullptr: the end) and writes every packet the encoder has ready.
QString Encoder::encode(const AVFrame* input)
{
    if (const int e = avcodec_send_frame(codec, input); e < 0)
        return av_error("encoding a frame", e);
    while (true) {
        const int e = avcodec_receive_packet(codec, packet);
        if (e == AVERROR(EAGAIN) || e == AVERROR_EOF)
            return {};
        if (e < 0)
            return av_error("encoding a frame", e);
        av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
        packet->stream_index = stream->index;
        const int w = av_interleaved_write_frame(format, packet);
        av_packet_unref(packet);
        if (w < 0)
            return av_error("writing the video", w);
    }
}

// The playhead over the picture: a line down the rows, lanes and CPU chart, and the instant.
void paint_playhead(QPainter& p, const ReportLayout& l, const TimeMap& map, Nanos at)
{
    const QRectF plot = timeline_plot_rect(l.timeline, l.style);
    double bottom = plot.bottom();
    for (const ReportLayout::PlacedTrack& placed : l.tracks)
        bottom = std::max(bottom, placed.area.bottom());
    const double x = map.to_x(at);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setPen(QPen(kPlayheadColor, std::max(2.0, 2.5 * l.unit)));
    p.drawLine(QPointF(x, l.timeline.top()), QPointF(x, bottom));
    const QString label = QString::fromStdString(format_instant(at, std::max<Nanos>(1, Nanos(map.nanos_per_pixel()))));
    p.setFont(l.small);
    const QFontMetricsF fm(l.small);
    const double width = fm.horizontalAdvance(label) + 8 * l.unit;
    const double left = std::clamp(x - width / 2, l.timeline.left(), l.timeline.right() - width);
    const QRectF box(left, l.timeline.top() - fm.height() - 4 * l.unit, width, fm.height() + 2 * l.unit);
    p.fillRect(box, kPlayheadColor);
    p.setPen(Qt::white);
    p.drawText(box, Qt::AlignCenter, label);
}

} // namespace

QString export_replay_video(const Trace& trace, const QString& path, const ReplayOptions& options,
    const std::function<bool(int, int)>& progress)
{
    if (!path.endsWith(QLatin1String(".mp4"), Qt::CaseInsensitive))
        return QStringLiteral("'%1': choose a .mp4 file name").arg(path);
    ReplayOptions o = options;
    o.size = QSize(o.size.width() & ~1, o.size.height() & ~1); // 4:2:0 needs even sides
    const ReplayPlan plan = plan_replay(trace, o);
    if (!plan.error.isEmpty())
        return plan.error;
    // The picture is painted once; each frame copies it and draws the playhead over it.
    QImage picture(o.size, QImage::Format_RGB32);
    {
        QPainter p(&picture);
        paint_report(p, QSizeF(o.size), trace, full_range(trace), o.hand_over_arrows);
    }
    const ReportLayout layout = layout_report(QSizeF(o.size), trace);
    const TimeMap map = timeline_time_map(layout.timeline, layout.style, full_range(trace));
    av_log_set_level(AV_LOG_ERROR); // libx264's statistics are not for the user
    Encoder video;
    if (QString error = video.open(o.size, o.fps); !error.isEmpty())
        return error;
    for (int i = 0; i < plan.frames; ++i) {
        const Nanos at = std::min(plan.end, plan.start + Nanos(std::llround(plan.step * i)));
        QImage image = picture;
        {
            QPainter p(&image);
            paint_playhead(p, layout, map, at);
        }
        if (const int e = av_frame_make_writable(video.frame); e < 0)
            return av_error("a video frame", e);
        const std::uint8_t* source[] = { image.constBits() };
        const int stride[] = { int(image.bytesPerLine()) };
        sws_scale(video.scale, source, stride, 0, image.height(), video.frame->data, video.frame->linesize);
        video.frame->pts = i;
        if (QString error = video.encode(video.frame); !error.isEmpty())
            return error;
        if (progress && !progress(i + 1, plan.frames))
            return QStringLiteral("cancelled");
    }
    if (QString error = video.encode(nullptr); !error.isEmpty())
        return error;
    if (const int e = av_write_trailer(video.format); e < 0)
        return av_error("the MP4 index", e);
    avio_flush(video.io);
    const std::string error = write_file_atomically(path.toStdString(), video.file.bytes);
    return QString::fromStdString(error);
}

} // namespace timeslice::ui
