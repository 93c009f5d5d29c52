#pragma once

#include "ui/time_map.h"

#include <string>
#include <vector>

namespace timeslice::ui {

struct Tick {
    Nanos t = 0;
    double x = 0;
    std::string label;
};

// A 1-2-5 step between ticks so labels stand at least `min_spacing` pixels apart.
Nanos tick_step(const TimeMap& map, double min_spacing);
// Ticks within the map's range, labelled in the unit that suits the step (s, ms, µs, ns).
std::vector<Tick> compute_ticks(const TimeMap& map, double min_spacing = 90);
// "1.5 s", "250 ms", "12 µs", "800 ns": `t` written with as many decimals as `step` needs.
std::string format_time(Nanos t, Nanos step);
// A duration for people: "5.003 s", "12.4 ms", "830 µs".
std::string format_duration(Nanos d);

} // namespace timeslice::ui
