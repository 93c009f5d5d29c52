#include "ui/tracks/core_lanes.h"

#include "ui/tracks/draw_list.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/track.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <vector>
#include <cstdio>
#include <utility>

namespace timeslice::ui {

QColor task_color(std::size_t task)
{
    static const QColor colors[] = { QColor(0x33, 0x22, 0x88), QColor(0x44, 0xAA, 0x99), QColor(0xCC, 0x66, 0x77),
        QColor(0x99, 0x99, 0x33), QColor(0x88, 0x22, 0x55), QColor(0x88, 0xCC, 0xEE), QColor(0x11, 0x77, 0x33),
        QColor(0xDD, 0xCC, 0x77), QColor(0xAA, 0x44, 0x99) };
    return colors[task % std::size(colors)];
}

QColor text_color_on(const QColor& background)
{
    const double luminance = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luminance > 0.55 ? QColor(0x10, 0x10, 0x10) : QColor(Qt::white);
}

int core_lane_count(const Trace& trace)
{
    if (trace.kernel.source == KernelSource::None)
        return 0;
    // Sorted by core (Trace::cores): the last span has the highest. Asked at every paint and
    // hover (the legend's height depends on it), so never a pass over 100,000s of spans.
    const int lanes = std::max(0, trace.info.cores);
    return trace.cores.empty() ? lanes : std::max(lanes, int(trace.cores.back().core) + 1);
}

QString core_lane_label(int core) { return QStringLiteral("CPU %1").arg(core); }

namespace {

using CoreIt = std::vector<CoreSpan>::const_iterator;

// The spans of one core that reach into the view.
std::pair<CoreIt, CoreIt> spans_of(const Trace& trace, int core, const TimeMap& map)
{
    const auto& spans = trace.cores;
    auto first = std::partition_point(spans.begin(), spans.end(), [core](const CoreSpan& s) { return s.core < core; });
    auto last = std::partition_point(first, spans.end(), [core](const CoreSpan& s) { return s.core <= core; });
    // A core runs one thread at a time, so its spans' ends are in order too.
    first = std::partition_point(first, last, [&](const CoreSpan& s) { return s.end <= map.start; });
    last = std::partition_point(first, last, [&](const CoreSpan& s) { return s.start < map.end; });
    return { first, last };
}

// Each task's time in one block of narrow spans, and where in the block it was first seen: an
// open-addressed table kept from block to block (a block may hold thousands of tasks' spans,
// an event loop's thread running each briefly), emptied by the slots it used.
class BlockShares {
public:
    void add(std::uint32_t task, std::uint32_t position, Nanos time)
    {
        if (2 * (m_used.size() + 1) > m_slots.size())
            grow();
        std::size_t k = slot_of(task);
        while (m_slots[k].task != kEmpty && m_slots[k].task != task)
            k = (k + 1) & (m_slots.size() - 1);
        Share& s = m_slots[k];
        if (s.task == kEmpty) {
            s = Share { task, position, 0 };
            m_used.push_back(std::uint32_t(k));
        }
        s.time += time;
    }

    // The task with the most time; a tie goes to the one first seen. Empties the table.
    std::uint32_t take_most()
    {
        const Share* most = nullptr;
        for (const std::uint32_t k : m_used) {
            const Share& s = m_slots[k];
            if (!most || s.time > most->time || (s.time == most->time && s.first < most->first))
                most = &s;
        }
        const std::uint32_t task = most ? most->task : 0;
        for (const std::uint32_t k : m_used)
            m_slots[k].task = kEmpty;
        m_used.clear();
        return task;
    }

private:
    static constexpr std::uint32_t kEmpty = UINT32_MAX;
    struct Share {
        std::uint32_t task = kEmpty;
        std::uint32_t first = 0;
        Nanos time = 0;
    };

    std::size_t slot_of(std::uint32_t task) const { return (task * 2654435761u) & (m_slots.size() - 1); }

    void grow()
    {
        std::vector<Share> old;
        old.swap(m_slots);
        m_slots.assign(std::max<std::size_t>(64, 2 * old.size()), Share {});
        std::vector<std::uint32_t> used;
        used.swap(m_used);
        for (const std::uint32_t k : used) {
            std::size_t slot = slot_of(old[k].task);
            while (m_slots[slot].task != kEmpty)
                slot = (slot + 1) & (m_slots.size() - 1);
            m_slots[slot] = old[k];
            m_used.push_back(std::uint32_t(slot));
        }
    }

    std::vector<Share> m_slots; // a power of two in size, at most half full
    std::vector<std::uint32_t> m_used;
};

} // namespace

std::vector<CoreRect> build_core_rects(const Trace& trace, const TimeMap& map, int first_lane, int lane_count)
{
    std::vector<CoreRect> rects;
    const int last_lane = std::min(core_lane_count(trace), first_lane + lane_count);
    const double right = map.x0 + map.width;
    const auto x_of = [&](Nanos t) { return std::clamp(map.to_x(t), map.x0, right); };
    // A block's time per task is summed in a table (BlockShares), not looked up in a list
    // (quadratic: most of the window's time with 100,000 async tasks live) nor sorted.
    BlockShares shares;
    for (int lane = std::max(0, first_lane); lane < last_lane; ++lane) {
        auto [it, end] = spans_of(trace, lane, map);
        while (it != end) {
            const double x0 = x_of(it->start);
            const double x1 = x_of(it->end);
            if (x1 - x0 >= kMergePixels) {
                rects.push_back(CoreRect { lane, x0, x1, it->task, 1 });
                ++it;
                continue;
            }
            // Narrow spans: folded with every span that starts within the next two pixels, in the
            // colour of the task that had most of their time.
            const Nanos block_end = map.to_time(x0 + kMergePixels);
            auto stop = std::partition_point(it + 1, end, [&](const CoreSpan& s) { return s.start < block_end; });
            if (stop - it > 1 && x_of(std::prev(stop)->end) - x_of(std::prev(stop)->start) >= kMergePixels)
                --stop;
            // The most time wins; a tie goes to the task first seen in the block.
            for (auto s = it; s != stop; ++s)
                shares.add(s->task, std::uint32_t(s - it), s->end - s->start);
            const std::uint32_t most = shares.take_most();
            const auto count = std::uint32_t(stop - it);
            const double block_x1 = std::max(x_of(std::prev(stop)->end), x0 + 1.0);
            rects.push_back(CoreRect { lane, x0, std::min(right, block_x1), most, count });
            it = stop;
        }
    }
    return rects;
}

std::string to_text(const std::vector<CoreRect>& rects, const Trace& trace)
{
    std::string out;
    char buf[160];
    for (const CoreRect& r : rects) {
        const std::string name = r.task < trace.tasks.size() ? trace.tasks[r.task].name : std::to_string(r.task);
        std::snprintf(buf, sizeof buf, "CPU %-3d %7.1f..%-7.1f %s", r.lane, r.x0, r.x1, name.c_str());
        out += buf;
        if (r.merged > 1)
            out += " (" + std::to_string(r.merged) + " spans)";
        out += "\n";
    }
    return out;
}

std::vector<CoreRect> paint_core_lanes(QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map,
    int first_lane, double lane_height, double label_width, const QFont& font)
{
    const int lanes = core_lane_count(trace);
    if (lanes == 0 || lane_height <= 0)
        return {};
    p.save();
    // Thin lanes (many cores) get a font that fits them.
    QFont lane_font = font;
    const double fits = lane_height * 0.8;
    if (QFontMetricsF(font).height() > fits)
        lane_font.setPixelSize(std::max(5, int(fits)));
    p.setFont(lane_font);
    const QFontMetricsF fm(lane_font);
    const bool labels_fit = fm.height() <= lane_height + 1;
    const int lanes_fit = int(std::ceil(area.height() / lane_height - 1e-9));
    const int last_lane = std::min(lanes, first_lane + lanes_fit);
    for (int lane = first_lane; lane < last_lane; ++lane) {
        const double y = area.top() + (lane - first_lane) * lane_height;
        if (lane % 2)
            p.fillRect(QRectF(area.left(), y, area.width(), lane_height), QColor(0xF5, 0xF5, 0xF5));
        if (labels_fit) {
            p.setPen(QColor(0x20, 0x20, 0x20));
            p.drawText(QRectF(area.left() + 6, y, label_width - 10, lane_height), Qt::AlignLeft | Qt::AlignVCenter,
                core_lane_label(lane));
        }
    }
    const QRectF plot(map.x0, area.top(), map.width, std::min(area.height(), (last_lane - first_lane) * lane_height));
    p.setClipRect(plot.adjusted(0, 0, 1, 0));
    const std::vector<CoreRect> rects = build_core_rects(trace, map, first_lane, last_lane - first_lane);
    const double pad = lane_height >= 8 ? std::max(1.0, lane_height * 0.12) : 0.0;
    const CoreRect* previous = nullptr;
    for (const CoreRect& r : rects) {
        const double y = area.top() + (r.lane - first_lane) * lane_height;
        const QRectF bar(r.x0, y + pad, std::max(1.0, r.x1 - r.x0), lane_height - 2 * pad);
        const QColor color = task_color(r.task);
        p.fillRect(bar, color);
        if (r.merged > 1)
            p.fillRect(bar, QBrush(QColor(255, 255, 255, 90), Qt::BDiagPattern));
        // Where one task's thread follows another's on the core, a hairline tells them apart.
        if (previous && previous->lane == r.lane && previous->task != r.task && bar.width() >= 3
            && r.x0 - previous->x1 < 1) {
            p.fillRect(QRectF(r.x0, bar.top(), 1, bar.height()), Qt::white);
        }
        if (labels_fit && r.task < trace.tasks.size()) {
            const QString name = QString::fromStdString(trace.tasks[r.task].name);
            if (fm.horizontalAdvance(name) + 6 <= bar.width()) {
                p.setPen(text_color_on(color));
                p.drawText(bar, Qt::AlignCenter, name);
            }
        }
        previous = &r;
    }
    p.restore();
    return rects;
}

const CoreSpan* core_span_at(const Trace& trace, int core, Nanos t, Nanos slop)
{
    if (core < 0)
        return nullptr;
    const TimeMap all { t - slop, t + slop + 1, 0, 1 };
    auto [first, last] = spans_of(trace, core, all);
    const CoreSpan* best = nullptr;
    Nanos best_distance = slop + 1;
    for (auto it = first; it != last; ++it) {
        const Nanos distance = t < it->start ? it->start - t : (t >= it->end ? t - it->end : 0);
        if (distance < best_distance) {
            best = &*it;
            best_distance = distance;
        }
    }
    return best;
}

QString core_span_tooltip(const Trace& trace, const CoreSpan& span, Nanos resolution)
{
    const QString task = span.task < trace.tasks.size() ? QString::fromStdString(trace.tasks[span.task].name).toHtmlEscaped()
                                                        : QStringLiteral("task %1").arg(span.task);
    return QStringLiteral("<b>%1</b> on %2<br>its thread on this core, by the kernel's account<br>start %3, end %4, duration %5")
        .arg(task, core_lane_label(span.core), QString::fromStdString(format_instant(span.start, resolution)),
            QString::fromStdString(format_instant(span.end, resolution)),
            QString::fromStdString(format_duration(span.end - span.start)));
}

namespace {

// The lanes as a track kind: a row per core, under the task rows, in the window and the exports.
class CoreLanesTrack final : public Track {
public:
    QString name() const override { return QStringLiteral("coreLanes"); }
    bool shown(const Trace& trace) const override { return core_lane_count(trace) > 0; }
    int rows(const Trace& trace) const override { return core_lane_count(trace); }
    // 28 px a lane at 1600×900, thinner for many cores, at most a quarter of the room.
    ExportRoom exportRoom() const override { return ExportRoom { .gap = 8, .per_row = 28, .share = 0.25 }; }
    void paint(QPainter& p, const TrackFrame& f, const Trace& trace) const override
    {
        paint_core_lanes(p, f.area, trace, f.map, f.first_row, f.row_height, f.label_width, f.font);
    }
    QString tooltip(const TrackFrame& f, const Trace& trace, QPointF pos) const override
    {
        if (pos.x() < f.map.x0 || pos.x() > f.map.x0 + f.map.width || pos.y() < f.area.top() || f.row_height <= 0)
            return {};
        const int lane = f.first_row + int((pos.y() - f.area.top()) / f.row_height);
        if (lane >= core_lane_count(trace))
            return {};
        // Within a pixel or two counts, so narrow spans can be pointed at.
        const CoreSpan* span = core_span_at(trace, lane, f.map.to_time(pos.x()), Nanos(f.map.nanos_per_pixel() * 2));
        if (!span)
            return {};
        return core_span_tooltip(trace, *span, std::max<Nanos>(1, Nanos(f.map.nanos_per_pixel())));
    }
};

} // namespace

const Track& core_lanes_track()
{
    static const CoreLanesTrack track;
    return track;
}

} // namespace timeslice::ui
