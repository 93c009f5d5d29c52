#pragma once

#include <QDialog>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace timeslice::ui {

// File → Export image: where to (the extension picks PNG, SVG or PDF) and at what size.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(QWidget* parent = nullptr);

    QString path() const;
    void setPath(const QString& path);
    QSize imageSize() const;
    void setImageSize(QSize size);
    // What the picture at the chosen size will be, shown under the size as it changes (e.g. that
    // it grows to keep many rows readable); nothing is shown when `note` returns empty.
    void setSizeNote(std::function<QString(QSize)> note);
    QString sizeNote() const;

private:
    void validate();
    void updateNote();

    QLineEdit* m_path;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QLabel* m_note;
    QLabel* m_error;
    QPushButton* m_ok = nullptr;
    std::function<QString(QSize)> m_size_note;
};

} // namespace timeslice::ui
