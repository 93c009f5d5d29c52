#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/timeline_painter.h"
#include "ui/tracks/track.h"

#include <QSize>
#include <QString>

class QPainter;

namespace timeslice::ui {

// Where paint_report puts the parts of a picture of `size`: tests find each bar from it.
struct ReportLayout {
    double unit = 1; // 1 at 1600x900
    QFont base, title, small;
    double header_top = 0;
    double parameters_height = 0; // the line under the title, wrapped where it is long
    QRectF legend;
    QRectF timeline;
    TimelineStyle style;
    // The track kinds this trace has a place for, under the rows in track_kinds() order.
    struct PlacedTrack {
        const Track* track = nullptr;
        QRectF area;
        double row_height = 0; // each of its rows, for a track of rows
    };
    std::vector<PlacedTrack> tracks;
    // Where the track kind of that name stands; empty when this trace has none.
    QRectF trackArea(const QString& name) const;
    double trackRowHeight(const QString& name) const;
};
ReportLayout layout_report(const QSizeF& size, const Trace& trace);

// How tall a task row stays in an export, in pixels at 1600 px wide (it scales with the width):
// the labels' font is 14 px there.
inline constexpr double kReportMinRowHeight = 18;
// The tallest picture an export grows to.
inline constexpr int kReportMaxHeight = 10000;

// The size export_image writes for a picture asked at `requested`: as asked when every row gets
// kReportMinRowHeight, else taller (the width stays) up to kReportMaxHeight.
struct ReportSize {
    QSize size;
    std::size_t rows = 0;
    double row_height = 0; // at `size`, in pixels
    bool grown = false;
    bool capped = false; // kReportMaxHeight tall and the rows still thinner than the minimum
};
ReportSize report_size(const Trace& trace, QSize requested);
// A tall picture (report_size grown) in a PDF is printed on pages as tall as asked, cut between
// rows: each page's slice of the picture, and the band (the time axis) repeated at the top of
// every page after the first. One slice, the whole picture, when it was not grown.
struct ReportPages {
    std::vector<std::pair<double, double>> slices; // [top, bottom) of the picture, in order
    QRectF repeat;
};
ReportPages report_pages(const Trace& trace, QSize requested);
// What the export dialog and the command line say about it: empty when the picture is as asked.
QString report_size_note(const ReportSize& size);

// The whole picture of a run: title block (workload, model, parameters, makespan, machine,
// date), legend, timeline, the Cores lanes (with kernel data) and CPU usage, laid out for `size` (in the painter's units).
// With `hand_over_arrows`, the window's hand-over arrows over the rows (View → Hand-over arrows).
void paint_report(QPainter& p, const QSizeF& size, const Trace& trace, TimeRange range, bool hand_over_arrows = false);

// Writes the report as PNG, SVG or PDF, chosen by the file's extension, through paint_report
// for all three, at report_size(trace, size). Written atomically (write, fsync, rename): on failure no partial file is left
// and an existing file is untouched. Returns an empty string on success, else what went wrong.
QString export_image(const Trace& trace, const QString& path, QSize size, TimeRange range, bool hand_over_arrows = false);
QString export_image(const Trace& trace, const QString& path, QSize size);

// Several runs of one workload stacked on one time axis (compare mode), each with its scorecard
// line, timeline and CPU usage.
struct LabelledTrace {
    QString label;
    const Trace* trace = nullptr;
};
// With `hand_over_arrows`, each run's hand-over arrows over its rows, as for one run.
void paint_compare_report(QPainter& p, const QSizeF& size, const std::vector<LabelledTrace>& runs, TimeRange range,
    bool hand_over_arrows = false);
QString export_compare_image(const std::vector<LabelledTrace>& runs, const QString& path, QSize size, TimeRange range,
    bool hand_over_arrows = false);
QString export_compare_image(const std::vector<LabelledTrace>& runs, const QString& path, QSize size, bool hand_over_arrows = false);
TimeRange full_range(const std::vector<LabelledTrace>& runs);

// The range a whole run covers, from its start to its last span (at least 1 ms).
TimeRange full_range(const Trace& trace);

QString title_text(const Trace& trace);
QString parameters_text(const Trace& trace);
QString machine_text(const Trace& trace);
// The scorecard in one line: ideal makespan, speedup, CPU, concurrency, start-up, GIL hand-overs.
QString scorecard_line(const Trace& trace);
// Why a finished run has no scorecard ("no scorecard: stopped after 310 ms, with 1 of 3 tasks
// done"), or nothing when it has one or is still going.
QString no_scorecard_reason(const Trace& trace);

} // namespace timeslice::ui
