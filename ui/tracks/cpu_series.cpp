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
    return std::move(cpu_steps(samples, { CpuLineId { line, core } }, own, range, pixels).front());
}

std::vector<QList<QPointF>> cpu_steps(
    const std::vector<CpuSample>& samples, const std::vector<CpuLineId>& lines, bool own, TimeRange range, int pixels)
{
    std::vector<QList<QPointF>> out(lines.size());
    if (samples.empty() || pixels <= 0)
        return out;
    // One sample either side of the range, so the line reaches the edges.
    auto first = std::lower_bound(
        samples.begin(), samples.end(), range.start, [](const CpuSample& s, Nanos t) { return s.t < t; });
    if (first != samples.begin())
        --first;
    auto last = std::upper_bound(
        samples.begin(), samples.end(), range.end, [](Nanos t, const CpuSample& s) { return t < s.t; });
    if (last != samples.end())
        ++last;
    // Each pixel column's busiest sample per line: the columns' times are shared by every line.
    struct Column {
        Nanos from, to;
    };
    std::vector<Column> columns;
    std::vector<double> values; // columns x lines
    const double span = double(std::max<Nanos>(1, range.end - range.start));
    const std::size_t n = lines.size();
    long column = LONG_MIN;
    for (auto it = first; it != last; ++it) {
        // The first sample of a run covers the sampler's first interval, taken as 50 ms at most.
        const Nanos from = it == samples.begin() ? std::max<Nanos>(0, it->t - 50 * kNanosPerMilli) : std::prev(it)->t;
        const long c = long(std::floor(double(it->t - range.start) / span * pixels));
        const bool same = c == column && !columns.empty();
        if (same) {
            columns.back().to = it->t;
        } else {
            columns.push_back(Column { from, it->t });
            values.resize(values.size() + n, 0.0);
            column = c;
        }
        double* row = values.data() + (columns.size() - 1) * n;
        for (std::size_t k = 0; k < n; ++k) {
            const double v = std::clamp(double(cpu_value(*it, lines[k].line, lines[k].core, own)), 0.0, 100.0);
            row[k] = same ? std::max(row[k], v) : v;
        }
    }
    for (std::size_t k = 0; k < n; ++k) {
        QList<QPointF>& points = out[k];
        points.reserve(qsizetype(columns.size() * 2));
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const double v = values[i * n + k];
            points.append(QPointF(to_seconds(columns[i].from), v));
            points.append(QPointF(to_seconds(columns[i].to), v));
        }
    }
    return out;
}

} // namespace timeslice::ui
