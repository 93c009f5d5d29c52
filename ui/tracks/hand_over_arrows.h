#pragma once

#include "ui/tracks/hand_overs.h"
#include "ui/tracks/timeline_painter.h"

#include <QRectF>

#include <cstddef>
#include <vector>

class QPainter;

namespace timeslice::ui {

// Hand-over arrows (hand_overs.h) are drawn at least this many pixels apart, at most this many.
inline constexpr double kHandOverMinPixels = 6;
inline constexpr std::size_t kHandOverMaxCount = 400;

// Over what paint_timeline drew with the same arguments: an arrow for each hand-over of `all`
// (hand_overs() of this trace) from a dot at its `from` time on the centre of the giver's row to
// a head at its `to` time on the centre of the taker's, culled by visible_hand_overs. An arrow
// that passes over other rows bows aside, further the more rows it crosses, so it is not read as
// starting or ending on a row it crosses. One whose either row is not drawn (scrolled away, or
// cut off above its centre) is left out. Returns how many were drawn.
std::size_t paint_hand_overs(QPainter& p, const QRectF& area, const TimelineStyle& style, TimeRange range, int first_row,
    int row_count, const std::vector<HandOver>& all);

// How far aside (pixels, to the left: earlier) the middle of an arrow spanning `rows` rows of
// `row_height` bows; 0 for neighbouring rows.
double hand_over_bow(std::size_t rows, double row_height);

} // namespace timeslice::ui
