#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/time_map.h"

#include <QFont>
#include <QRectF>

class QPainter;

namespace timeslice::ui {

// Per-core CPU usage as lines over the same time axis (used in exported images; the window
// uses Qt Charts). `map` must be the timeline's, so the two agree to the pixel.
void paint_cpu_plot(QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map, const QFont& font);

} // namespace timeslice::ui
