#pragma once

// What a Python program printed, shown apart from the timeline.

#include <QPlainTextEdit>

#include <cstdint>

namespace timeslice {
struct PythonOutcome;
}

namespace timeslice::ui {

// Its stdout and stderr: each frame of a run adds only what is new, and a flood that outran the
// recorder's cap shows where it was cut.
class ProgramOutput : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit ProgramOutput(QWidget* parent = nullptr);

    // A new run: nothing printed yet.
    void restart();
    void showOutput(const PythonOutcome& outcome);

private:
    std::uint64_t m_seen = 0; // bytes of the program's output shown so far
};

} // namespace timeslice::ui
