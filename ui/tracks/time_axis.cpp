#include "ui/tracks/time_axis.h"

#include <algorithm>
#include <cstdio>

namespace timeslice::ui {

Nanos tick_step(const TimeMap& map, double min_spacing)
{
    const double raw = map.nanos_per_pixel() * min_spacing;
    Nanos magnitude = 1;
    while (double(magnitude) * 10 <= raw && magnitude < Nanos(1e17))
        magnitude *= 10;
    for (const Nanos m : { 1, 2, 5, 10 }) {
        if (double(magnitude * m) >= raw)
            return magnitude * m;
    }
    return magnitude * 10;
}

namespace {

struct Unit {
    Nanos size;
    const char* name;
};

// The largest of s, ms, µs and ns that `magnitude` (in ns) reaches.
Unit unit_for(double magnitude)
{
    if (magnitude >= 1e9)
        return { 1'000'000'000, "s" };
    if (magnitude >= 1e6)
        return { 1'000'000, "ms" };
    if (magnitude >= 1e3)
        return { 1'000, "µs" };
    return { 1, "ns" };
}

// `t` in `unit`, with as many decimals as `resolution` needs.
std::string in_unit(Nanos t, Unit unit, Nanos resolution)
{
    int decimals = 0;
    for (Nanos s = std::max<Nanos>(1, resolution); s < unit.size && decimals < 9; s *= 10)
        ++decimals;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f %s", decimals, double(t) / double(unit.size), unit.name);
    return buf;
}

} // namespace

std::string format_time(Nanos t, Nanos step)
{
    // The unit follows the step: ticks 200 ms apart read "0.2 s, 0.4 s"; 5 ms apart, "5 ms, 10 ms".
    return in_unit(t, unit_for(double(step) * 10), step);
}

std::string format_duration(Nanos d)
{
    char buf[48];
    const double a = double(d < 0 ? -d : d);
    if (a >= 1e9)
        std::snprintf(buf, sizeof buf, "%.3f s", double(d) / 1e9);
    else if (a >= 1e6)
        std::snprintf(buf, sizeof buf, "%.3g ms", double(d) / 1e6);
    else if (a >= 1e3)
        std::snprintf(buf, sizeof buf, "%.3g µs", double(d) / 1e3);
    else
        std::snprintf(buf, sizeof buf, "%lld ns", (long long)d);
    return buf;
}

std::string format_instant(Nanos t, Nanos resolution)
{
    return in_unit(t, unit_for(double(t < 0 ? -t : t)), resolution);
}

Nanos axis_reference(const TimeMap& map, Nanos step)
{
    // Up to four digits read at a glance ("1250 ms"); past that, count from a reference.
    const Nanos largest = std::max(map.start < 0 ? -map.start : map.start, map.end < 0 ? -map.end : map.end);
    if (step <= 0 || largest / step < 10'000)
        return 0;
    const Nanos granule = step * 100;
    Nanos reference = map.start / granule * granule;
    if (reference > map.start)
        reference -= granule;
    return reference;
}

std::vector<Tick> compute_ticks(const TimeMap& map, double min_spacing)
{
    std::vector<Tick> ticks;
    const Nanos step = tick_step(map, min_spacing);
    const Nanos reference = axis_reference(map, step);
    Nanos first = map.start / step * step;
    if (first < map.start)
        first += step;
    for (Nanos t = first; t <= map.end && ticks.size() < 1000; t += step)
        ticks.push_back(Tick { t, map.to_x(t), (reference ? "+" : "") + format_time(t - reference, step) });
    return ticks;
}

} // namespace timeslice::ui
