#include "ui/style/palette.h"

namespace timeslice::ui {

QColor state_color(State s)
{
    switch (s) {
    case State::Queued:
        return QColor(0xB8, 0xB8, 0xB8);
    case State::Starting:
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    case State::Running:
        return QColor(0x00, 0x72, 0xB2); // blue
    case State::Waiting:
        return QColor(0x56, 0xB4, 0xE9); // sky blue
    case State::GilWait:
        return QColor(0xD5, 0x5E, 0x00); // vermillion
    case State::Ready:
        return QColor(0xE6, 0x9F, 0x00); // orange
    case State::Preempted:
        return QColor(0xF0, 0xE4, 0x42); // yellow: wants a core, the OS gave it to another thread
    case State::Blocked:
        return QColor(0x7A, 0x5C, 0x99); // muted violet: asleep in the kernel mid-computation
    case State::Done:
        return QColor(0x00, 0x9E, 0x73); // bluish green
    case State::Failed:
        return QColor(0x00, 0x00, 0x00);
    case State::Cancelled:
        return QColor(0x80, 0x80, 0x80);
    }
    return Qt::magenta;
}

bool state_wants_cpu(State s)
{
    return s == State::Running || s == State::GilWait || s == State::Ready || s == State::Starting
        || s == State::Preempted;
}

QString state_label(State s)
{
    switch (s) {
    case State::GilWait:
        return QStringLiteral("GIL wait");
    case State::Cancelled:
        return QStringLiteral("stopped"); // as the Stop button and the status bar say
    default:
        return QString::fromUtf8(state_name(s).data(), qsizetype(state_name(s).size()));
    }
}

QString state_explanation(State s)
{
    switch (s) {
    case State::Queued:
        return QStringLiteral("submitted; no worker is free yet");
    case State::Starting:
        return QStringLiteral("its worker process is being started");
    case State::Running:
        return QStringLiteral("computing on a CPU");
    case State::Waiting:
        return QStringLiteral("blocked on I/O or a sleep; needs no CPU");
    case State::GilWait:
        return QStringLiteral("ready to compute, but another thread holds the GIL");
    case State::Ready:
        return QStringLiteral("its timer expired, but the event loop is busy with another task");
    case State::Preempted:
        return QStringLiteral("computing by the model, but the kernel had its thread off every core, runnable: preempted");
    case State::Blocked:
        return QStringLiteral("computing by the model, but the kernel had its thread asleep (a page fault, I/O or a lock)");
    case State::Done:
        return QStringLiteral("finished");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Cancelled:
        return QStringLiteral("stopped before it finished");
    }
    return {};
}

QColor core_color(std::size_t core)
{
    static const QColor colors[] = { QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00),
        QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x72, 0xB2), QColor(0xF0, 0xE4, 0x42) };
    return colors[core % (sizeof colors / sizeof colors[0])];
}

} // namespace timeslice::ui
