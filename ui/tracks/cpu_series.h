#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/time_map.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>

#include <vector>

namespace timeslice::ui {

// What the CPU chart shows of a trace, for the window and the exports alike: the run's own use
// of each core when the kernel measured it (and, apart, everything else the machine did), else the
// whole machine's as /proc/stat counts it.
struct CpuChartContent {
    bool own = false; // the samples carry the run's own use
    std::size_t cores = 0;
    QString title; // "CPU use of this run (kernel data: exact)"
};
CpuChartContent cpu_chart_content(const Trace& trace);

// One line of the chart. Core lines and the total are the run's own use when `own`.
enum class CpuLine { Core, Total, Other };
float cpu_value(const CpuSample& sample, CpuLine line, std::size_t core, bool own);

// The colour and width of each line: cores by core_color, the total near black, everything else grey.
QColor cpu_line_color(CpuLine line, std::size_t core);
double cpu_line_width(CpuLine line);

// The points a line shows for `range` at `pixels` columns, as a step line in seconds (each
// sample holds over the interval since the previous one): samples outside are dropped, each
// column keeps its busiest sample. The window's series and the exports both draw these.
QList<QPointF> cpu_steps(
    const std::vector<CpuSample>& samples, CpuLine line, std::size_t core, bool own, TimeRange range, int pixels);

// The same for several lines at once, in one pass over the samples (each sample's per-core
// values are read once, not once per line): what the chart paints.
struct CpuLineId {
    CpuLine line = CpuLine::Total;
    std::size_t core = 0;
};
std::vector<QList<QPointF>> cpu_steps(
    const std::vector<CpuSample>& samples, const std::vector<CpuLineId>& lines, bool own, TimeRange range, int pixels);

} // namespace timeslice::ui
