// Responsible for the window: `timeslice` with no command, with a saved trace, or with --startup-probe.
#include "app/commands/common.h"

#include "ui/windows/main_window.h"

#include <QApplication>

#include <ctime>
#include <fstream>
#include <pthread.h>
#include <sstream>
#include <unistd.h>

namespace timeslice::app {

namespace {

// Milliseconds since this process started (the kernel's start time, 10 ms ticks).
double ms_since_process_start()
{
    std::ifstream stat("/proc/self/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream fields(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) { }
    const double start_s = std::stod(field) / double(sysconf(_SC_CLK_TCK));
    timespec now {};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return (double(now.tv_sec) + double(now.tv_nsec) / 1e9 - start_s) * 1000.0;
}

} // namespace

int window_command(int argc, char** argv, const std::string& trace_path, bool startup_probe)
{
    const sigset_t stop = stop_signals();
    pthread_sigmask(SIG_UNBLOCK, &stop, nullptr); // the window ends on Ctrl+C as any program does
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")
        && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        return fail("no display to open the window on (DISPLAY is not set); use 'timeslice run ...' on the "
                    "command line, or start the window under xvfb-run");
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Timeslice"));
    QApplication::setApplicationName(QStringLiteral("Timeslice"));
    QApplication::setApplicationVersion(QStringLiteral(TIMESLICE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("timeslice"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/timeslice.svg")));
    ui::MainWindow window;
    window.show();
    if (!trace_path.empty())
        window.openTrace(QString::fromStdString(trace_path));
    if (startup_probe) {
        // --startup-probe: how long from launch until the window has been shown and painted.
        QMetaObject::invokeMethod(
            &app,
            [&window] {
                window.repaint();
                std::cout << "window shown " << ms_since_process_start() << " ms after launch\n";
                QApplication::quit();
            },
            Qt::QueuedConnection);
    }
    return app.exec();
}

} // namespace timeslice::app
