#pragma once

#include "core/trace/trace.h"
#include "ui/tracks/timeline_view.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace timeslice::ui {

// The details panel: everything about the span clicked on the timeline, with buttons to step to
// the previous and next span of its task (Left and Right on the timeline do the same).
class SpanDetails : public QWidget {
    Q_OBJECT
public:
    explicit SpanDetails(QWidget* parent = nullptr);

    // `trace` may be null or `ref` invalid: the panel then says how to choose a span.
    void showSpan(const Trace* trace, SpanRef ref);

    QLabel* field(const char* name) const; // "task", "state", "start", "end", "duration", "worker", "core", "reason"
    QPushButton* previousButton() const { return m_previous; }
    QPushButton* nextButton() const { return m_next; }

Q_SIGNALS:
    void stepRequested(int delta);

private:
    QLabel* m_hint;
    QWidget* m_fields;
    QPushButton* m_previous;
    QPushButton* m_next;
};

} // namespace timeslice::ui
