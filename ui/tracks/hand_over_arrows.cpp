// Responsible for the hand-over arrows over the task rows, in the window and the exports.
#include "ui/tracks/hand_over_arrows.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

double hand_over_bow(std::size_t rows, double row_height)
{
    if (rows <= 1)
        return 0;
    return std::min(60.0, std::max(8.0, row_height * 0.45 * double(rows - 1)));
}

std::size_t paint_hand_overs(QPainter& p, const QRectF& area, const TimelineStyle& style, TimeRange range, int first_row,
    int row_count, const std::vector<HandOver>& all)
{
    if (all.empty() || row_count <= 0)
        return 0;
    const QRectF plot = timeline_plot_rect(area, style);
    const TimeMap map = timeline_time_map(area, style, range);
    // The rows paint_timeline drew, less a last one cut off above its centre.
    const int rows_fit = int(std::ceil(plot.height() / style.row_height));
    int last_row = std::min(row_count, first_row + rows_fit);
    const auto centre = [&](std::size_t row) { return plot.top() + (double(row) - first_row + 0.5) * style.row_height; };
    while (last_row > first_row && centre(std::size_t(last_row - 1)) > plot.bottom())
        --last_row;
    if (last_row <= first_row)
        return 0;
    const auto shown = [&](std::size_t row) { return int(row) >= first_row && int(row) < last_row; };
    // With rows out of sight, their arrows go before the culling, so they take no room from others.
    std::vector<HandOver> in_rows;
    const std::vector<HandOver>* pool = &all;
    if (first_row > 0 || last_row < row_count) {
        auto it = std::lower_bound(all.begin(), all.end(), map.start, [](const HandOver& h, Nanos t) { return h.to < t; });
        for (; it != all.end() && it->to <= map.end; ++it)
            if (shown(it->from_row) && shown(it->to_row))
                in_rows.push_back(*it);
        pool = &in_rows;
    }
    const std::vector<HandOver> arrows = visible_hand_overs(*pool, map, kHandOverMinPixels, kHandOverMaxCount);
    if (arrows.empty())
        return 0;

    p.save();
    p.setClipRect(plot.adjusted(0, 0, 1, 0));
    p.setRenderHint(QPainter::Antialiasing, true);
    const double head = std::clamp(style.row_height * 0.3, 4.0, 9.0);
    const double width = std::max(1.2, head / 5);
    QPen halo(QColor(255, 255, 255, 170), width + 2);
    QPen line(QColor(0x10, 0x10, 0x10), width);
    halo.setCapStyle(Qt::FlatCap);
    line.setCapStyle(Qt::FlatCap);
    const QColor fill(0x10, 0x10, 0x10);
    for (const HandOver& h : arrows) {
        QPointF from(map.to_x(h.from), centre(h.from_row));
        const QPointF to(map.to_x(h.to), centre(h.to_row));
        // A start far left of the plot (deep zoom) moves along the line to its edge.
        const double left = plot.left() - 2 * head;
        if (from.x() < left && to.x() > from.x())
            from = QPointF(left, from.y() + (to.y() - from.y()) * (left - from.x()) / (to.x() - from.x()));
        const std::size_t rows = h.from_row > h.to_row ? h.from_row - h.to_row : h.to_row - h.from_row;
        // Over rows between, a quadratic curve through a control point aside of the middle.
        const QPointF control = (from + to) / 2 - QPointF(2 * hand_over_bow(rows, style.row_height), 0);
        const QPointF d = to - control;
        const double length = std::hypot(d.x(), d.y());
        const QPointF u = length > 0.5 ? d / length : QPointF(1, 0);
        const QPointF n(-u.y(), u.x());
        const QPointF base = to - u * head;
        if (std::hypot(to.x() - from.x(), to.y() - from.y()) > head) {
            QPainterPath path(from);
            path.quadTo(control, base + u * 0.5);
            p.setBrush(Qt::NoBrush);
            p.setPen(halo);
            p.drawPath(path);
            p.setPen(line);
            p.drawPath(path);
        }
        // The giver's end: a dot, so an arrow's start is never taken for a crossing.
        p.setPen(QPen(QColor(255, 255, 255, 170), 1));
        p.setBrush(fill);
        p.drawEllipse(from, head * 0.3, head * 0.3);
        const QPointF tip[] = { to, base + n * head * 0.45, base - n * head * 0.45 };
        p.drawPolygon(tip, 3);
    }
    p.restore();
    return arrows.size();
}

} // namespace timeslice::ui
