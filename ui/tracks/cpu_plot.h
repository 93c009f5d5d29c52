#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/cpu_series.h"
#include "ui/tracks/time_map.h"

#include <QFont>
#include <QFontMetricsF>
#include <QRectF>

#include <vector>

class QPainter;

namespace timeslice::ui {

// Per-core CPU usage as step lines over the timeline's time axis, with what they are in the
// label column and their key: the window's CPU track and the exports both paint this. `map`
// must be the timeline's, so the two agree to the pixel.
// The plot's key, left to right as painted: the total, everything else and each core, as many as
// fit in `plot_width` (a narrow window's plot keeps the total and names the rest in its tooltip).
struct CpuKeyEntry {
    CpuLine line;
    std::size_t core;
    QString text;
};
std::vector<CpuKeyEntry> cpu_key(const CpuChartContent& content, double plot_width, const QFontMetricsF& fm);

// With `time_axis`, the time under the plot too, for a plot far below the timeline's axis.
void paint_cpu_plot(
    QPainter& p, const QRectF& area, const Trace& trace, const TimeMap& map, const QFont& font, bool time_axis = false);

} // namespace timeslice::ui
