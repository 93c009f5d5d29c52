#pragma once

#include "core/trace/state.h"
#include "core/trace/trace.h"

#include <QColor>

#include <cstddef>
#include <QString>

namespace timeslice::ui {

// A state's colour, height, label and sentence, as Qt types, from its row in core's kStates.
QColor state_color(State s);
bool state_wants_cpu(State s);
QString state_label(State s); // "GIL wait", "running", ...
QString state_explanation(State s); // one sentence for tooltips and the legend
// Which core a span used, in words: "CPU 1", or none for a state that runs on no core (a GIL
// wait, a wait, preempted...); without kernel data, the core is where the span began.
QString span_core_text(const Trace& trace, const Span& span);

// A colour per core for the CPU chart's lines, from the same palette.
QColor core_color(std::size_t core);

} // namespace timeslice::ui
