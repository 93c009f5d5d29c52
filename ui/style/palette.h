#pragma once

#include "core/trace/state.h"

#include <QColor>

#include <cstddef>
#include <QString>

namespace timeslice::ui {

// One colour per state, from the Okabe-Ito palette (safe for the common colour-vision
// deficiencies). States that want a CPU are drawn full height, states that do not (queued,
// waiting) half height, so the difference reads even in grey.
QColor state_color(State s);
bool state_wants_cpu(State s);
QString state_label(State s); // "GIL wait", "running", ...
QString state_explanation(State s); // one sentence for tooltips and the legend

// A colour per core for the CPU chart's lines, from the same palette.
QColor core_color(std::size_t core);

} // namespace timeslice::ui
