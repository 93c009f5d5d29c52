// The one place save, export and open dialogs get their folder, extension and remembered folder.
#include "ui/windows/save_path.h"

#include "ui/export/export_dialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>

namespace timeslice::ui {

namespace {

const QString kLastFolder = QStringLiteral("files/lastDir");

// `<last folder>/<name>`, in the home folder when none was used yet.
QString suggested_path(const QString& name) { return QStringLiteral("%1/%2").arg(last_folder(QDir::homePath()), name); }

} // namespace

QString last_folder(const QString& fallback) { return QSettings().value(kLastFolder, fallback).toString(); }

void remember_folder(const QString& folder) { QSettings().setValue(kLastFolder, folder); }

QString ask_save_path(
    QWidget* parent, const QString& title, const QString& name, const QString& filter, const QString& extension)
{
    const QString suggested = name.isEmpty() ? last_folder(QString()) : suggested_path(name);
    QString path = QFileDialog::getSaveFileName(parent, title, suggested, filter);
    if (path.isEmpty())
        return {};
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + extension;
    remember_folder(QFileInfo(path).absolutePath());
    return path;
}

QString ask_open_path(QWidget* parent, const QString& title, const QString& filter)
{
    const QString path = QFileDialog::getOpenFileName(parent, title, last_folder(QString()), filter);
    if (!path.isEmpty())
        remember_folder(QFileInfo(path).absolutePath());
    return path;
}

std::optional<ImageTarget> ask_image_target(
    QWidget* parent, const QString& name, QSize size, std::function<QString(QSize)> size_note)
{
    ExportDialog dialog(parent);
    dialog.setPath(suggested_path(name));
    dialog.setImageSize(size);
    if (size_note)
        dialog.setSizeNote(std::move(size_note));
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    remember_folder(QFileInfo(dialog.path()).absolutePath());
    return ImageTarget { dialog.path(), dialog.imageSize() };
}

} // namespace timeslice::ui
