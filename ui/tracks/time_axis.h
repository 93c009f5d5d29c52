#pragma once

#include "ui/tracks/time_map.h"

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
// At a deep zoom absolute labels grow long and run into each other ("138735.2 µs138735.4 µs"):
// then, as Perfetto and Tracy do, they count from a round reference the axis names once. 0 when
// absolute labels are short enough. The reference moves only every 100 steps, so panning does
// not make the labels jump.
Nanos axis_reference(const TimeMap& map, Nanos step);
// Ticks within the map's range, labelled in the unit that suits the step (s, ms, µs, ns); from
// axis_reference() with a "+" when there is one.
std::vector<Tick> compute_ticks(const TimeMap& map, double min_spacing = 90);
// "1.5 s", "250 ms", "12 µs", "800 ns": `t` written with as many decimals as `step` needs.
std::string format_time(Nanos t, Nanos step);
// A duration for people: "5.003 s", "12.4 ms", "830 µs".
std::string format_duration(Nanos d);
// A moment, in the unit its size calls for (as format_duration does), to `resolution`:
// "138.735 ms", "2.5 s", "830 µs". Tooltips and the axis reference use it.
std::string format_instant(Nanos t, Nanos resolution);

} // namespace timeslice::ui
