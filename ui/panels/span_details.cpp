#include "ui/panels/span_details.h"

#include "ui/style/palette.h"
#include "ui/tracks/time_axis.h"

#include "core/analysis/wait_summary.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace timeslice::ui {

namespace {

struct FieldName {
    const char* key;
    const char* label;
};
constexpr FieldName kFields[] = { { "task", "Task" }, { "state", "State" }, { "start", "Start" }, { "end", "End" },
    { "duration", "Duration" }, { "worker", "Worker" }, { "core", "Core" }, { "why", "Kernel says" }, { "reason", "Outcome" } };

QString instant(Nanos t) { return QString::fromStdString(format_instant(t, 1000)); }

} // namespace

SpanDetails::SpanDetails(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("spanDetails"));
    auto* layout = new QVBoxLayout(this);
    m_hint = new QLabel(tr("Click a span on the timeline to see it here. Left and Right step through its task's spans."));
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: #555;"));
    layout->addWidget(m_hint);
    m_fields = new QWidget;
    auto* form = new QFormLayout(m_fields);
    form->setContentsMargins(0, 0, 0, 0);
    for (const FieldName& f : kFields) {
        auto* value = new QLabel;
        value->setObjectName(QLatin1String(f.key));
        value->setWordWrap(true);
        value->setTextFormat(qstrcmp(f.key, "state") == 0 ? Qt::RichText : Qt::PlainText);
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        value->setAccessibleName(tr(f.label));
        form->addRow(tr(f.label), value);
    }
    layout->addWidget(m_fields);
    m_previous = new QPushButton(tr("◀ &Previous"));
    m_previous->setObjectName(QStringLiteral("previousSpan"));
    m_previous->setAccessibleName(tr("Previous span of this task"));
    m_previous->setToolTip(tr("The span before this one in the same task (Left on the timeline)"));
    m_next = new QPushButton(tr("Ne&xt ▶"));
    m_next->setObjectName(QStringLiteral("nextSpan"));
    m_next->setAccessibleName(tr("Next span of this task"));
    m_next->setToolTip(tr("The span after this one in the same task (Right on the timeline)"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_previous);
    buttons->addWidget(m_next);
    layout->addLayout(buttons);
    layout->addStretch(1);
    connect(m_previous, &QPushButton::clicked, this, [this] { Q_EMIT stepRequested(-1); });
    connect(m_next, &QPushButton::clicked, this, [this] { Q_EMIT stepRequested(1); });
    showSpan(nullptr, SpanRef {});
}

QLabel* SpanDetails::field(const char* name) const { return m_fields->findChild<QLabel*>(QLatin1String(name)); }

void SpanDetails::showSpan(const Trace* trace, SpanRef ref)
{
    const bool valid = trace && ref.task >= 0 && ref.task < int(trace->tasks.size()) && ref.index >= 0
        && ref.index < int(trace->tasks[std::size_t(ref.task)].spans.size());
    m_hint->setVisible(!valid);
    m_fields->setEnabled(valid);
    m_previous->setEnabled(valid && ref.index > 0);
    m_next->setEnabled(valid && ref.index + 1 < int(trace->tasks[std::size_t(ref.task)].spans.size()));
    if (!valid) {
        for (const FieldName& f : kFields)
            field(f.key)->clear();
        return;
    }
    const TaskTrace& task = trace->tasks[std::size_t(ref.task)];
    const Span& s = task.spans[std::size_t(ref.index)];
    field("task")->setText(tr("%1 (span %2 of %3)").arg(QString::fromStdString(task.name)).arg(ref.index + 1).arg(task.spans.size()));
    field("state")->setText(QStringLiteral("<span style='color:%1'>■</span> <b>%2</b> — %3")
                                .arg(state_color(s.state).name(), state_label(s.state), state_explanation(s.state).toHtmlEscaped()));
    field("start")->setText(instant(s.start));
    field("end")->setText(instant(s.end));
    field("duration")->setText(QString::fromStdString(format_duration(s.duration())));
    field("worker")->setText(s.pid() ? tr("pid %1, tid %2").arg(s.pid()).arg(s.tid()) : tr("none (not on a worker)"));
    field("core")->setText(span_core_text(*trace, s));
    const std::string why = span_why(*trace, s);
    field("why")->setText(why.empty() ? QStringLiteral("—") : QString::fromStdString(why));
    QString outcome = state_label(task.status);
    if (!task.reason.empty())
        outcome += QStringLiteral(": ") + QString::fromStdString(task.reason);
    else if (!task.result.empty())
        outcome += tr(", result %1").arg(QString::fromStdString(task.result));
    field("reason")->setText(outcome);
}

} // namespace timeslice::ui
