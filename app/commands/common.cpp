// Responsible for the helpers the commands share.
#include "app/commands/common.h"

#include "ui/export/image_export.h"

#include <QGuiApplication>

namespace timeslice::app {

namespace {

constexpr int kBadInput = 2;

} // namespace

sigset_t stop_signals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGUSR2);
    return set;
}

int fail(const std::string& message)
{
    std::cerr << "timeslice: error: " << message << "\n";
    return kBadInput;
}

void quiet_qt_messages()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths:")))
            return;
        std::cerr << message.toStdString() << "\n";
    });
}

int render_image(int argc, char** argv, const Trace& trace, const std::string& path, cli::ImageSize size,
    bool hand_overs, std::ostream& out)
{
    quiet_qt_messages();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QString error = ui::export_image(
        trace, QString::fromStdString(path), QSize(size.width, size.height), ui::full_range(trace), hand_overs);
    if (!error.isEmpty())
        return fail(error.toStdString());
    const QSize asked(size.width, size.height);
    const ui::ReportSize written = ui::report_size(trace, asked);
    const std::size_t pages = cli::extension_of(path) == "pdf" ? ui::report_pages(trace, asked).slices.size() : 1;
    if (pages > 1) {
        // A tall PDF is printed on pages as tall as asked, cut between rows.
        out << "image: " << path << " (" << pages << " pages " << size.width << " wide, at most " << size.height
            << " tall: rows cut between pages, the time axis atop each)\n";
        std::cerr << "timeslice: " << written.rows << " rows: " << pages << " pages so each row stays readable ("
                  << int(written.row_height) << " px)\n";
        return 0;
    }
    out << "image: " << path << " (" << written.size.width() << "x" << written.size.height() << ")\n";
    if (const QString note = ui::report_size_note(written); !note.isEmpty())
        std::cerr << "timeslice: " << note.toStdString() << "\n";
    return 0;
}

int wait_for_run(Runner& runner)
{
    // SIGINT and SIGTERM have been blocked since main() began, so one that came during start-up
    // is still pending here; every thread inherits the mask, and this one takes them. SIGUSR2
    // says the run has finished.
    const sigset_t wake = stop_signals();
    int sig = 0;
    int stopped_by = 0;
    while (!runner.finished()) {
        if (sigwait(&wake, &sig) == 0 && sig != SIGUSR2 && stopped_by == 0) {
            std::cerr << "timeslice: stopping the run\n";
            stopped_by = sig;
            runner.cancel();
        }
    }
    runner.wait();
    return stopped_by;
}

} // namespace timeslice::app
