#include "ui/tracks/zoom_state.h"

#include <cmath>

namespace timeslice::ui {

ZoomState::ZoomState(QObject* parent)
    : QObject(parent)
{
}

TimeRange ZoomState::clamp(TimeRange r) const
{
    Nanos span = std::max(kMinSpan, r.end - r.start);
    // Let the view go a little past the run on either side, never far.
    const Nanos slack = (m_bounds.end - m_bounds.start) / 20;
    const Nanos lo = m_bounds.start - slack;
    const Nanos hi = m_bounds.end + slack;
    span = std::min(span, hi - lo);
    Nanos start = std::clamp(r.start, lo, hi - span);
    return TimeRange { start, start + span };
}

void ZoomState::setPlayhead(std::optional<Nanos> at)
{
    if (at == m_playhead)
        return;
    m_playhead = at;
    Q_EMIT playheadChanged();
}

void ZoomState::setBounds(TimeRange bounds)
{
    m_bounds = TimeRange { bounds.start, std::max(bounds.start + kMinSpan, bounds.end) };
    if (m_following)
        setRange(m_bounds);
}

void ZoomState::setRange(TimeRange range)
{
    const TimeRange r = clamp(range);
    if (r == m_range)
        return;
    m_range = r;
    Q_EMIT rangeChanged(m_range);
}

void ZoomState::fit()
{
    m_following = true;
    setRange(m_bounds);
    Q_EMIT fitted();
}

void ZoomState::zoomTo(TimeRange range)
{
    m_following = false;
    setRange(range);
}

void ZoomState::zoomAt(Nanos anchor, double factor)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    m_following = false;
    const double span = double(m_range.end - m_range.start) / factor;
    const double ratio = double(anchor - m_range.start) / double(std::max<Nanos>(1, m_range.end - m_range.start));
    const Nanos start = anchor - Nanos(std::llround(span * ratio));
    setRange(TimeRange { start, start + std::max(kMinSpan, Nanos(std::llround(span))) });
}

void ZoomState::panBy(Nanos delta)
{
    m_following = false;
    setRange(TimeRange { m_range.start + delta, m_range.end + delta });
}

} // namespace timeslice::ui
