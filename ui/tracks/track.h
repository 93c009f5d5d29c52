#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/time_map.h"

#include <QFont>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

class QPainter;

namespace timeslice::ui {

// A kind of band drawn under the task rows on their time axis: the CPU lanes, the CPU plot.
// Like Tracy's TimelineItem it is what to draw, not where: the window gives each kind a
// TrackView (zoom, pan, hover, crosshair, playhead and scrolling shared), the exports a place in
// their layout, and both paint it with paint(), so the screen and a PNG, SVG or PDF agree.
// A new kind is a subclass in its own file and a line in track_kinds() (track_kinds.cpp).

// Where a track paints: its band and the timeline's time map (the plot runs from map.x0; the
// labels go in the first `label_width` pixels), the fonts for its labels, and which of its rows
// show, how tall.
struct TrackFrame {
    QRectF area;
    TimeMap map;
    double label_width = 0;
    QFont font;
    QFont small;
    int first_row = 0;
    double row_height = 0;
    // Far below the timeline's axis (a tall export): the track labels the time itself.
    bool time_axis = false;
};

// How much of an exported picture a track takes, in pixels of a 1600×900 picture (the layout
// scales them with its size).
struct ExportRoom {
    double gap = 10; // above the track
    // A track of rows gets `per_row` each, at most `share` of the room left under the header;
    // one band instead takes what the task rows leave, between `least` and `most`.
    double per_row = 0;
    double share = 0.25;
    double least = 80;
    double most = 320;
};

class Track {
public:
    virtual ~Track() = default;

    // Its widget's object name in the window ("coreLanes", "cpuChart").
    virtual QString name() const = 0;
    // Whether it has a place for this trace. Nothing measured, nothing drawn: the lanes need the
    // kernel's records; a foreign trace has no CPU samples.
    virtual bool shown(const Trace& trace) const = 0;
    // How many rows it has (lanes, each on its own line); 0 for one band.
    virtual int rows(const Trace&) const { return 0; }
    // In the window: a band fills the lower pane under the rows, a track of rows sits right under
    // the task rows. Only bands are drawn under each run in the compare views.
    bool band() const { return exportRoom().per_row <= 0; }
    virtual ExportRoom exportRoom() const = 0;

    // Paints the track in `frame` (every row that fits from frame.first_row).
    virtual void paint(QPainter& p, const TrackFrame& frame, const Trace& trace) const = 0;
    // What it says at `pos`, in rich text; empty where there is nothing.
    virtual QString tooltip(const TrackFrame& frame, const Trace& trace, QPointF pos) const = 0;
};

// Every track kind, in the order they stand under the task rows. The window, the compare
// window and the exports all read this list.
const std::vector<const Track*>& track_kinds();

// The kind of that name, or nullptr.
const Track* track_kind(const QString& name);

} // namespace timeslice::ui
