#include "ui/panels/timeline_help.h"

#include "ui/style/palette.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QPointer>
#include <QScreen>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <string>

namespace timeslice::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("TimelineHelp", text); }

QString swatch(State s)
{
    return QStringLiteral("<span style='color:%1; font-size:large'>■</span>").arg(state_color(s).name());
}
}

QString timeline_help_html()
{
    QString html = tr("<p>Each task has a row. Its colour says what it is doing:</p><ul>");
    for (const StateInfo& row : kStates) {
        if (row.stack < 0)
            continue; // the end marks are explained below
        const QString looks = tr(std::string(row.looks).c_str()) + (row.wants_cpu ? tr(", full height") : tr(", half height"));
        html += QStringLiteral("<li>%1 <b>%2</b> (%3): %4</li>")
                    .arg(swatch(row.state), state_label(row.state), looks, state_explanation(row.state));
    }
    html += QStringLiteral("</ul>");
    html += tr("<p><b>Dashed outlines</b> behind the bars are the predicted schedule: what the model's rules alone "
               "predict, with no start-up cost, timer slack or other programs. Under the GIL it assumes a thread "
               "back from a wait gets the GIL at once, so there the gap between outline and bar is mostly the "
               "convoy effect; elsewhere it is what the machine added.</p>"
               "<p><b>Hatched blocks</b> (white diagonal lines): spans too narrow to draw one by one at this zoom, "
               "merged into one block and stacked by share of time: each state a band in its colour, as tall as "
               "its part of the block's time (a block 49 % running and 51 % GIL wait is half blue, half "
               "vermillion). Zoom in to see the spans apart.</p>"
               "<p><b>Preempted</b> and <b>blocked</b> come from the kernel's view of the run's threads "
               "(exact from perf context switches, or sampled from /proc every millisecond; the status bar says "
               "which; the Kernel data field on the left chooses): the model had the task running, but the kernel had its thread "
               "off every core, runnable (another thread had the core) or asleep. Without kernel data they do not "
               "appear.</p>"
               "<p><b>Real Python, told by the kernel.</b> While a thread of a Python program is off every core, "
               "Timeslice reads what it sleeps in (/proc/PID/task/TID/syscall, every millisecond; a parent may read "
               "its child's, no root needed): asleep on the GIL's own futex is a <b>GIL wait</b>; on any other "
               "futex it is <b>blocked</b> on a lock; in read, recv, poll or select it is <b>waiting</b> for I/O, "
               "and the tooltip names the socket, pipe or file; in nanosleep it is <b>waiting</b> in a sleep. "
               "A block too brief to be read stays blocked, reason unknown: nothing is drawn as a GIL wait unless "
               "the kernel said so. Running bars <b>dotted white</b> are a thread on a core <i>without</i> the GIL "
               "(in C code that released it: hashlib, zlib, numpy, I/O), read from the interpreter's own GIL "
               "fields: there threads do use every core.</p>"
               "<p><b>CPU lanes</b> (under the rows, with kernel data): one lane per core, \"CPU 0\", \"CPU 1\"…; "
               "each bar is a task's thread on that core, in a colour per task (not a state colour), its name "
               "inside when it fits. A task whose colour moves from lane to lane migrated; colours taking turns "
               "in one lane are threads time-sliced on one core. Hover for the task, the core, start, end and "
               "duration.</p>"
               "<p><b>Hand-over arrows</b> (View → Hand-over arrows, off by default): under the GIL, a dark arrow from "
               "the thread that dropped the GIL to the one that took it; under async, along a task's row from its "
               "timer's expiry to its resumption. Where they would crowd, some are left out; zoom in to see them all.</p>"
               "<p><b>The playhead</b> (View → Playhead, Ctrl+Shift+N): a line at one instant across every view; drag "
               "it to scrub, P to play it at 1/1000× to 1×, [ and ] to step to the previous or next state change. Its "
               "panel says each task's state there, who holds the GIL and who waits for it (longest first), and the "
               "event loop's ready queue in the order the loop runs it.</p>"
               "<p>After a task's name, how it ended: <span style='color:%1'>✓</span> done, "
               "<span style='color:%2'>✗</span> failed (the reason is in the scorecard and the tooltip), "
               "<span style='color:%3'>■</span> stopped. The dashed vertical line is the makespan.</p>"
               "<p>Wheel: zoom at the cursor (also over the CPU chart). Ctrl+= and Ctrl+-: zoom in and out. "
               "Drag: pan. Shift+wheel: scroll rows. Double-click or F: fit the whole run. W and S: zoom in and out, "
               "A and D: pan, as in Tracy and Perfetto. Click a span: its details (View → Span details); Left and "
               "Right then step through its task's spans. Shift+drag over the rows, or drag along the time axis: "
               "select a time range and read its summary; Z zooms to it. Ctrl+F finds a task by name. "
               "The CPU chart below "
               "follows the same time axis; hover over it for the values at that moment. With kernel data it shows "
               "the run's own use of each core, and as a grey line everything else the machine did (other "
               "programs, and Timeslice's own window and readers); without, the whole machine's.</p>")
                .arg(state_color(State::Done).name(), state_color(State::Failed).name(), state_color(State::Cancelled).name());
    return html;
}

QDialog* show_timeline_help(QWidget* parent)
{
    static QPointer<QDialog> open;
    if (open) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto* dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("timelineHelp"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("How to read the timeline"));
    auto* text = new QTextBrowser(dialog);
    text->setHtml(timeline_help_html());
    text->setOpenLinks(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, dialog);
    QObject::connect(buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(buttons);
    // About 70 characters wide, as tall as the screen allows (the text scrolls).
    const QScreen* screen = parent ? parent->screen() : nullptr;
    const QRect room = screen ? screen->availableGeometry() : QRect(0, 0, 800, 600);
    const int width = std::min(text->fontMetrics().averageCharWidth() * 78, room.width() - 40);
    dialog->resize(width, std::min(room.height() * 4 / 5, text->fontMetrics().height() * 48));
    open = dialog;
    dialog->show();
    return dialog;
}

} // namespace timeslice::ui
