#include "ui/tracks/cpu_series.h"

#include "ui/style/palette.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace timeslice::ui {

CpuChartContent cpu_chart_content(const Trace& trace)
{
    CpuChartContent c;
    if (!trace.cpu.empty())
        c.cores = trace.cpu.front().per_core.size();
    if (trace.cpu.empty()) {
        // Nothing measured, nothing drawn: no lines, no key, and a word why.
        c.title = QStringLiteral("No CPU data in this trace");
        return c;
    }
    c.own = std::any_of(trace.cpu.begin(), trace.cpu.end(), [](const CpuSample& s) { return !s.own_per_core.empty(); });
    if (c.own) {
        const std::string_view source = kernel_source_name(trace.kernel.source);
        c.title = QStringLiteral("CPU use of this run (kernel data: %1)")
                      .arg(QString::fromUtf8(source.data(), qsizetype(source.size())));
    } else {
        c.title = QStringLiteral("CPU use of the whole machine (/proc/stat; no kernel data)");
    }
    return c;
}

float cpu_value(const CpuSample& s, CpuLine line, std::size_t core, bool own)
{
    switch (line) {
    case CpuLine::Core: {
        const std::vector<float>& values = own ? s.own_per_core : s.per_core;
        return core < values.size() ? values[core] : 0.0f;
    }
    case CpuLine::Total:
        return own ? std::max(0.0f, s.own_total) : s.total;
    case CpuLine::Other:
        // A sample the kernel did not cover (own_total -1) says nothing about other programs.
        return s.own_total < 0 ? 0.0f : std::max(0.0f, s.total - s.own_total);
    }
    return 0.0f;
}

QColor cpu_line_color(CpuLine line, std::size_t core)
{
    switch (line) {
    case CpuLine::Core:
        return core_color(core);
    case CpuLine::Total:
        return QColor(0x20, 0x20, 0x20);
    case CpuLine::Other:
        return QColor(0xA0, 0xA0, 0xA0);
    }
    return Qt::magenta;
}

double cpu_line_width(CpuLine line) { return line == CpuLine::Core ? 1.3 : 2.2; }

QList<QPointF> cpu_steps(
    const std::vector<CpuSample>& samples, CpuLine line, std::size_t core, bool own, TimeRange range, int pixels)
{
    QList<QPointF> points;
    if (samples.empty() || pixels <= 0)
        return points;
    // One sample either side of the range, so the line reaches the edges.
    auto first = std::lower_bound(
        samples.begin(), samples.end(), range.start, [](const CpuSample& s, Nanos t) { return s.t < t; });
    if (first != samples.begin())
        --first;
    auto last = std::upper_bound(
        samples.begin(), samples.end(), range.end, [](Nanos t, const CpuSample& s) { return t < s.t; });
    if (last != samples.end())
        ++last;
    struct Step {
        Nanos from, to;
        double value;
    };
    std::vector<Step> steps;
    const double span = double(std::max<Nanos>(1, range.end - range.start));
    long column = LONG_MIN;
    for (auto it = first; it != last; ++it) {
        // The first sample of a run covers the sampler's first interval, taken as 50 ms at most.
        const Nanos from = it == samples.begin() ? std::max<Nanos>(0, it->t - 50 * kNanosPerMilli) : std::prev(it)->t;
        const double value = std::clamp(double(cpu_value(*it, line, core, own)), 0.0, 100.0);
        const long c = long(std::floor(double(it->t - range.start) / span * pixels));
        if (c == column && !steps.empty()) {
            steps.back().to = it->t;
            steps.back().value = std::max(steps.back().value, value);
        } else {
            steps.push_back(Step { from, it->t, value });
            column = c;
        }
    }
    points.reserve(qsizetype(steps.size() * 2));
    for (const Step& s : steps) {
        points.append(QPointF(to_seconds(s.from), s.value));
        points.append(QPointF(to_seconds(s.to), s.value));
    }
    return points;
}

} // namespace timeslice::ui
