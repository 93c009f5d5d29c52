#pragma once

// An action owned by one of the window's parts: its text, its key and what it does.

#include <QAction>
#include <QKeySequence>

#include <utility>

namespace timeslice::ui {

template <typename Slot> QAction* new_action(QObject* owner, const QString& text, const QKeySequence& key, Slot slot)
{
    auto* action = new QAction(text, owner);
    action->setShortcut(key);
    QObject::connect(action, &QAction::triggered, owner, std::move(slot));
    return action;
}

} // namespace timeslice::ui
