// Responsible for the list of track kinds the window, the compare window and the exports read.
#include "ui/tracks/track.h"

namespace timeslice::ui {

// Each kind's one instance, defined beside its painting.
const Track& core_lanes_track(); // core_lanes.cpp
const Track& cpu_track(); // cpu_plot.cpp

const std::vector<const Track*>& track_kinds()
{
    static const std::vector<const Track*> kinds { &core_lanes_track(), &cpu_track() };
    return kinds;
}

const Track* track_kind(const QString& name)
{
    for (const Track* track : track_kinds()) {
        if (track->name() == name)
            return track;
    }
    return nullptr;
}

} // namespace timeslice::ui
