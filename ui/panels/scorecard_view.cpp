// The Scorecard box: how a run did, as HTML, and where its kernel data came from.
#include "ui/panels/scorecard_view.h"

#include "core/analysis/wait_summary.h"

#include "core/analysis/schedule.h"
#include "ui/export/image_export.h"
#include "ui/style/palette.h"
#include "ui/tracks/foreign_rows.h"
#include "ui/tracks/time_axis.h"

#include <QLabel>
#include <QVBoxLayout>

namespace timeslice::ui {

namespace {

// Say why, and for each failed task what went wrong: the reason was only in a tooltip.
QString no_scorecard_html(const Trace& trace)
{
    QString reason = no_scorecard_reason(trace);
    if (!reason.isEmpty())
        reason[0] = reason[0].toUpper();
    QString html = QStringLiteral("<p><i>%1.</i></p>").arg(reason.toHtmlEscaped());
    for (const TaskTrace& t : trace.tasks) {
        if (t.status == State::Failed)
            html += ScorecardView::tr("<p><b>%1</b> failed: %2</p>")
                        .arg(QString::fromStdString(t.name).toHtmlEscaped(),
                            QString::fromStdString(t.reason).toHtmlEscaped());
    }
    return html;
}

} // namespace

namespace {

QString kernel_source_text(const Trace& trace)
{
    if (!trace.kernel.note.empty())
        return QString::fromStdString(trace.kernel.note);
    if (trace.kernel.source == KernelSource::None)
        return ScorecardView::tr("kernel data: none");
    const std::string_view source = kernel_source_name(trace.kernel.source);
    return ScorecardView::tr("kernel data: %1").arg(QString::fromUtf8(source.data(), qsizetype(source.size())));
}

} // namespace

QString kernel_note_text(const Trace& trace)
{
    QString text = kernel_source_text(trace);
    // Real Python: what could not be read, so no one takes "unknown" for a reason.
    if (!trace.info.waits_note.empty())
        text += QStringLiteral("\n") + QString::fromStdString(trace.info.waits_note);
    if (!trace.info.gil_found.empty() && !trace.info.gil_found.starts_with("found"))
        text += ScorecardView::tr("\nGIL %1: no wait is called a GIL wait").arg(QString::fromStdString(trace.info.gil_found));
    return text;
}

QString scorecard_html(const Trace& trace)
{
    if (trace.foreign)
        return QStringLiteral("<p><i>%1.</i></p>").arg(ui::foreign_summary(trace).toHtmlEscaped());
    if (!trace.complete)
        return ScorecardView::tr("<i>Shown when a run ends.</i>");
    if (!has_scorecard(trace))
        return no_scorecard_html(trace);
    const Scorecard s = compute_scorecard(trace);
    const auto d = [](Nanos ns) { return QString::fromStdString(format_duration(ns)); };
    QString html = QStringLiteral("<table cellspacing='2'>");
    const auto row = [&html](const QString& name, const QString& value, const QString& tip) {
        html += QStringLiteral("<tr title='%3'><td>%1</td><td align='right'><b>%2</b></td></tr>").arg(name, value, tip);
    };
    row(ScorecardView::tr("makespan"), d(s.makespan), ScorecardView::tr("from the start to the last task's end"));
    if (s.ideal_makespan > 0)
        row(ScorecardView::tr("predicted"),
            QStringLiteral("%1 (%2×)").arg(d(s.ideal_makespan)).arg(s.vs_ideal, 0, 'f', 2),
            ScorecardView::tr(
                "what the model's rules alone predict, with no start-up cost, no timer slack and no other "
                "programs: the dashed outlines"));
    else
        row(ScorecardView::tr("predicted"), ScorecardView::tr("none"),
            ScorecardView::tr("real Python runs at its own speed: no prediction"));
    row(ScorecardView::tr("speedup"), QStringLiteral("%1×").arg(s.speedup, 0, 'f', 2),
        ScorecardView::tr("over running the tasks one after another"));
    row(ScorecardView::tr("CPU"), QStringLiteral("%1 %").arg(s.cpu_utilisation, 0, 'f', 0),
        ScorecardView::tr("mean use of all cores"));
    row(ScorecardView::tr("tasks at once"), QString::number(s.concurrency, 'f', 1),
        ScorecardView::tr("mean number of tasks running, waiting or ready"));
    if (s.max_startup > 0)
        row(ScorecardView::tr("worker start-up"), d(s.mean_startup),
            ScorecardView::tr("mean time a task waited for its process to start"));
    if (trace.info.gil_switch_number >= 0) {
        // Real Python: the hand-overs drawn beside the GIL's own count, and the time threads
        // computed in C code that released the GIL.
        row(ScorecardView::tr("GIL hand-overs"),
            ScorecardView::tr("%1 drawn, %2 counted").arg(s.gil_switches).arg(trace.info.gil_switch_number),
            ScorecardView::tr("a GIL wait then running, drawn from the spans; beside it the GIL's own switch_number"));
        row(ScorecardView::tr("without the GIL"), d(running_with_gil(trace, GilHold::Released)),
            ScorecardView::tr("time threads ran on a core in C code that released the GIL (dotted bars)"));
    } else if (s.gil_switches) {
        row(ScorecardView::tr("GIL hand-overs"), QString::number(s.gil_switches),
            ScorecardView::tr("times the GIL passed between threads"));
    }
    for (int i = 0; i < kSpanStateCount; ++i) {
        const Nanos t = s.time_in_state[std::size_t(i)];
        if (t == 0)
            continue;
        row(QStringLiteral("<span style='color:%1'>■</span> %2")
                .arg(state_color(State(i)).name(), state_label(State(i))),
            d(t), ScorecardView::tr("time all tasks spent in this state"));
    }
    return html + QStringLiteral("</table>");
}

ScorecardView::ScorecardView(QWidget* parent)
    : QGroupBox(tr("Scorecard"), parent)
{
    m_scorecard = new QLabel;
    m_scorecard->setObjectName(QStringLiteral("scorecard"));
    m_scorecard->setTextFormat(Qt::RichText);
    m_scorecard->setWordWrap(true);
    m_scorecard->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Where the kernel's view came from (or that there was none), after every run.
    m_kernel_note = new QLabel;
    m_kernel_note->setObjectName(QStringLiteral("kernelNote"));
    m_kernel_note->setWordWrap(true);
    m_kernel_note->setStyleSheet(QStringLiteral("color: #555;"));
    m_kernel_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_scorecard);
    layout->addWidget(m_kernel_note);
}

void ScorecardView::showTrace(const Trace& trace)
{
    m_scorecard->setText(scorecard_html(trace));
    m_kernel_note->setText(trace.complete ? kernel_note_text(trace) : QString());
}

} // namespace timeslice::ui
