#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/draw_list.h"

#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>

class QPainter;

namespace timeslice::ui {

// The rows of a foreign trace (see ForeignTrace): each span in a colour of its name, with the
// name inside when it fits; a block of spans too narrow to draw in grey.
QColor span_name_color(std::uint32_t name);
void paint_foreign_span(QPainter& p, const Trace& trace, const DrawRect& r, const QRectF& bar, const QFont& font);

// The span's name, row, start and duration, for the tooltip.
QString foreign_span_tooltip(const Trace& trace, int row, std::size_t span, Nanos resolution);

// "Node.js trace, read-only: 3 threads in 5 rows (nested spans one row deeper); not understood:
// 12 events with ph 'b' (async)".
QString foreign_summary(const Trace& trace);

} // namespace timeslice::ui
