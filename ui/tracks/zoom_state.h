#pragma once

#include "ui/tracks/time_map.h"

#include <QObject>

#include <optional>

namespace timeslice::ui {

// The visible time range, shared by the timeline and the CPU chart, and the playhead's instant
// across them. Zoom, pan and the playhead are state with a signal, not painting code: whoever
// changes them, every view follows.
class ZoomState : public QObject {
    Q_OBJECT
public:
    explicit ZoomState(QObject* parent = nullptr);

    TimeRange range() const { return m_range; }
    // The whole run; "fit" shows it. While following, the range grows with a live run.
    TimeRange bounds() const { return m_bounds; }
    bool following() const { return m_following; }

    void setBounds(TimeRange bounds);
    void setRange(TimeRange range);
    void fit();
    // Shows `range` (a selection), no longer following a live run's end.
    void zoomTo(TimeRange range);
    // Zooms by `factor` (> 1 zooms in) keeping the time under `anchor` where it is.
    void zoomAt(Nanos anchor, double factor);
    void panBy(Nanos delta);

    static constexpr Nanos kMinSpan = 1000; // 1 µs across the whole view

    // The playhead: an instant of the run every view draws a line at, while it is shown.
    std::optional<Nanos> playhead() const { return m_playhead; }
    void setPlayhead(std::optional<Nanos> at);

Q_SIGNALS:
    void rangeChanged(timeslice::ui::TimeRange range);
    // fit() was asked for: views go back to their first rows too.
    void fitted();
    void playheadChanged();

private:
    TimeRange clamp(TimeRange r) const;
    TimeRange m_range { 0, kNanosPerSecond };
    TimeRange m_bounds { 0, kNanosPerSecond };
    bool m_following = true;
    std::optional<Nanos> m_playhead;
};

} // namespace timeslice::ui
