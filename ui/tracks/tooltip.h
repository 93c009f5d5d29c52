#pragma once

#include <QEvent>
#include <QHelpEvent>
#include <QString>
#include <QToolTip>
#include <QWidget>

namespace timeslice::ui {

// Shows `text` at `global` over `widget`, or hides the tooltip where there is nothing to say.
inline void show_tooltip(QWidget* widget, QPoint global, const QString& text)
{
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(global, text, widget);
}

// A view's QEvent::ToolTip answered with what `text_at(pos)` says there; true when it was one.
template <typename TextAt> bool answer_tooltip(QWidget* widget, QEvent* event, TextAt text_at)
{
    if (event->type() != QEvent::ToolTip)
        return false;
    auto* help = static_cast<QHelpEvent*>(event);
    show_tooltip(widget, help->globalPos(), text_at(QPointF(help->pos())));
    return true;
}

} // namespace timeslice::ui
