#pragma once

// Where save, export and open dialogs start and what they remember: the folder last used ("files/lastDir").

#include <QSize>
#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace timeslice::ui {

// The folder last used; `fallback` when there is none yet.
QString last_folder(const QString& fallback);
void remember_folder(const QString& folder);

// Suggests `name` in the last folder (with no name, the folder alone), asks where to save, adds
// `extension` when the chosen name has none, and remembers the folder. Empty when cancelled.
QString ask_save_path(
    QWidget* parent, const QString& title, const QString& name, const QString& filter, const QString& extension);
// Asks which file to open, starting in the last folder, and remembers its folder. Empty when cancelled.
QString ask_open_path(QWidget* parent, const QString& title, const QString& filter);

// Export image…: the export dialog with `name` suggested in the last folder; the folder chosen is
// remembered. Nothing when cancelled.
struct ImageTarget {
    QString path;
    QSize size;
};
std::optional<ImageTarget> ask_image_target(
    QWidget* parent, const QString& name, QSize size, std::function<QString(QSize)> size_note = {});

} // namespace timeslice::ui
