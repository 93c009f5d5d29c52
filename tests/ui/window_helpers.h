#pragma once

// What the window tests share: choosing from a combo box, opening a trace as File > Open does,
// and a shown main window set up for short runs.
#include "ui/windows/main_window.h"
#include "ui/panels/parameter_panel.h"
#include "ui/windows/run_actions.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <gtest/gtest.h>

namespace timeslice::test {

// Lets every posted layout request and the resizes it causes run to the end, however busy the
// machine: a number of passes, not a number of milliseconds.
inline void settle()
{
    for (int i = 0; i < 8; ++i) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
    }
}

inline void choose(QComboBox* box, const QString& data)
{
    const int index = box->findData(data);
    ASSERT_GE(index, 0) << data.toStdString();
    box->setCurrentIndex(index);
}

// Writes a file of the test's own (a workload, a trace).
inline void write_file(const QString& path, const QByteArray& text)
{
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(text);
}

// Whether `colour` is anywhere in `image` (every other pixel looked at, enough for a span).
inline bool has_colour(const QImage& image, QColor colour)
{
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            if (image.pixelColor(x, y).rgb() == colour.rgb())
                return true;
        }
    }
    return false;
}

// A trace recorded on this project's machine, checked in under resources/examples.
inline QString example_trace(const char* name)
{
    return QStringLiteral(TIMESLICE_EXAMPLES_DIR "/") + QLatin1String(name);
}

// Opens a trace as File > Open does (in the background) and waits for the answer.
inline QString open(ui::MainWindow& window, const QString& path)
{
    QSignalSpy opened(&window, &ui::MainWindow::traceOpened);
    window.openTrace(path);
    if (!opened.wait(10000))
        return QStringLiteral("timed out");
    return opened.at(0).at(0).toString();
}

struct Fixture {
    ui::MainWindow window;
    Fixture()
    {
        window.setInteractive(false);
        window.resize(1200, 700);
        window.show();
        window.parameters()->scaleBox()->setValue(0.05);
    }
    // Runs with 30,000,000 iterations per CPU task unless the test chose others.
    bool runAndWait(const QString& workload, const QString& model, int timeout_ms = 20000)
    {
        choose(window.parameters()->workloadBox(), workload);
        choose(window.parameters()->modelBox(), model);
        if (window.parameters()->iterationsEdit()->text().isEmpty())
            window.parameters()->iterationsEdit()->setText(QStringLiteral("30000000"));
        QSignalSpy finished(&window, &ui::MainWindow::runFinished);
        if (!window.runs()->runButton()->isEnabled())
            return false;
        QTest::mouseClick(window.runs()->runButton(), Qt::LeftButton);
        return finished.wait(timeout_ms);
    }
};

} // namespace timeslice::test
