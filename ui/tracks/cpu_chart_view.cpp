#include "ui/tracks/cpu_chart_view.h"
#include "ui/tracks/timeline_painter.h"

#include "ui/tracks/cpu_series.h"
#include "ui/tracks/time_axis.h"
#include "ui/tracks/zoom_state.h"

#include <QChart>
#include <QHelpEvent>
#include <QToolTip>
#include <QGraphicsLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QFontMetrics>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>

namespace timeslice::ui {

CpuChartView::CpuChartView(ZoomState* zoom, QWidget* parent)
    // Given its chart up front: setChart() would release, not delete, the default one.
    : QChartView(new QChart(), parent)
    , m_zoom(zoom)
{
    setObjectName(QStringLiteral("cpuChart"));
    QChart* chart = this->chart();
    chart->setAnimationOptions(QChart::NoAnimation);
    // The legend stands in the label column on the left, where the timeline names its rows.
    chart->legend()->detachFromChart();
    chart->legend()->setAlignment(Qt::AlignLeft);
    QFont legend_font = font(); // a little smaller: "other programs" fits the label column
    if (legend_font.pixelSize() > 0)
        legend_font.setPixelSize(std::max(8, int(legend_font.pixelSize() * 0.88)));
    else
        legend_font.setPointSizeF(legend_font.pointSizeF() * 0.88);
    chart->legend()->setFont(legend_font);
    chart->legend()->setBackgroundVisible(false);
    chart->setBackgroundVisible(false);
    chart->setMargins(QMargins(0, 4, 0, 0));
    chart->setBackgroundRoundness(0);
    // What the lines are (the run's own use, or the whole machine's) above the plot, in the room
    // the plot leaves at the top; a QChart title would take that room from the plot's layout.
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("cpuChartTitle"));
    m_title->setStyleSheet(QStringLiteral("color: #303030;"));
    m_title->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_x = new QValueAxis(chart);
    m_x->setLabelFormat(QStringLiteral("%.3g s"));
    m_x->setLabelsVisible(false); // the timeline's axis above says the time
    m_x->setGridLineVisible(true);
    m_x->setRange(0, 1);
    m_x->setTickAnchor(0);
    m_x->setTickInterval(0.1);
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_y = new QValueAxis(chart);
    m_y->setRange(0, 100);
    m_y->setTickCount(3);
    m_y->setLabelFormat(QStringLiteral("%d%%"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    setRenderHint(QPainter::Antialiasing, true);
    setFrameShape(QFrame::NoFrame);
    setBackgroundBrush(Qt::white);
    setMinimumHeight(140);
    viewport()->setMouseTracking(true); // the crosshair follows the pointer without a button held
    connect(m_zoom, &ZoomState::rangeChanged, this, [this] { refresh(); });
    connect(m_zoom, &ZoomState::playheadChanged, viewport(), qOverload<>(&QWidget::update));
}

void CpuChartView::ensureSeries(std::size_t cores, bool own)
{
    if (m_series.size() == cores + 1 + (own ? 1 : 0) && m_own == own)
        return;
    for (QLineSeries* s : m_series) {
        chart()->removeSeries(s);
        delete s;
    }
    m_series.clear();
    m_own = own;
    const auto add = [this](const QString& name, CpuLine line, std::size_t core) {
        auto* s = new QLineSeries(this);
        s->setName(name);
        s->setPen(QPen(cpu_line_color(line, core), cpu_line_width(line)));
        chart()->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        m_series.push_back(s);
    };
    for (std::size_t c = 0; c < cores; ++c)
        add(tr("cpu%1").arg(c), CpuLine::Core, c);
    if (own)
        add(tr("other programs"), CpuLine::Other, 0);
    add(tr("total"), CpuLine::Total, 0);
    // Tall enough for the legend in one column: a squeezed legend wraps into a second column,
    // over the axis labels (the compare window's charts are short).
    const int legend = int(m_series.size()) * (QFontMetrics(chart()->legend()->font()).height() + 16) + 24;
    if (maximumHeight() < legend)
        setMaximumHeight(legend);
    setMinimumHeight(std::max(minimumHeight(), legend));
    applyPlotArea(); // lay the legend out again now that it has entries
}

QString CpuChartView::title() const { return m_title_text; }

void CpuChartView::showTitle(const QString& text)
{
    // Cut with an ellipsis where the plot is narrower than the title, never past its edge.
    m_title_text = text;
    m_title->setText(m_title->fontMetrics().elidedText(text, Qt::ElideRight, int(std::max(10.0, m_width))));
}

void CpuChartView::setTrace(std::shared_ptr<const Trace> trace)
{
    m_trace = std::move(trace);
    refresh();
}

void CpuChartView::alignPlot(double left, double width)
{
    m_left = left;
    m_width = width;
    applyPlotArea();
    refresh();
}

void CpuChartView::applyPlotArea()
{
    // The plot spans exactly the timeline's bars; y labels and the legend go left of it.
    chart()->setPlotArea(QRectF(m_left, 24, std::max(10.0, m_width), std::max(20.0, height() - 34.0)));
    chart()->legend()->setGeometry(QRectF(2, 4, std::max(40.0, m_left - 8), std::max(30.0, height() - 8.0)));
    chart()->legend()->update();
    m_title->setGeometry(int(m_left), 2, int(std::max(10.0, m_width)), 20);
    showTitle(m_title_text);
    chart()->layout()->invalidate();
}

void CpuChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    applyPlotArea();
}

void CpuChartView::wheelEvent(QWheelEvent* event)
{
    // As over the timeline: the wheel zooms at the cursor, a sideways swipe pans. Shift+wheel
    // is left to the window (the compare window scrolls with it).
    if (event->modifiers() & Qt::ShiftModifier) {
        event->ignore();
        return;
    }
    const TimeRange range = m_zoom->range();
    const TimeMap map { range.start, range.end, m_left, m_width };
    const QPoint delta = event->angleDelta();
    if (std::abs(delta.x()) > std::abs(delta.y()))
        m_zoom->panBy(-Nanos(double(range.end - range.start) * delta.x() / 1200.0));
    else
        m_zoom->zoomAt(map.to_time(event->position().x()), std::pow(1.25, delta.y() / 120.0));
    event->accept();
}

QString CpuChartView::tooltipAt(QPointF pos) const
{
    if (!m_trace || m_trace->cpu.empty() || pos.x() < m_left || pos.x() > m_left + m_width)
        return {};
    const TimeRange range = m_zoom->range();
    const TimeMap map { range.start, range.end, m_left, m_width };
    const Nanos t = map.to_time(pos.x());
    // A sample holds the use over the interval that ends at its time.
    const auto& cpu = m_trace->cpu;
    const auto it = std::lower_bound(cpu.begin(), cpu.end(), t, [](const CpuSample& s, Nanos v) { return s.t < v; });
    if (it == cpu.end())
        return {};
    const CpuChartContent content = cpu_chart_content(*m_trace);
    const auto pct = [&](CpuLine line, std::size_t core) { return double(cpu_value(*it, line, core, content.own)); };
    QString text = QStringLiteral("<b>%1</b><br>%2")
                       .arg(QString::fromStdString(format_instant(t, std::max<Nanos>(1, Nanos(map.nanos_per_pixel())))),
                           content.own ? tr("this run") : tr("whole machine"));
    text += tr("<br>total %1 %").arg(pct(CpuLine::Total, 0), 0, 'f', 0);
    for (std::size_t c = 0; c < content.cores; ++c)
        text += tr("<br>cpu%1 %2 %").arg(c).arg(pct(CpuLine::Core, c), 0, 'f', 0);
    if (content.own && it->own_total >= 0)
        text += tr("<br>other programs %1 %").arg(pct(CpuLine::Other, 0), 0, 'f', 0);
    return text;
}

bool CpuChartView::viewportEvent(QEvent* event)
{
    if (event->type() == QEvent::MouseMove) {
        // A line at the pointer and the values under it, at once, as in Perfetto's counter tracks.
        auto* move = static_cast<QMouseEvent*>(event);
        const QPointF pos = move->position();
        const QString text = tooltipAt(pos);
        const double x = text.isEmpty() ? -1 : pos.x();
        if (x != m_hover_x) {
            m_hover_x = x;
            viewport()->update();
        }
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(move->globalPosition().toPoint(), text, viewport());
    } else if (event->type() == QEvent::Leave) {
        m_hover_x = -1;
        QToolTip::hideText();
        viewport()->update();
    }
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = tooltipAt(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QChartView::viewportEvent(event);
}

void CpuChartView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF plot = chart()->plotArea();
    // The playhead, at the timeline's x for its instant (the plot spans the timeline's bars).
    const TimeRange range = m_zoom->range();
    if (const auto at = m_zoom->playhead(); at && range.end > range.start && *at >= range.start && *at <= range.end) {
        const double view_x = m_left + double(*at - range.start) / double(range.end - range.start) * m_width;
        const double x = mapToScene(QPoint(int(std::lround(view_x)), 0)).x();
        painter->save();
        painter->setPen(QPen(kPlayheadColor, 2));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        painter->restore();
    }
    if (m_hover_x < 0)
        return;
    const double x = std::floor(mapToScene(QPoint(int(m_hover_x), 0)).x()) + 0.5;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setPen(QPen(crosshairColor(), 1));
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    painter->restore();
}

QList<QPointF> CpuChartView::decimate(const std::vector<CpuSample>& samples, int core, TimeRange range, int pixels)
{
    QList<QPointF> points;
    if (samples.empty() || pixels <= 0)
        return points;
    const auto value = [core](const CpuSample& s) {
        return core < 0 ? double(s.total) : (std::size_t(core) < s.per_core.size() ? double(s.per_core[std::size_t(core)]) : 0.0);
    };
    // Keep one sample either side of the range so the line reaches the edges.
    auto first = std::lower_bound(samples.begin(), samples.end(), range.start,
        [](const CpuSample& s, Nanos t) { return s.t < t; });
    if (first != samples.begin())
        --first;
    auto last = std::upper_bound(samples.begin(), samples.end(), range.end,
        [](Nanos t, const CpuSample& s) { return t < s.t; });
    if (last != samples.end())
        ++last;
    const double span = double(std::max<Nanos>(1, range.end - range.start));
    long column = LONG_MIN;
    for (auto it = first; it != last; ++it) {
        const long c = long(std::floor(double(it->t - range.start) / span * pixels));
        const QPointF p(to_seconds(it->t), value(*it));
        if (c == column && !points.isEmpty()) {
            if (p.y() > points.back().y())
                points.back() = p;
        } else {
            points.append(p);
            column = c;
        }
    }
    return points;
}

void CpuChartView::setTimeAxis(double start, double end, double interval)
{
    // Qt Charts lays the axis out again after each of these calls, with a label and a grid line
    // per tick: a whole run's range at a deep zoom's interval is tens of thousands of them, and
    // the window froze for a minute. Changing the interval first when it grows, and the range
    // first when it shrinks, the axis never holds more ticks than before or after.
    if (interval >= m_x->tickInterval()) {
        m_x->setTickInterval(interval);
        m_x->setRange(start, end);
    } else {
        m_x->setRange(start, end);
        m_x->setTickInterval(interval);
    }
}

void CpuChartView::refresh()
{
    const TimeRange range = m_zoom->range();
    // Grid lines where the timeline above has its ticks.
    const Nanos step = tick_step(TimeMap { range.start, range.end, m_left, m_width }, axis_tick_spacing(font()));
    setTimeAxis(to_seconds(range.start), to_seconds(range.end), to_seconds(step));
    if (!m_trace || m_trace->cpu.empty()) {
        for (QLineSeries* s : m_series)
            s->clear();
        // Nothing measured, nothing drawn: no lines, no legend of lines, and a word why.
        chart()->legend()->setVisible(false);
        showTitle(m_trace ? tr("No CPU data in this trace") : QString());
        return;
    }
    chart()->legend()->setVisible(true);
    const CpuChartContent content = cpu_chart_content(*m_trace);
    showTitle(content.title);
    ensureSeries(content.cores, content.own);
    const int pixels = std::max(1, int(m_width));
    const auto steps = [&](CpuLine line, std::size_t core) {
        return cpu_steps(m_trace->cpu, line, core, content.own, range, pixels);
    };
    for (std::size_t c = 0; c < content.cores; ++c)
        m_series[c]->replace(steps(CpuLine::Core, c));
    if (content.own)
        m_series[content.cores]->replace(steps(CpuLine::Other, 0));
    m_series.back()->replace(steps(CpuLine::Total, 0));
}

} // namespace timeslice::ui
