#include "ui/style/palette.h"
#include <QCoreApplication>

namespace timeslice::ui {

QColor state_color(State s) { return QColor(QRgb(describe(s).rgb)); }

bool state_wants_cpu(State s) { return describe(s).wants_cpu; }

QString state_label(State s)
{
    const std::string_view label = describe(s).label;
    return QString::fromUtf8(label.data(), qsizetype(label.size()));
}

QString state_explanation(State s)
{
    const std::string_view help = describe(s).help;
    return QString::fromUtf8(help.data(), qsizetype(help.size()));
}

QColor core_color(std::size_t core)
{
    static const QColor colors[] = { QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00),
        QColor(0x56, 0xB4, 0xE9), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x72, 0xB2), QColor(0xF0, 0xE4, 0x42) };
    return colors[core % (sizeof colors / sizeof colors[0])];
}

QString span_core_text(const Trace& trace, const Span& span)
{
    if (span.state != State::Running && span.state != State::Starting)
        return QCoreApplication::translate("timeslice::ui::Palette", "none: %1 uses no core").arg(state_label(span.state));
    const bool kernel = trace.kernel.source != KernelSource::None;
    if (span.core < 0)
        return kernel ? QCoreApplication::translate("timeslice::ui::Palette", "none")
                      : QCoreApplication::translate("timeslice::ui::Palette", "not recorded (no kernel data)");
    return kernel ? QCoreApplication::translate("timeslice::ui::Palette", "CPU %1").arg(span.core)
                  : QCoreApplication::translate("timeslice::ui::Palette", "CPU %1 when it began (no kernel data: it may have moved)")
                        .arg(span.core);
}

} // namespace timeslice::ui
