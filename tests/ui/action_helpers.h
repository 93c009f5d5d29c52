#pragma once

// What the tests of the window's parts share: the run controls, and the file actions beside them,
// over a parameter panel in a plain widget that stands in for the main window, passing traces on
// as the window does.
#include "ui/export/image_export.h"
#include "ui/panels/parameter_panel.h"
#include "ui/tracks/zoom_state.h"
#include "ui/windows/file_actions.h"
#include "ui/windows/run_actions.h"
#include "window_helpers.h"

#include <QVBoxLayout>

namespace timeslice::test {

struct Runs {
    QWidget window;
    ui::ParameterPanel* parameters;
    ui::RunActions* runs;
    std::shared_ptr<const Trace> trace; // the last frame of a run, or what was opened
    QString status; // what the parts last said in the status bar, or what went wrong
    Runs()
        : parameters(new ui::ParameterPanel)
        , runs(new ui::RunActions(&window, parameters))
    {
        auto* layout = new QVBoxLayout(&window);
        layout->addWidget(parameters);
        layout->addWidget(runs->runButton());
        layout->addWidget(runs->stopButton());
        layout->addWidget(runs->compareButton());
        QObject::connect(runs, &ui::RunActions::snapshotReady, &window, [this](auto t) { trace = t; });
        QObject::connect(runs, &ui::RunActions::finished, &window, [this](auto t) { trace = t; });
        QObject::connect(runs, &ui::RunActions::statusMessage, &window, [this](const QString& s) { status = s; });
        QObject::connect(
            runs, &ui::RunActions::failed, &window, [this](const QString&, const QString& s) { status = s; });
        window.resize(420, 760);
        window.show();
        parameters->scaleBox()->setValue(0.05);
    }
    // Runs with 30,000,000 iterations per CPU task unless the test chose others.
    bool runAndWait(const QString& workload, const QString& model, int timeout_ms = 20000)
    {
        choose(parameters->workloadBox(), workload);
        choose(parameters->modelBox(), model);
        if (parameters->iterationsEdit()->text().isEmpty())
            parameters->iterationsEdit()->setText(QStringLiteral("30000000"));
        QSignalSpy finished(runs, &ui::RunActions::finished);
        if (!runs->runButton()->isEnabled())
            return false;
        QTest::mouseClick(runs->runButton(), Qt::LeftButton);
        return finished.wait(timeout_ms);
    }
};

struct Files : Runs {
    ui::ZoomState zoom;
    ui::FileActions* files;
    Files()
        : files(new ui::FileActions(&window, parameters, runs, &zoom))
    {
        const auto show = [this](std::shared_ptr<const Trace> t) {
            trace = t;
            zoom.setBounds(ui::full_range(*t));
            zoom.fit();
            files->setTrace(t);
        };
        QObject::connect(runs, &ui::RunActions::finished, &window, show);
        QObject::connect(files, &ui::FileActions::traceLoaded, &window, [show](const QString&, auto t) { show(t); });
        QObject::connect(files, &ui::FileActions::statusMessage, &window, [this](const QString& s) { status = s; });
        QObject::connect(
            files, &ui::FileActions::failed, &window, [this](const QString&, const QString& s) { status = s; });
    }
};

// Opens a trace as File > Open does (in the background) and waits for the answer.
inline QString open(ui::FileActions& files, const QString& path)
{
    QSignalSpy opened(&files, &ui::FileActions::traceOpened);
    files.openTrace(path);
    if (!opened.isEmpty())
        return opened.at(0).at(0).toString();
    if (!opened.wait(10000))
        return QStringLiteral("timed out");
    return opened.at(0).at(0).toString();
}

} // namespace timeslice::test
