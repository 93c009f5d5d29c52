#pragma once

// The Scorecard box: how a run did, as HTML, and where its kernel data came from.

#include "core/trace/trace.h"

#include <QGroupBox>

class QLabel;

namespace timeslice::ui {

// The scorecard of a finished run as HTML: makespan against the prediction, speedup, CPU use,
// tasks at once and time per state; for a run that has none, why (and each failed task's reason).
QString scorecard_html(const Trace& trace);
// Where the run's kernel data came from ("kernel data: exact (perf_event_open …)"), or that there was none;
// for real Python, also what the kernel would not show and whether the GIL was not found.
QString kernel_note_text(const Trace& trace);

// Beside the timeline: the scorecard and, under it, the kernel note.
class ScorecardView : public QGroupBox {
    Q_OBJECT
public:
    explicit ScorecardView(QWidget* parent = nullptr);

    // A live run shows its scorecard when it ends, and the kernel note with it.
    void showTrace(const Trace& trace);
    QLabel* scorecard() const { return m_scorecard; }
    QLabel* kernelNote() const { return m_kernel_note; }

private:
    QLabel* m_scorecard;
    QLabel* m_kernel_note;
};

} // namespace timeslice::ui
