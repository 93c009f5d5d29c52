#include "ui/tracks/timeline_view.h"
#include "ui/tracks/tooltip.h"
#include "ui/tracks/foreign_rows.h"
#include "ui/tracks/hand_over_arrows.h"

#include "ui/tracks/core_lanes.h"
#include "ui/style/palette.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/zoom_state.h"

#include "core/analysis/wait_summary.h"

#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>

#include <cmath>

namespace timeslice::ui {

namespace {
const QColor kFoundColor(0xB0, 0x60, 0x00); // found rows' mark: dark amber, readable beside dark text
}

bool same_run(const Trace& a, const Trace& b)
{
    if (a.live_run != 0 && a.live_run == b.live_run)
        return true;
    return a.info.workload == b.info.workload && a.info.model == b.info.model && a.info.date == b.info.date
        && a.info.gil == b.info.gil && a.tasks.size() == b.tasks.size()
        && std::equal(a.tasks.begin(), a.tasks.end(), b.tasks.begin(), [](const TaskTrace& x, const TaskTrace& y) { return x.name == y.name; });
}

TimelineView::TimelineView(ZoomState* zoom, QWidget* parent)
    : QWidget(parent)
    , m_zoom(zoom)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setObjectName(QStringLiteral("timeline"));
    m_style.font = font();
    m_style.row_height = std::max(22.0, QFontMetricsF(font()).height() * 1.7);
    connect(m_zoom, &ZoomState::rangeChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::playheadChanged, this, qOverload<>(&QWidget::update));
    connect(m_zoom, &ZoomState::fitted, this, [this] { setFirstRow(0); });
    // Shift+wheel alone was the only way through many rows; a scroll bar shows where one is.
    m_rows_bar = new QScrollBar(Qt::Vertical, this);
    m_rows_bar->setObjectName(QStringLiteral("timelineRows"));
    m_rows_bar->setVisible(false);
    connect(m_rows_bar, &QScrollBar::valueChanged, this, &TimelineView::setFirstRow);
}

int TimelineView::rowsFit() const
{
    const double rows_height = timeline_plot_rect(timelineArea(), m_style).height();
    return std::max(1, int(rows_height / m_style.row_height));
}

void TimelineView::setFirstRow(int row)
{
    // Never past the point where the last row is at the bottom: the view stays full.
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const int first = std::clamp(row, 0, std::max(0, rows - rowsFit()));
    if (first != m_first_row) {
        m_first_row = first;
        update();
    }
    m_rows_bar->setValue(m_first_row);
}

void TimelineView::updateRowsBar()
{
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const int fit = rowsFit();
    const bool needed = rows > fit;
    const int width = m_rows_bar->sizeHint().width();
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    m_rows_bar->setGeometry(QRect(this->width() - width, int(plot.top()), width, int(plot.height())));
    m_rows_bar->setRange(0, std::max(0, rows - fit));
    m_rows_bar->setPageStep(fit);
    if (needed != m_rows_bar->isVisible()) {
        m_rows_bar->setVisible(needed);
        updateRowHeight();
        Q_EMIT plotGeometryChanged(); // the bar takes width from the plot
    }
    setFirstRow(m_first_row);
}

void TimelineView::setTrace(std::shared_ptr<const Trace> trace)
{
    const bool same_run = trace && m_trace && ui::same_run(*trace, *m_trace);
    if (trace != m_trace) {
        // Worked out again when next drawn, not for each of a live run's snapshots unseen.
        m_hand_overs_stale = true;
        m_hand_overs.clear();
    }
    m_trace = std::move(trace);
    // A selected span stays selected while the same run grows; another run clears it.
    if (!same_run || !span(m_selected)) {
        const bool had = m_selected.valid();
        m_selected = SpanRef {};
        if (had)
            Q_EMIT spanSelected(m_selected);
    }
    if (!same_run && m_selection) {
        m_selection.reset();
        Q_EMIT selectionChanged();
    }
    if (!m_trace || m_find_row >= int(m_trace->tasks.size()))
        m_find_row = -1;
    m_span_times = m_trace ? SpanTimes(*m_trace) : SpanTimes();
    m_gil_released = m_trace && ran_without_gil(*m_trace);
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    m_first_row = std::clamp(m_first_row, 0, std::max(0, rows - 1));
    updateRowHeight();
    updateRowsBar();
    // A live run's rows come as it goes: the labels are measured again when their count changes.
    if ((!same_run || rows != m_labelled_rows) && updateLabelWidth())
        Q_EMIT plotGeometryChanged();
    update();
}

void TimelineView::setLabelWidthFloor(double width)
{
    m_label_floor = width;
    if (updateLabelWidth()) {
        Q_EMIT plotGeometryChanged();
        update();
    }
}

bool TimelineView::updateLabelWidth()
{
    m_labelled_rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const double least = 150;
    const double most = timelineArea().width() / 3;
    m_fitted_label_width = m_trace ? fitted_label_width(*m_trace, m_style.font, least, most) : least;
    const double width = std::max(m_fitted_label_width, std::min(m_label_floor, std::max(least, most)));
    if (width == m_style.label_width)
        return false;
    m_style.label_width = width;
    return true;
}

void TimelineView::updateRowHeight()
{
    // A few tasks get tall rows (up to four times the minimum, as tall as an export's at
    // 1600x900), many get the minimum and scroll (Shift+wheel).
    if (m_row_height_setting > 0) {
        m_style.row_height = m_row_height_setting;
        return;
    }
    const double minimum = minimumRowHeight();
    const int rows = m_trace ? std::max<int>(1, int(m_trace->tasks.size())) : 1;
    const double available = timelineArea().height() - m_style.axis_height - 4;
    m_style.row_height = std::clamp(available / rows, minimum, minimum * 4);
}

double TimelineView::minimumRowHeight() const { return std::max(22.0, QFontMetricsF(font()).height() * 1.7); }

int TimelineView::heightToShow(int rows) const
{
    // As updateRowHeight() counts: the rows, the axis, 4 px, and the legend where it is shown.
    double height = std::max(1, rows) * minimumRowHeight() + m_style.axis_height + 4;
    if (m_legend_visible)
        height += paint_legend_height(font(), width() - 16, legendOptions()) + 10;
    return int(std::ceil(height)) + 1;
}

void TimelineView::setHandOversVisible(bool visible)
{
    if (visible == m_hand_overs_visible)
        return;
    m_hand_overs_visible = visible;
    update();
}

void TimelineView::setLegendVisible(bool visible)
{
    m_legend_visible = visible;
    updateRowHeight();
    update();
    Q_EMIT plotGeometryChanged();
}

bool TimelineView::hasCoreLanes() const { return m_trace && core_lane_count(*m_trace) > 0; }

QSize TimelineView::sizeHint() const { return QSize(900, 320); }
QSize TimelineView::minimumSizeHint() const { return QSize(300, 120); }

QRectF TimelineView::timelineArea() const
{
    // The legend takes a strip at the bottom; the rows and the axis get the rest.
    const double bar = m_rows_bar && m_rows_bar->isVisible() ? m_rows_bar->width() : 0;
    if (!m_legend_visible)
        return QRectF(0, 0, width() - bar, height());
    const double legend = paint_legend_height(font(), width() - 16, legendOptions());
    return QRectF(0, 0, width() - bar, std::max(0.0, height() - legend - 10));
}

LegendOptions TimelineView::legendOptions() const
{
    LegendOptions options { hasCoreLanes(), m_gil_released, false, !m_trace || !m_trace->ideal.empty() };
    // More than two lines of legend is more than a small window can give: one line, the rest on
    // hover (the 800x600 window had six lines of legend and six rows).
    const double two_lines = QFontMetricsF(font()).height() * 2.5;
    options.one_line = paint_legend_height(font(), width() - 16, options) > two_lines;
    return options;
}

bool TimelineView::legendIsCompact() const { return m_legend_visible && m_trace && !m_trace->foreign && legendOptions().one_line; }

QString TimelineView::legendTooltip() const
{
    QString text = tr("<b>What the colours mean</b><br>");
    for (int i = 0; i < kSpanStateCount; ++i) {
        const State s = State(i);
        text += QStringLiteral("<span style=\"color:%1\">■</span> <b>%2</b>: %3<br>")
                    .arg(state_color(s).name(), state_label(s), state_explanation(s).toHtmlEscaped());
    }
    text += tr("A dashed box: the schedule the model's rules predict. A tick: done; a cross: failed; a grey "
               "square: stopped. Help → How to read the timeline says more.");
    return text;
}

TimeMap TimelineView::timeMap() const { return timeline_time_map(timelineArea(), m_style, m_zoom->range()); }
double TimelineView::plotLeft() const { return timeline_plot_rect(timelineArea(), m_style).left(); }
double TimelineView::plotWidth() const { return timeline_plot_rect(timelineArea(), m_style).width(); }

Nanos TimelineView::timeAt(double x) const { return timeMap().to_time(x); }

const Span* TimelineView::spanAt(QPointF pos, int* row_out) const
{
    if (!m_trace)
        return nullptr;
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    if (!plot.contains(pos))
        return nullptr;
    const int row = m_first_row + int((pos.y() - plot.top()) / m_style.row_height);
    if (row < 0 || row >= int(m_trace->tasks.size()))
        return nullptr;
    if (row_out)
        *row_out = row;
    const auto& spans = m_trace->tasks[std::size_t(row)].spans;
    const Nanos t = timeAt(pos.x());
    // Within a pixel or two of a span counts, so narrow spans can be pointed at.
    const Nanos slop = Nanos(timeMap().nanos_per_pixel() * 2);
    auto it = std::lower_bound(spans.begin(), spans.end(), t, [](const Span& s, Nanos v) { return s.end <= v; });
    if (it != spans.end() && it->start <= t)
        return &*it;
    if (it != spans.end() && it->start - t <= slop)
        return &*it;
    if (it != spans.begin() && t - std::prev(it)->end <= slop)
        return &*std::prev(it);
    return nullptr;
}

const Span* TimelineView::span(SpanRef ref) const
{
    if (!m_trace || ref.task < 0 || ref.task >= int(m_trace->tasks.size()))
        return nullptr;
    const auto& spans = m_trace->tasks[std::size_t(ref.task)].spans;
    if (ref.index < 0 || ref.index >= int(spans.size()))
        return nullptr;
    return &spans[std::size_t(ref.index)];
}

void TimelineView::selectSpan(SpanRef ref)
{
    if (!span(ref))
        ref = SpanRef {};
    if (ref.valid())
        revealSpan(ref);
    if (ref == m_selected)
        return;
    m_selected = ref;
    update();
    Q_EMIT spanSelected(m_selected);
}

bool TimelineView::stepSpan(int delta)
{
    if (!span(m_selected))
        return false;
    const SpanRef next { m_selected.task, m_selected.index + delta };
    if (!span(next))
        return false;
    selectSpan(next);
    return true;
}

void TimelineView::revealSpan(SpanRef ref)
{
    // Its row in sight, and the span in the visible range: panned there at the same zoom.
    if (ref.task < m_first_row || ref.task >= m_first_row + rowsFit())
        setFirstRow(ref.task - rowsFit() / 2);
    const Span* s = span(ref);
    const TimeRange r = m_zoom->range();
    if (s && (s->end <= r.start || s->start >= r.end)) {
        const Nanos width = r.end - r.start;
        const Nanos middle = s->start + std::min(s->duration(), width) / 2;
        m_zoom->panBy(middle - (r.start + width / 2));
    }
}

void TimelineView::setSelection(std::optional<TimeRange> range)
{
    if (range && range->end < range->start)
        std::swap(range->start, range->end);
    if (range && range->end == range->start)
        range.reset();
    if (range == m_selection)
        return;
    m_selection = range;
    update();
    Q_EMIT selectionChanged();
}

void TimelineView::setFindText(const QString& text)
{
    if (text == m_find)
        return;
    m_find = text;
    m_find_row = -1;
    update();
}

std::vector<int> TimelineView::matchingRows() const
{
    std::vector<int> rows;
    if (!m_trace || m_find.isEmpty())
        return rows;
    const QByteArray needle = m_find.toUtf8().toLower();
    for (std::size_t i = 0; i < m_trace->tasks.size(); ++i) {
        const std::string& name = m_trace->tasks[i].name;
        if (QByteArray::fromRawData(name.data(), qsizetype(name.size())).toLower().contains(needle))
            rows.push_back(int(i));
    }
    return rows;
}

int TimelineView::findNext(int direction)
{
    const std::vector<int> rows = matchingRows();
    if (rows.empty()) {
        m_find_row = -1;
        update();
        return -1;
    }
    int found;
    if (direction >= 0) {
        const auto it = std::upper_bound(rows.begin(), rows.end(), m_find_row);
        found = it == rows.end() ? rows.front() : *it;
    } else {
        const auto it = std::lower_bound(rows.begin(), rows.end(), m_find_row);
        found = it == rows.begin() || m_find_row < 0 ? rows.back() : *std::prev(it);
    }
    m_find_row = found;
    if (found < m_first_row || found >= m_first_row + rowsFit())
        setFirstRow(found - rowsFit() / 2);
    update();
    return found;
}

void TimelineView::setRowHeight(int pixels)
{
    m_row_height_setting = std::max(0, pixels);
    updateRowHeight();
    updateRowsBar();
    update();
}

double TimelineView::rowTop(int row) const
{
    return timeline_plot_rect(timelineArea(), m_style).top() + (row - m_first_row) * m_style.row_height;
}

int TimelineView::rowAt(QPointF pos) const
{
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    if (!m_trace || pos.y() < plot.top() || pos.y() >= plot.bottom())
        return -1;
    const int row = m_first_row + int((pos.y() - plot.top()) / m_style.row_height);
    return row < int(m_trace->tasks.size()) ? row : -1;
}

void TimelineView::setEmptyText(const QString& text)
{
    m_empty_text = text;
    update();
}

QRectF TimelineView::spanRect(SpanRef ref) const
{
    const Span* s = span(ref);
    if (!s)
        return {};
    const TimeMap map = timeMap();
    const QRectF plot = timeline_plot_rect(timelineArea(), m_style);
    const double x0 = std::max(plot.left() - 2, map.to_x(s->start));
    const double x1 = std::min(plot.right() + 2, std::max(x0 + 2, map.to_x(s->end)));
    return QRectF(x0, rowTop(ref.task), x1 - x0, m_style.row_height);
}

void TimelineView::paintOverlays(QPainter& p) const
{
    const QRectF area = timelineArea();
    const QRectF plot = timeline_plot_rect(area, m_style);
    const int rows = m_trace ? int(m_trace->tasks.size()) : 0;
    const int last = std::min(rows, m_first_row + rowsFit() + 1);
    p.save();
    p.setClipRect(QRectF(0, plot.top(), area.width(), plot.height()));
    // Rows found by name: a bar left of their labels, the current one also framed. Nothing is
    // laid over the text (a translucent yellow over it read olive, and hid the green tick).
    for (int row : matchingRows()) {
        if (row < m_first_row || row >= last)
            continue;
        const QRectF label(area.left(), rowTop(row), m_style.label_width, m_style.row_height);
        p.fillRect(QRectF(label.left(), label.top() + 1, 4, label.height() - 2), kFoundColor);
        if (row == m_find_row) {
            p.setPen(QPen(kFoundColor, 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(label.adjusted(1, 1, -1, -1));
        }
    }
    if (const Span* s = span(m_selected); s && m_selected.task >= m_first_row && m_selected.task < last) {
        Q_UNUSED(s);
        p.setClipRect(plot);
        p.setPen(QPen(QColor(0x10, 0x10, 0x10), 2));
        p.setBrush(Qt::NoBrush);
        p.drawRect(spanRect(m_selected).adjusted(-1, 1, 1, -1));
    }
    p.restore();
    if (const auto at = m_zoom->playhead()) {
        // The playhead: a line over the rows, a handle on the axis to grab it by.
        const double x = timeMap().to_x(*at);
        if (x >= plot.left() - 1 && x <= plot.right() + 1) {
            p.save();
            p.setPen(QPen(kPlayheadColor, 2));
            p.drawLine(QPointF(x, area.top()), QPointF(x, plot.bottom()));
            p.setBrush(kPlayheadColor);
            p.setPen(Qt::NoPen);
            const double h = std::min(10.0, m_style.axis_height * 0.5);
            p.drawPolygon(QPolygonF({ QPointF(x - h * 0.7, area.top()), QPointF(x + h * 0.7, area.top()), QPointF(x, area.top() + h) }));
            p.restore();
        }
    }
    if (m_selection) {
        const TimeMap map = timeMap();
        const double x0 = std::clamp(map.to_x(m_selection->start), plot.left(), plot.right());
        const double x1 = std::clamp(map.to_x(m_selection->end), plot.left(), plot.right());
        const QRectF band(x0, area.top(), std::max(1.0, x1 - x0), plot.bottom() - area.top());
        p.fillRect(band, QColor(0x33, 0x66, 0xCC, 40));
        p.setPen(QPen(QColor(0x33, 0x66, 0xCC), 1));
        p.drawLine(QPointF(x0, area.top()), QPointF(x0, plot.bottom()));
        p.drawLine(QPointF(x1, area.top()), QPointF(x1, plot.bottom()));
        const QString length = QString::fromStdString(format_duration(m_selection->end - m_selection->start));
        const QFontMetricsF fm(font());
        const QRectF tag(std::min(x0 + 3, plot.right() - fm.horizontalAdvance(length) - 8), plot.top() + 2,
            fm.horizontalAdvance(length) + 6, fm.height() + 2);
        p.fillRect(tag, QColor(0x33, 0x66, 0xCC));
        p.setPen(Qt::white);
        p.drawText(tag, Qt::AlignCenter, length);
    }
}

QString TimelineView::tooltipAt(QPointF pos) const
{
    if (m_trace && pos.y() > timelineArea().bottom() && legendIsCompact())
        return legendTooltip();
    int row = -1;
    const Span* span = spanAt(pos, &row);
    if (!span)
        return {};
    if (m_trace->foreign)
        return foreign_span_tooltip(*m_trace, row, std::size_t(span - m_trace->tasks[std::size_t(row)].spans.data()),
            std::max<Nanos>(1, Nanos(timeMap().nanos_per_pixel())));
    const TaskTrace& task = m_trace->tasks[std::size_t(row)];
    QString text = QStringLiteral("<b>%1</b> — %2<br>%3<br>start %4, duration %5")
                       .arg(QString::fromStdString(task.name).toHtmlEscaped(), state_label(span->state),
                           state_explanation(span->state),
                           QString::fromStdString(format_instant(span->start, std::max<Nanos>(1, Nanos(timeMap().nanos_per_pixel())))),
                           QString::fromStdString(format_duration(span->duration())));
    if (span->pid())
        text += QStringLiteral("<br>worker pid %1, tid %2").arg(span->pid()).arg(span->tid());
    // A core only for a span on one: a GIL wait's or a wait's core would be where it began.
    if (span->core >= 0 && (span->state == State::Running || span->state == State::Starting))
        text += QStringLiteral("<br>on %1").arg(span_core_text(*m_trace, *span).toHtmlEscaped());
    if (const std::string why = span_why(*m_trace, *span); !why.empty())
        text += QStringLiteral("<br>") + QString::fromStdString(why).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    if (span->state == State::GilWait && m_trace->info.gil_inferred)
        text += tr("<br>inferred from the kernel: its thread was asleep off every core, outside any wait, "
                   "while another thread of its process ran");
    if (!task.reason.empty() && task.status != State::Done)
        text += QStringLiteral("<br>%1: %2").arg(state_label(task.status), QString::fromStdString(task.reason).toHtmlEscaped());
    return text;
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), Qt::white);
    if (!m_trace || m_trace->tasks.empty()) {
        p.setPen(QColor(0x70, 0x70, 0x70));
        p.drawText(rect(), Qt::AlignCenter, m_trace && !m_empty_text.isEmpty() ? m_empty_text :
            tr("Pick a workload and a model, then press Run (Ctrl+R).\nEach task gets a row; its colour shows what it is doing."));
        paintFocusRing(p);
        return;
    }
    const QRectF area = timelineArea();
    paint_timeline(p, area, *m_trace, m_zoom->range(), m_first_row, m_style, &m_span_times);
    m_hand_overs_drawn = 0;
    if (m_hand_overs_visible && !m_trace->foreign) {
        if (m_hand_overs_stale) {
            m_hand_overs = hand_overs(*m_trace);
            m_hand_overs_stale = false;
        }
        m_hand_overs_drawn = paint_hand_overs(p, area, m_style, m_zoom->range(), m_first_row, int(m_trace->tasks.size()), m_hand_overs);
    }
    paintOverlays(p);
    paintFocusRing(p);
    if (m_legend_visible) {
        p.setPen(QColor(0xDD, 0xDD, 0xDD));
        p.drawLine(QPointF(0, area.bottom() + 4), QPointF(width(), area.bottom() + 4));
        if (m_trace->foreign) {
            p.setPen(QColor(0x20, 0x20, 0x20));
            p.drawText(QRectF(8, area.bottom() + 8, width() - 16, height() - area.bottom() - 8), Qt::AlignLeft | Qt::TextWordWrap,
                foreign_summary(*m_trace));
        } else {
            paint_legend(p, QRectF(8, area.bottom() + 8, width() - 16, height() - area.bottom() - 8), font(), true, legendOptions());
        }
    }
}

void TimelineView::paintFocusRing(QPainter& p) const
{
    // F, Ctrl+= and the other keys act on the timeline: show when it has the keyboard.
    if (!hasFocus())
        return;
    p.setPen(QPen(palette().color(QPalette::Highlight), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
}

void TimelineView::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    update();
}

void TimelineView::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    update();
}

void TimelineView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateRowHeight();
    updateRowsBar();
    updateLabelWidth();
    Q_EMIT plotGeometryChanged();
}

bool TimelineView::event(QEvent* event)
{
    if (answer_tooltip(this, event, [this](QPointF pos) { return tooltipAt(pos); }))
        return true;
    return QWidget::event(event);
}

} // namespace timeslice::ui
