#include "ui/export/export_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace timeslice::ui {

ExportDialog::ExportDialog(QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export image"));
    m_path = new QLineEdit;
    m_path->setObjectName(QStringLiteral("exportPath"));
    auto* browse = new QPushButton(tr("Browse…"));
    auto* path_row = new QHBoxLayout;
    path_row->addWidget(m_path, 1);
    path_row->addWidget(browse);
    m_width = new QSpinBox;
    m_width->setObjectName(QStringLiteral("exportWidth"));
    m_width->setRange(200, 10000);
    m_width->setSuffix(QStringLiteral(" px"));
    m_height = new QSpinBox;
    m_height->setObjectName(QStringLiteral("exportHeight"));
    m_height->setRange(150, 10000);
    m_height->setSuffix(QStringLiteral(" px"));
    auto* size_row = new QHBoxLayout;
    size_row->addWidget(m_width);
    size_row->addWidget(new QLabel(QStringLiteral("×")));
    size_row->addWidget(m_height);
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("sizeNote"));
    m_note->setWordWrap(true);
    m_note->hide();
    m_error = new QLabel;
    m_error->setStyleSheet(QStringLiteral("color: #B00020;"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Export"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("File"), path_row);
    form->addRow(tr("Size"), size_row);
    form->addRow(m_note);
    form->addRow(new QLabel(tr("The extension chooses the format: .png, .svg or .pdf. The image shows the visible "
                               "time range, with the title block, legend and CPU usage.")));
    form->addRow(m_error);
    form->addRow(buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen = QFileDialog::getSaveFileName(this, tr("Export image"), m_path->text(),
            tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
        if (!chosen.isEmpty())
            m_path->setText(chosen);
    });
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::validate);
    connect(m_width, &QSpinBox::valueChanged, this, &ExportDialog::updateNote);
    connect(m_height, &QSpinBox::valueChanged, this, &ExportDialog::updateNote);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setImageSize(QSize(1600, 900));
    validate();
}

QString ExportDialog::path() const { return m_path->text().trimmed(); }
void ExportDialog::setPath(const QString& path) { m_path->setText(path); }
QSize ExportDialog::imageSize() const { return QSize(m_width->value(), m_height->value()); }

void ExportDialog::setImageSize(QSize size)
{
    m_width->setValue(size.width());
    m_height->setValue(size.height());
}

void ExportDialog::setSizeNote(std::function<QString(QSize)> note)
{
    m_size_note = std::move(note);
    updateNote();
}

QString ExportDialog::sizeNote() const { return m_note->text(); }

void ExportDialog::updateNote()
{
    const QString text = m_size_note ? m_size_note(imageSize()) : QString();
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

void ExportDialog::validate()
{
    const QString suffix = QFileInfo(path()).suffix().toLower();
    const bool ok = suffix == QLatin1String("png") || suffix == QLatin1String("svg") || suffix == QLatin1String("pdf");
    m_error->setText(ok ? QString() : tr("End the file name in .png, .svg or .pdf."));
    m_ok->setEnabled(ok);
}

} // namespace timeslice::ui
