#pragma once

#include "core/trace/state.h"

#include <QColor>

#include <cstddef>
#include <QString>

namespace timeslice::ui {

// A state's colour, height, label and sentence, as Qt types, from its row in core's kStates.
QColor state_color(State s);
bool state_wants_cpu(State s);
QString state_label(State s); // "GIL wait", "running", ...
QString state_explanation(State s); // one sentence for tooltips and the legend

// A colour per core for the CPU chart's lines, from the same palette.
QColor core_color(std::size_t core);

} // namespace timeslice::ui
