#pragma once

#include <QObject>

class QWidget;

namespace timeslice::ui {

// Lets a window's own Ctrl shortcuts work while a text field has the focus. A field takes some
// Ctrl keys for its own editing (on Linux, Ctrl+E moves to the end of the line), so File > Export
// image (Ctrl+E) did nothing from the Scale or Iterations field. For a Ctrl key that is the
// shortcut of one of the window's enabled actions, this keeps the field from claiming it, and the
// action runs. Plain keys (P, Z, F, [ ]) still type into the field, and the editing keys the
// window does not use (Ctrl+C, Ctrl+V, Ctrl+A...) still edit.
class CommandKeys : public QObject {
public:
    // Watches the application's events for `window`'s fields; goes with `window`.
    explicit CommandKeys(QWidget* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* m_window;
};

} // namespace timeslice::ui
