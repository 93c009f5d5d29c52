#include "ui/tracks/timeline_painter.h"

#include "core/models/registry.h"
#include "ui/style/palette.h"
#include "ui/tracks/core_lanes.h"
#include "ui/tracks/foreign_rows.h"
#include "ui/tracks/hand_overs.h"
#include "ui/tracks/time_axis.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QImage>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace timeslice::ui {

double axis_tick_spacing(const QFont& font)
{
    return std::max(70.0, QFontMetricsF(font).horizontalAdvance(QStringLiteral("0.000 ms")) * 1.4);
}

QRectF timeline_plot_rect(const QRectF& area, const TimelineStyle& style)
{
    return QRectF(area.left() + style.label_width, area.top() + style.axis_height,
        std::max(1.0, area.width() - style.label_width - 8), std::max(0.0, area.height() - style.axis_height));
}

TimeMap timeline_time_map(const QRectF& area, const TimelineStyle& style, TimeRange range)
{
    const QRectF plot = timeline_plot_rect(area, style);
    return TimeMap { range.start, std::max(range.start + 1, range.end), plot.left(), plot.width() };
}

std::pair<QString, QString> task_label_parts(const Trace& trace, std::size_t row)
{
    const TaskTrace& task = trace.tasks[row];
    // A foreign trace's nested row says only its depth: cut, it never reads as another thread.
    if (trace.foreign && row < trace.foreign->depth.size() && trace.foreign->depth[row] > 0)
        return { QStringLiteral("  └ depth %1").arg(trace.foreign->depth[row]), QString() };
    const QString name = QString::fromStdString(task.name);
    // A script of the user's own has no model of Timeslice's: its rows are its threads' (and the
    // tasks they ran), named by thread as the built-in programs' are.
    const std::string_view id = find_model(trace.info.model) ? find_model(trace.info.model)->worker_id
        : trace.info.ran_script()                            ? "tid"
                                                             : "";
    if (!task.worker.empty()) // a Dask worker's address; tcp:// goes without saying
        return { name, QStringLiteral(" · ") + QString::fromStdString(task.worker).remove(QStringLiteral("tcp://")) };
    if (id == "pid" && task.pid)
        return { name, QStringLiteral(" · pid %1").arg(task.pid) };
    if (id == "tid" && task.tid)
        return { name, QStringLiteral(" · tid %1").arg(task.tid) };
    return { name, QString() };
}

QString task_label(const Trace& trace, std::size_t row)
{
    const auto [name, worker] = task_label_parts(trace, row);
    return name + worker;
}

QString fitted_label(const QFontMetricsF& fm, const QString& name, const QString& worker, double width)
{
    const QString whole = name + worker;
    if (fm.horizontalAdvance(whole) <= width)
        return whole;
    const double room = width - fm.horizontalAdvance(worker);
    if (!worker.isEmpty() && room >= fm.horizontalAdvance(name.left(1) + QStringLiteral("…")))
        return fm.elidedText(name, Qt::ElideMiddle, room) + worker;
    return fm.elidedText(whole, Qt::ElideMiddle, width);
}

double fitted_label_width(const Trace& trace, const QFont& font, double least, double most)
{
    const QFontMetricsF fm(font);
    double widest = 0;
    const std::size_t rows = std::min<std::size_t>(trace.tasks.size(), 4096);
    for (std::size_t row = 0; row < rows; ++row)
        widest = std::max(widest, fm.horizontalAdvance(task_label(trace, row)));
    // The cell's margins (6 left, 4 right) and the end mark's room (at most 24): as painted.
    return std::clamp(std::ceil(widest) + 6 + 4 + 24 + 2, least, std::max(least, most));
}

namespace {

void paint_axis(QPainter& p, const QRectF& area, const TimelineStyle& style, const TimeMap& map, double grid_bottom)
{
    const QRectF plot = timeline_plot_rect(area, style);
    const double axis_y = area.top() + style.axis_height - 1;
    p.setPen(QColor(0x60, 0x60, 0x60));
    p.drawLine(QPointF(plot.left(), axis_y), QPointF(plot.right(), axis_y));
    const QFontMetricsF fm(style.font);
    const double spacing = axis_tick_spacing(style.font);
    if (const Nanos reference = axis_reference(map, tick_step(map, spacing))) {
        // The ticks count from here ("+0.2 µs"); it stands once, left of them.
        const Nanos granule = tick_step(map, spacing) * 100;
        p.setPen(QColor(0x30, 0x30, 0x30));
        const QRectF where(area.left() + 4, area.top(), plot.left() - style.label_width * 0.1 - 8 - area.left(), style.axis_height - 6);
        p.drawText(where, Qt::AlignRight | Qt::AlignBottom, QString::fromStdString(format_instant(reference, granule)) + QStringLiteral(" +"));
    }
    for (const Tick& tick : compute_ticks(map, spacing)) {
        const QString label = QString::fromStdString(tick.label);
        p.setPen(QColor(0xE4, 0xE4, 0xE4));
        p.drawLine(QPointF(tick.x, axis_y + 1), QPointF(tick.x, grid_bottom));
        p.setPen(QColor(0x30, 0x30, 0x30));
        p.drawLine(QPointF(tick.x, axis_y - 4), QPointF(tick.x, axis_y));
        const double w = fm.horizontalAdvance(label);
        const double x = std::clamp(tick.x - w / 2, plot.left() - style.label_width * 0.1, plot.right() - w);
        p.drawText(QPointF(x, axis_y - 6), label);
    }
}

void paint_status_mark(QPainter& p, const TaskTrace& task, const QRectF& cell)
{
    if (!task.ended())
        return;
    const double s = std::min(cell.height() * 0.45, 12.0);
    const QRectF mark(cell.right() - s - 6, cell.center().y() - s / 2, s, s);
    QPen pen(state_color(task.status), std::max(1.5, s / 5));
    pen.setCapStyle(Qt::RoundCap);
    p.setPen(pen);
    if (task.status == State::Done) {
        QPainterPath tick;
        tick.moveTo(mark.left(), mark.center().y());
        tick.lineTo(mark.left() + s * 0.4, mark.bottom());
        tick.lineTo(mark.right(), mark.top());
        p.drawPath(tick);
    } else if (task.status == State::Failed) {
        p.drawLine(mark.topLeft(), mark.bottomRight());
        p.drawLine(mark.topRight(), mark.bottomLeft());
    } else {
        p.fillRect(mark.adjusted(s * 0.15, s * 0.15, -s * 0.15, -s * 0.15), state_color(task.status));
    }
}

// A merged block's states, top to bottom (each state's `stack` in kStates): those that want a
// CPU above those that do not, in the same order in every block so that neighbouring blocks line
// up into bands.
constexpr std::array<State, kSpanStateCount> kStackOrder = [] {
    std::array<State, kSpanStateCount> order {};
    for (const StateInfo& row : kStates) {
        if (row.stack >= 0)
            order[std::size_t(row.stack)] = row.state;
    }
    return order;
}();

// A block of spans too narrow to draw: each state a band as tall as its share of the time, under
// a white hatch that tells it from a span. A block of one state keeps that state's height.
// The hatching that marks merged blocks, gathered and drawn at the end in one call: a pattern
// brush with alpha is the raster engine's slow path, and zoomed out nearly every block of a
// row is merged, side by side, so neighbours become one rectangle.
void add_hatch(std::vector<QRectF>& hatch, const QRectF& block)
{
    if (!hatch.empty()) {
        QRectF& last = hatch.back();
        if (last.top() == block.top() && last.height() == block.height() && block.left() <= last.right() + 0.5
            && block.right() >= last.right()) {
            last.setRight(block.right());
            return;
        }
    }
    hatch.push_back(block);
}

void paint_merged_block(QPainter& p, const DrawRect& r, double top, double height, std::vector<QRectF>& hatch)
{
    const double width = std::max(1.0, r.x1 - r.x0);
    QRectF block(r.x0, top, width, height);
    if (r.share[std::size_t(r.state)] == kWholeShare) {
        if (!state_wants_cpu(r.state))
            block = QRectF(r.x0, top + height * 0.25, width, height * 0.5);
        p.fillRect(block, state_color(r.state));
    } else {
        int above = 0;
        for (const State s : kStackOrder) {
            const int share = r.share[std::size_t(s)];
            if (share == 0)
                continue;
            const double y0 = top + height * above / kWholeShare;
            const double y1 = top + height * (above + share) / kWholeShare;
            p.fillRect(QRectF(r.x0, y0, width, y1 - y0), state_color(s));
            above += share;
        }
    }
    add_hatch(hatch, block);
}

// The rows paint_timeline draws, from `first`, and where they are.
struct ShownRows {
    QRectF plot;
    int first = 0;
    int fit = 0; // as many as the plot's height holds, the last perhaps in part
    int last = 0; // one past the last drawn
    double bottom = 0; // of the last drawn, or of the plot if it is cut off
    double height = 0; // of each row
    double top(int row) const { return plot.top() + (row - first) * height; }
};

ShownRows shown_rows(const QRectF& area, const TimelineStyle& style, const Trace& trace, int first_row)
{
    ShownRows rows;
    rows.plot = timeline_plot_rect(area, style);
    rows.first = first_row;
    rows.fit = int(std::ceil(rows.plot.height() / style.row_height));
    rows.last = std::min<int>(int(trace.tasks.size()), first_row + rows.fit);
    rows.bottom = std::min(rows.plot.bottom(), rows.plot.top() + (rows.last - first_row) * style.row_height);
    rows.height = style.row_height;
    return rows;
}

// Every other row a shade darker, across the labels and the plot.
void paint_row_stripes(QPainter& p, const QRectF& area, const ShownRows& rows)
{
    for (int row = rows.first + 1 - rows.first % 2; row < rows.last; row += 2)
        p.fillRect(QRectF(area.left(), rows.top(row), area.width(), rows.height), QColor(0xF5, 0xF5, 0xF5));
}

void paint_row_labels(QPainter& p, const QRectF& area, const Trace& trace, const TimelineStyle& style, const ShownRows& rows)
{
    const QFontMetricsF fm(style.font);
    // Rows thinner than a line of text (an export of more rows than its tallest picture holds)
    // are labelled every few rows, so that labels never overlap.
    const int label_every = style.row_height >= fm.height() * 0.8 ? 1 : int(std::ceil(fm.height() / style.row_height));
    for (int row = rows.first; row < rows.last; ++row) {
        if (row % label_every)
            continue;
        const double y = rows.top(row);
        const TaskTrace& task = trace.tasks[std::size_t(row)];
        const double cell_height = label_every > 1 ? fm.height() : style.row_height;
        const QRectF cell(area.left() + 6, y + (style.row_height - cell_height) / 2, style.label_width - 10, cell_height);
        p.setPen(QColor(0x20, 0x20, 0x20));
        // Room for the end mark, which stops growing at 12 px however tall the row.
        const double mark = std::min(style.row_height * 0.45, 12.0) + 12;
        const auto [name, worker] = task_label_parts(trace, std::size_t(row));
        p.drawText(cell.adjusted(0, 0, -mark, 0), Qt::AlignLeft | Qt::AlignVCenter,
            fitted_label(fm, name, worker, cell.width() - mark));
        paint_status_mark(p, task, cell);
    }
}

// Behind the bars, the ideal schedule as dashed outlines: where the model's rules alone
// would have each task compute or wait.
void paint_predicted(QPainter& p, const Trace& trace, TimeRange range, const TimeMap& map, const TimelineStyle& style,
    const ShownRows& rows)
{
    if (trace.ideal.empty())
        return;
    QPen ghost(QColor(0x40, 0x40, 0x40, 170), 1, Qt::DashLine);
    ghost.setCosmetic(true);
    p.setPen(ghost);
    p.setBrush(Qt::NoBrush);
    const double pad = std::max(1.0, style.row_height * 0.06);
    for (int row = rows.first; row < rows.last && std::size_t(row) < trace.ideal.tasks.size(); ++row) {
        const auto& spans = trace.ideal.tasks[std::size_t(row)];
        const double y = rows.top(row);
        auto it = std::lower_bound(
            spans.begin(), spans.end(), range.start, [](const IdealSpan& s, Nanos t) { return s.end <= t; });
        double last_x1 = -1e9;
        for (; it != spans.end() && it->start < range.end; ++it) {
            if (it->state == State::Queued)
                continue;
            const double x0 = std::max(rows.plot.left() - 2, map.to_x(it->start));
            const double x1 = std::min(rows.plot.right() + 2, map.to_x(it->end));
            if (x1 - x0 < 1 || x1 <= last_x1 + 1)
                continue; // level of detail: one outline per pixel column at most
            p.drawRect(QRectF(x0, y + pad, x1 - x0, style.row_height - 2 * pad));
            last_x1 = x1;
        }
    }
}

// Real Python: a thread on a core without the GIL (in C code that released it), dotted.
void paint_gil_released(QPainter& p, const QRectF& bar)
{
    p.fillRect(bar, QBrush(QColor(255, 255, 255, 200), Qt::Dense6Pattern));
}

void paint_hatch(QPainter& p, const std::vector<QRectF>& hatch)
{
    if (hatch.empty())
        return;
    p.setPen(Qt::NoPen);
    p.setBrush(QBrush(QColor(255, 255, 255, 90), Qt::BDiagPattern));
    p.drawRects(hatch.data(), int(hatch.size()));
    p.setBrush(Qt::NoBrush);
}

// Bars: full height for states that want a CPU, half height for those that do not.
void paint_bars(QPainter& p, const Trace& trace, const DrawList& list, const TimelineStyle& style, const ShownRows& rows)
{
    const double pad = std::max(2.0, style.row_height * 0.14);
    std::vector<QRectF> hatch;
    for (const DrawRect& r : list.rects) {
        const double y = rows.top(r.row);
        const double h = style.row_height - 2 * pad;
        if (trace.foreign) {
            paint_foreign_span(p, trace, r, QRectF(r.x0, y + pad, std::max(1.0, r.x1 - r.x0), h), style.font);
            continue;
        }
        if (r.merged > 1) {
            paint_merged_block(p, r, y + pad, h, hatch);
            continue;
        }
        const bool full = state_wants_cpu(r.state);
        const QRectF bar(r.x0, full ? y + pad : y + pad + h * 0.25, std::max(1.0, r.x1 - r.x0), full ? h : h * 0.5);
        p.fillRect(bar, state_color(r.state));
        if (r.state == State::Running && trace.tasks[std::size_t(r.row)].spans[r.first_span].gil == GilHold::Released)
            paint_gil_released(p, bar);
    }
    paint_hatch(p, hatch);
}

// Where each task ended badly, a mark on its row.
void paint_end_marks(QPainter& p, const Trace& trace, TimeRange range, const TimeMap& map, const ShownRows& rows)
{
    for (int row = rows.first; row < rows.last; ++row) {
        const TaskTrace& task = trace.tasks[std::size_t(row)];
        if (task.status != State::Failed && task.status != State::Cancelled)
            continue;
        if (task.finished < range.start || task.finished > range.end)
            continue;
        const double x = map.to_x(task.finished);
        const double y = rows.top(row);
        p.setPen(QPen(state_color(task.status), 2));
        p.drawLine(QPointF(x, y + 2), QPointF(x, y + rows.height - 2));
    }
}

// The makespan, once the run is over.
void paint_makespan(QPainter& p, const Trace& trace, TimeRange range, const TimeMap& map, const ShownRows& rows)
{
    if (!trace.complete || trace.info.makespan <= range.start || trace.info.makespan > range.end)
        return;
    const double x = map.to_x(trace.info.makespan);
    QPen pen(QColor(0x30, 0x30, 0x30), 1, Qt::DashLine);
    p.setPen(pen);
    p.drawLine(QPointF(x, rows.plot.top()), QPointF(x, rows.bottom));
}

} // namespace

DrawList paint_timeline(QPainter& p, const QRectF& area, const Trace& trace, TimeRange range, int first_row,
    const TimelineStyle& style, const SpanTimes* times)
{
    p.save();
    p.setFont(style.font);
    const TimeMap map = timeline_time_map(area, style, range);
    const ShownRows rows = shown_rows(area, style, trace, first_row);
    paint_row_stripes(p, area, rows);
    paint_row_labels(p, area, trace, style, rows);
    paint_axis(p, area, style, map, rows.bottom);

    p.setClipRect(rows.plot.adjusted(0, 0, 1, 0));
    paint_predicted(p, trace, range, map, style, rows);
    const DrawList list = build_draw_list(trace, map, first_row, rows.fit, times);
    paint_bars(p, trace, list, style, rows);
    paint_end_marks(p, trace, range, map, rows);
    paint_makespan(p, trace, range, map, rows);
    p.restore();
    return list;
}

namespace {

// The legend's entries one after another, a line of them wrapping at the area's right edge;
// drawn only when `paint` (paint_legend_height only measures).
class LegendFlow {
public:
    LegendFlow(QPainter& p, const QRectF& area, const QFont& font, bool paint);
    // Where an entry `width` wide goes: on this line if it fits, else at the start of the next.
    QPointF place(double width);
    // The same for an entry with a key as wide as a state's swatch and `label` beside it.
    QPointF place_entry(const QString& label) { return place(key_width() + 4 + fm.horizontalAdvance(label)); }
    double key_width() const { return swatch * 1.6; }
    // An entry's text, right of its key.
    void draw_label(const QPointF& at, double key_width, const QString& label);
    double height() const { return m_y + fm.height() - m_area.top(); }

    QPainter& p;
    const QFontMetricsF fm;
    const double swatch; // the size of a key
    const bool paint;

private:
    const QRectF m_area;
    const double m_gap;
    double m_x;
    double m_y;
};

LegendFlow::LegendFlow(QPainter& painter, const QRectF& area, const QFont& font, bool paint)
    : p(painter)
    , fm(font)
    , swatch(fm.height() * 0.8)
    , paint(paint)
    , m_area(area)
    , m_gap(fm.height() * 0.9)
    , m_x(area.left())
    , m_y(area.top())
{
}

QPointF LegendFlow::place(double width)
{
    if (m_x + width > m_area.right() && m_x > m_area.left()) {
        m_x = m_area.left();
        m_y += fm.height() * 1.4;
    }
    const QPointF at(m_x, m_y);
    m_x += width + m_gap;
    return at;
}

void LegendFlow::draw_label(const QPointF& at, double key_width, const QString& label)
{
    p.setPen(QColor(0x20, 0x20, 0x20));
    p.drawText(QPointF(at.x() + key_width + 4, at.y() + fm.ascent()), label);
}

// Each state's colour, as tall as its bars.
void add_state_entries(LegendFlow& f)
{
    for (int i = 0; i < kSpanStateCount; ++i) {
        const State s = State(i);
        const QString label = state_label(s);
        const QPointF at = f.place_entry(label);
        if (f.paint) {
            const double h = state_wants_cpu(s) ? f.swatch : f.swatch * 0.5;
            f.p.fillRect(QRectF(at.x(), at.y() + (f.fm.height() - h) / 2, f.key_width(), h), state_color(s));
            f.draw_label(at, f.key_width(), label);
        }
    }
}

// Real Python: running without the GIL, drawn as the timeline draws it.
void add_gil_released_entry(LegendFlow& f)
{
    const QString label = QStringLiteral("running without the GIL");
    const QPointF at = f.place_entry(label);
    if (!f.paint)
        return;
    const QRectF key(at.x(), at.y() + (f.fm.height() - f.swatch) / 2, f.key_width(), f.swatch);
    f.p.fillRect(key, state_color(State::Running));
    paint_gil_released(f.p, key);
    f.draw_label(at, f.key_width(), label);
}

// The ideal schedule's dashed outline.
void add_predicted_entry(LegendFlow& f)
{
    const QString label = QStringLiteral("predicted");
    const QPointF at = f.place_entry(label);
    if (!f.paint)
        return;
    QPen ghost(QColor(0x40, 0x40, 0x40, 170), 1, Qt::DashLine);
    f.p.setPen(ghost);
    f.p.setBrush(Qt::NoBrush);
    f.p.drawRect(QRectF(at.x(), at.y() + (f.fm.height() - f.swatch) / 2, f.key_width(), f.swatch));
    f.draw_label(at, f.key_width(), label);
}

// A merged block, drawn as the timeline draws one: half running, half waiting, hatched.
void add_merged_entry(LegendFlow& f)
{
    const QString label = QStringLiteral("merged, stacked by share of time");
    const QPointF at = f.place_entry(label);
    if (!f.paint)
        return;
    DrawRect sample { 0, at.x(), at.x() + f.key_width(), State::Running, 2, {} };
    sample.share[std::size_t(State::Running)] = kWholeShare / 2;
    sample.share[std::size_t(State::Waiting)] = kWholeShare - kWholeShare / 2;
    std::vector<QRectF> hatch;
    paint_merged_block(f.p, sample, at.y() + (f.fm.height() - f.swatch) / 2, f.swatch, hatch);
    f.p.fillRect(hatch.front(), QBrush(QColor(255, 255, 255, 90), Qt::BDiagPattern));
    f.draw_label(at, f.key_width(), label);
}

// The Cores lanes: three task colours side by side.
void add_core_lanes_entry(LegendFlow& f)
{
    const QString label = QStringLiteral("CPU lanes: a colour per task");
    const QPointF at = f.place(f.swatch * 1.8 + 4 + f.fm.horizontalAdvance(label));
    if (!f.paint)
        return;
    for (int i = 0; i < 3; ++i)
        f.p.fillRect(QRectF(at.x() + i * f.swatch * 0.6, at.y() + (f.fm.height() - f.swatch) / 2, f.swatch * 0.6, f.swatch),
            task_color(std::size_t(i)));
    f.draw_label(at, f.swatch * 1.8, label);
}

// The marks at the end of a row's label: done, failed, cancelled.
void add_end_mark_entries(LegendFlow& f)
{
    const double swatch = f.swatch;
    for (const State s : { State::Done, State::Failed, State::Cancelled }) {
        const QString label = state_label(s);
        const QPointF at = f.place(swatch + 4 + f.fm.horizontalAdvance(label));
        if (!f.paint)
            continue;
        const QRectF mark(at.x(), at.y() + (f.fm.height() - swatch) / 2, swatch, swatch);
        f.p.setPen(QPen(state_color(s), std::max(1.5, swatch / 5)));
        if (s == State::Done) {
            f.p.drawLine(QPointF(mark.left(), mark.center().y()), QPointF(mark.left() + swatch * 0.4, mark.bottom()));
            f.p.drawLine(QPointF(mark.left() + swatch * 0.4, mark.bottom()), mark.topRight());
        } else if (s == State::Failed) {
            f.p.drawLine(mark.topLeft(), mark.bottomRight());
            f.p.drawLine(mark.topRight(), mark.bottomLeft());
        } else {
            f.p.fillRect(mark.adjusted(2, 2, -2, -2), state_color(s));
        }
        f.draw_label(at, swatch, label);
    }
}

} // namespace

double paint_legend(QPainter& p, const QRectF& area, const QFont& font, bool paint, LegendOptions options)
{
    const QString more = QCoreApplication::translate("timeslice::ui::Legend", "… more: hover here");
    const QFontMetricsF fm(font);
    QRectF room = area;
    if (options.one_line)
        room.setRight(area.right() - fm.horizontalAdvance(more) - fm.height());
    LegendFlow flow(p, room, font, paint);
    if (paint) {
        p.save();
        p.setFont(font);
        if (options.one_line)
            p.setClipRect(QRectF(room.left(), room.top(), room.width(), fm.height() * 1.2));
    }
    add_state_entries(flow);
    if (options.gil_released)
        add_gil_released_entry(flow);
    if (options.predicted)
        add_predicted_entry(flow);
    add_merged_entry(flow);
    if (options.core_lanes)
        add_core_lanes_entry(flow);
    add_end_mark_entries(flow);
    const bool cut = options.one_line && flow.height() > fm.height() * 1.2;
    if (paint) {
        p.restore();
        if (cut) {
            p.save();
            p.setFont(font);
            p.setPen(QColor(0x50, 0x50, 0x50));
            p.drawText(QPointF(area.right() - fm.horizontalAdvance(more), area.top() + fm.ascent()), more);
            p.restore();
        }
    }
    return options.one_line ? fm.height() : flow.height();
}

double paint_legend_height(const QFont& font, double width, LegendOptions options)
{
    QImage probe(1, 1, QImage::Format_ARGB32);
    QPainter measure(&probe);
    return paint_legend(measure, QRectF(0, 0, width, 1000), font, false, options);
}

} // namespace timeslice::ui
