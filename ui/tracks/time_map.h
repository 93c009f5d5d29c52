#pragma once

#include "core/base/clock.h"

#include <algorithm>
#include <cmath>

namespace timeslice::ui {

// A span of time on the trace's clock, [start, end): what a view shows.
struct TimeRange {
    Nanos start = 0;
    Nanos end = 1;
    bool operator==(const TimeRange&) const = default;
};

// Maps the time range [start, end) onto the pixel range [x0, x0 + width). Shared by the timeline,
// its axis and the CPU chart so that all three agree to the pixel.
struct TimeMap {
    Nanos start = 0;
    Nanos end = 1;
    double x0 = 0;
    double width = 1;

    Nanos duration() const noexcept { return std::max<Nanos>(1, end - start); }
    double nanos_per_pixel() const noexcept { return double(duration()) / std::max(1.0, width); }
    double to_x(Nanos t) const noexcept { return x0 + double(t - start) * width / double(duration()); }
    Nanos to_time(double x) const noexcept
    {
        return start + Nanos(std::llround((x - x0) * double(duration()) / std::max(1.0, width)));
    }
    bool operator==(const TimeMap&) const = default;
};

} // namespace timeslice::ui
