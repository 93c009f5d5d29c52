#pragma once

#include <QDialog>

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

private:
    void validate();

    QLineEdit* m_path;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QLabel* m_error;
    QPushButton* m_ok = nullptr;
};

} // namespace timeslice::ui
