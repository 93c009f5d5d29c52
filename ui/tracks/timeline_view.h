#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/hand_overs.h"
#include "ui/tracks/timeline_painter.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QScrollBar;

namespace timeslice::ui {

class ZoomState;

// Two snapshots of one run (or the same trace): one live run's (Trace::live_run), even when a
// script's run has found more rows since; else the same workload, model, start date and task
// names.
bool same_run(const Trace& a, const Trace& b);

// A span of the trace: its task's index and its index in that task's spans.
struct SpanRef {
    int task = -1;
    int index = -1;
    bool valid() const { return task >= 0 && index >= 0; }
    bool operator==(const SpanRef&) const = default;
};

// The per-task Gantt timeline on screen: paints through paint_timeline, zooms with the wheel
// (anchored at the cursor), pans with a drag, explains the span under the cursor in a tooltip.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(ZoomState* zoom, QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const Trace> trace);
    // The legend strip under the rows; compare mode shows one legend for all its timelines.
    void setLegendVisible(bool visible);
    // Too narrow for the legend in two lines: one line of it, the whole in the strip's tooltip.
    bool legendIsCompact() const;
    const Trace* trace() const { return m_trace.get(); }
    const TimelineStyle& style() const { return m_style; }
    // The time under a widget x coordinate, and the span under a point (nullptr if none).
    Nanos timeAt(double x) const;
    const Span* spanAt(QPointF pos, int* row = nullptr) const;
    QString tooltipAt(QPointF pos) const;
    // Pixels of the label column: the CPU chart lines its plot up with the timeline's.
    double plotLeft() const;
    // The label column the rows' labels ask for, and a floor under it: timelines stacked one
    // above another (the compare window) take the widest, so their time axes line up.
    double fittedLabelWidth() const { return m_fitted_label_width; }
    void setLabelWidthFloor(double width);
    // Where paint_timeline draws: the widget less the legend strip at the bottom.
    QRectF timelineArea() const;
    double plotWidth() const;

    // Rows: the first one shown, how many fit, and scrolling (kept so the view stays full).
    int firstRow() const { return m_first_row; }
    int rowsFit() const;
    // The height at which `rows` rows show whole at their least height, without a scroll bar
    // (the compare window gives each run's few rows that much).
    int heightToShow(int rows) const;
    void setFirstRow(int row);
    QScrollBar* rowScrollBar() const { return m_rows_bar; }

    // Click a span to select it (the details panel shows it); step to the previous or next span
    // of the same task with the arrow keys while one is selected.
    SpanRef selectedSpan() const { return m_selected; }
    const Span* span(SpanRef ref) const;
    void selectSpan(SpanRef ref);
    bool stepSpan(int delta);
    // Shift+drag on the rows, or a drag on the time axis, selects a time range.
    std::optional<TimeRange> selection() const { return m_selection; }
    void setSelection(std::optional<TimeRange> range);
    // Find: rows whose task name holds `text` (any case) are marked; findNext() scrolls to the
    // next one after the last found and returns its task index, or -1.
    void setFindText(const QString& text);
    QString findText() const { return m_find; }
    std::vector<int> matchingRows() const;
    int findNext(int direction = 1);
    int currentMatch() const { return m_find_row; }
    // Row height in pixels; 0: automatic (tall rows for a few tasks, the minimum for many).
    void setRowHeight(int pixels);
    double rowHeight() const { return m_style.row_height; }
    // The widget rectangle a row's span is drawn in (for tests and the highlight).
    QRectF spanRect(SpanRef ref) const;
    // Where a row is drawn, its y in widget coordinates; NaN-free: off-screen rows are outside.
    double rowTop(int row) const;
    // The row under a widget point, or -1.
    int rowAt(QPointF pos) const;
    // Hand-over arrows over the bars (View → Hand-over arrows; off by default): GIL hand-overs
    // and async resumptions, computed once per trace, the ones in sight drawn.
    void setHandOversVisible(bool visible);
    bool handOversVisible() const { return m_hand_overs_visible; }
    // How many arrows the last paint drew (for tests).
    std::size_t handOversDrawn() const { return m_hand_overs_drawn; }
    // What the view says when the trace has no rows (a filter hides every task).
    void setEmptyText(const QString& text);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void plotGeometryChanged();
    void spanSelected(timeslice::ui::SpanRef ref);
    void selectionChanged();
    // A drag that selects a range has ended (the range panel shows then, not while the
    // timeline's width would change under the mouse).
    void selectionFinished();

protected:
    void paintEvent(QPaintEvent* event) override;
    // The wheel, the mouse and the keys: timeline_view_input.cpp.
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    bool event(QEvent* event) override;

private:
    TimeMap timeMap() const;
    void paintFocusRing(QPainter& p) const;
    void updateRowHeight();
    double minimumRowHeight() const;
    // Fits the label column to the rows' labels (within a third of the width, and no narrower
    // than the floor); true if it moved.
    bool updateLabelWidth();
    void updateRowsBar();
    bool hasCoreLanes() const; // the legend explains their colours
    LegendOptions legendOptions() const;
    QString legendTooltip() const;
    void paintOverlays(QPainter& p) const;
    void revealSpan(SpanRef ref);

    ZoomState* m_zoom;
    std::shared_ptr<const Trace> m_trace;
    SpanTimes m_span_times; // of m_trace
    TimelineStyle m_style;
    int m_first_row = 0;
    bool m_dragging = false;
    bool m_selecting = false;
    bool m_scrubbing = false; // dragging the playhead
    Nanos m_select_anchor = 0;
    QPointF m_press_pos;
    double m_drag_distance = 0;
    SpanRef m_selected;
    std::optional<TimeRange> m_selection;
    QString m_find;
    int m_find_row = -1;
    int m_row_height_setting = 0;
    int m_labelled_rows = -1; // the rows the label column was fitted to
    double m_fitted_label_width = 150; // what the labels ask for, floor aside
    double m_label_floor = 0;
    QString m_empty_text;
    QPointF m_drag_last;
    double m_row_carry = 0;
    bool m_legend_visible = true;
    bool m_hand_overs_visible = false;
    bool m_hand_overs_stale = true; // m_hand_overs is not yet of m_trace
    bool m_gil_released = false; // a thread of m_trace ran without the GIL: the legend says how it looks
    std::vector<HandOver> m_hand_overs;
    std::size_t m_hand_overs_drawn = 0;
    QScrollBar* m_rows_bar;
};

} // namespace timeslice::ui
