// timeslice: the window when started without a command; `run` and `render` on the command line.
#include "core/run/advise.h"
#include "core/cli/cli.h"
#include "core/run/compare.h"
#include "core/formats/trace_json.h"
#include "ui/export/image_export.h"
#include "ui/windows/main_window.h"

#include <QApplication>
#include <QGuiApplication>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <iostream>
#include <pthread.h>
#include <thread>

using namespace timeslice;

namespace {

constexpr int kBadInput = 2;

// The signals that stop a command-line run (and SIGUSR2, which says it finished).
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

// Image export needs Qt's painting but no display: render offscreen.
// On the command line Qt's notes about its runtime folder are noise: drop them, keep the rest.
void quiet_qt_messages()
{
    qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
        if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths:")))
            return;
        std::cerr << message.toStdString() << "\n";
    });
}

int render_image(int argc, char** argv, const Trace& trace, const std::string& path, cli::ImageSize size, bool hand_overs,
    std::ostream& out = std::cout)
{
    quiet_qt_messages();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QString error = ui::export_image(trace, QString::fromStdString(path), QSize(size.width, size.height), ui::full_range(trace), hand_overs);
    if (!error.isEmpty())
        return fail(error.toStdString());
    const ui::ReportSize written = ui::report_size(trace, QSize(size.width, size.height));
    out << "image: " << path << " (" << written.size.width() << "x" << written.size.height() << ")\n";
    if (const QString note = ui::report_size_note(written); !note.isEmpty())
        std::cerr << "timeslice: " << note.toStdString() << "\n";
    return 0;
}

// Waits for the run to finish; Ctrl+C (or SIGTERM) stops it the way the Stop button does.
// Returns the signal that stopped it, or 0.
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

int python_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_python(args);
    if (parsed.help) {
        std::cout << cli::python_help();
        return 0;
    }
    if (!parsed.command)
        return fail(parsed.error);
    const cli::PythonCommand& cmd = *parsed.command;
    std::unique_ptr<Runner> runner;
    try {
        runner = std::make_unique<Runner>(cmd.config);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    runner->start([] { kill(getpid(), SIGUSR2); });
    std::cerr << "timeslice: running " << cmd.config.python.program.script << " in " << runner->python_outcome().python.path
              << " " << runner->python_outcome().python.version() << " (Ctrl+C stops it)\n";
    const int stopped_by = wait_for_run(*runner);
    const auto trace = runner->snapshot();
    // The script's stdout is its own: Timeslice reports on stderr.
    std::cerr << cli::format_report(*trace);
    const PythonOutcome outcome = runner->python_outcome();
    if (outcome.bad_lines)
        std::cerr << "timeslice: " << outcome.bad_lines << " of the probe's " << outcome.probe_lines << " lines were not understood\n";
    if (!cmd.trace_path.empty()) {
        if (const std::string error = save_trace(*trace, scorecard_if_any(*trace), cmd.trace_path); !error.empty())
            return fail(error);
        std::cerr << "trace: " << cmd.trace_path << " (Chrome Trace Event JSON; opens in Perfetto UI)\n";
    }
    if (!cmd.image_path.empty()) {
        if (const int rc = render_image(argc, argv, *trace, cmd.image_path, cmd.size, cmd.hand_overs, std::cerr); rc != 0)
            return rc;
    }
    if (stopped_by)
        return 128 + stopped_by;
    // The script's own exit status, as python3 would have ended.
    const std::string& exit = trace->info.exit;
    if (exit.rfind("exit status ", 0) == 0)
        return std::atoi(exit.c_str() + 12);
    if (exit.rfind("killed by signal ", 0) == 0)
        return 128 + std::atoi(exit.c_str() + 17);
    return 1;
}

int run_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_run(args);
    if (parsed.help) {
        std::cout << cli::run_help();
        return 0;
    }
    if (!parsed.command)
        return fail(parsed.error);
    const cli::RunCommand& cmd = *parsed.command;

    // Ctrl+C stops the run the way the Stop button does: workers killed and reaped, then the
    // partial trace is still reported and saved.
    std::unique_ptr<Runner> owned;
    try {
        owned = std::make_unique<Runner>(cmd.config);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    Runner& runner = *owned;
    runner.start([] { kill(getpid(), SIGUSR2); });
    std::cerr << "timeslice: running " << cmd.config.workload << " under " << model_name(cmd.config.model)
              << (cmd.config.engine == Engine::CPython ? " in CPython " + runner.python_outcome().python.version() : std::string())
              << " (Ctrl+C stops it)\n";
    const int stopped_by = wait_for_run(runner);
    const auto trace = runner.snapshot();
    std::cout << cli::format_report(*trace);
    if (const PythonOutcome python = runner.python_outcome(); !python.output.empty()) {
        // What the program printed, kept apart from the report.
        std::cerr << "python's output" << (python.output_dropped ? " (the last " + std::to_string(python.output.size()) + " bytes)" : std::string())
                  << ":\n" << python.output << (python.output.back() == '\n' ? "" : "\n");
    }

    if (!cmd.trace_path.empty()) {
        if (const std::string error = save_trace(*trace, scorecard_if_any(*trace), cmd.trace_path); !error.empty())
            return fail(error);
        std::cout << "trace: " << cmd.trace_path << " (Chrome Trace Event JSON; opens in Perfetto UI)\n";
    }
    if (!cmd.image_path.empty()) {
        if (const int rc = render_image(argc, argv, *trace, cmd.image_path, cmd.size, cmd.hand_overs); rc != 0)
            return rc;
    }
    if (stopped_by)
        return 128 + stopped_by; // as a shell reports a command ended by that signal
    for (const TaskTrace& t : trace->tasks) {
        if (t.status != State::Done)
            return 1;
    }
    return 0;
}

int compare_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_compare(args);
    if (parsed.help) {
        std::cout << cli::compare_help();
        return 0;
    }
    if (!parsed.command)
        return fail(parsed.error);
    const cli::CompareCommand& cmd = *parsed.command;
    std::vector<std::shared_ptr<const Trace>> traces;
    std::vector<std::string> labels;
    int rc = 0;
    std::string note;
    std::vector<CompareEntry> entries;
    try {
        entries = cmd.engines.empty() ? compare_entries(cmd.config) : engine_compare_entries(cmd.config, cmd.engines, note);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
    if (!note.empty())
        std::cout << note << "\n\n";
    for (const CompareEntry& entry : entries) {
        std::shared_ptr<const Trace> trace;
        try {
            trace = run_to_end(entry.config);
        } catch (const std::exception& e) {
            return fail(e.what());
        }
        std::cout << cli::format_report(*trace) << "\n";
        for (const TaskTrace& t : trace->tasks)
            rc = t.status == State::Done ? rc : 1;
        if (!cmd.trace_dir.empty()) {
            const std::string path = cmd.trace_dir + "/" + compare_trace_name(entry);
            if (const std::string error = save_trace(*trace, scorecard_if_any(*trace), path); !error.empty())
                return fail(error);
            std::cout << "trace: " << path << "\n\n";
        }
        traces.push_back(trace);
        labels.push_back(entry.label);
    }
    std::vector<const Trace*> raw;
    for (const auto& t : traces)
        raw.push_back(t.get());
    std::cout << cli::format_compare_summary(labels, raw);
    std::string fidelity;
    if (!cmd.engines.empty()) {
        const Trace* native = nullptr;
        const Trace* cpython = nullptr;
        for (std::size_t i = 0; i < entries.size(); ++i)
            (entries[i].config.engine == Engine::Native ? native : cpython) = raw[i];
        if (native && cpython) {
            fidelity = fidelity_line(compare_fidelity(*native, *cpython,
                requested_waits(make_workload(cmd.config.workload, cmd.config.workload_options))));
            std::cout << fidelity << "\n";
        }
    }
    if (!cmd.trace_dir.empty()) {
        // The traces are saved; the manifest makes them one set the window reopens.
        ComparisonSet set;
        set.title = cmd.engines.empty() ? "every model" : "native against CPython";
        set.note = note + (note.empty() || fidelity.empty() ? "" : "\n") + fidelity;
        for (const CompareEntry& entry : entries) {
            set.labels.push_back(entry.label);
            set.files.push_back(compare_trace_name(entry));
        }
        if (const std::string error = save_comparison(set, cmd.trace_dir, false); !error.empty())
            return fail(error);
        std::cout << "comparison: " << cmd.trace_dir << "/" << kComparisonFile << " (File > Open comparison in the window)\n";
    }
    if (!cmd.image_path.empty()) {
        quiet_qt_messages();
        qputenv("QT_QPA_PLATFORM", "offscreen");
        QGuiApplication app(argc, argv);
        std::vector<ui::LabelledTrace> runs;
        for (std::size_t i = 0; i < traces.size(); ++i)
            runs.push_back(ui::LabelledTrace { QString::fromStdString(labels[i]), traces[i].get() });
        const QString error = ui::export_compare_image(runs, QString::fromStdString(cmd.image_path), QSize(cmd.size.width, cmd.size.height), cmd.hand_overs);
        if (!error.isEmpty())
            return fail(error.toStdString());
        std::cout << "image: " << cmd.image_path << " (" << cmd.size.width << "x" << cmd.size.height << ")\n";
    }
    return rc;
}

int advise_command(const std::vector<std::string>& args)
{
    AdviseOptions options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            std::cout << "Usage: timeslice advise [--workload W] [--quick]\n\n"
                         "Rebuilds the article's \"What to use?\" table from measurements on this machine:\n"
                         "I/O overlap (table-loading), use of all cores (square-numbers), scalability (a sweep of\n"
                         "N waiting tasks: async to 100,000, threads to 1,000, processes to 64) and GIL interference,\n"
                         "each next to the article's verdict; then applies the article's decision rule to W\n"
                         "(default table-loading). --quick sweeps smaller sizes (a few seconds).\n";
            return 0;
        }
        if (args[i] == "--quick") {
            options.async_sizes = { 10, 100, 1'000 };
            options.thread_sizes = { 10, 100 };
            options.process_sizes = { 2, 8 };
            options.iterations = 20'000'000;
        } else if (args[i] == "--workload" && i + 1 < args.size()) {
            const auto& names = builtin_workload_names();
            if (std::find(names.begin(), names.end(), args[i + 1]) == names.end())
                return fail("--workload: unknown workload '" + args[i + 1] + "' (choose table-loading, square-numbers, async-delay or mixed)");
            options.workload = args[++i];
        } else {
            return fail("advise: unknown option '" + args[i] + "' (see timeslice advise --help)");
        }
    }
    const Advice advice = measure_advice(options, [](const std::string& step) { std::cerr << "measuring " << step << "\n"; });
    std::cout << format_advice(advice);
    return 0;
}

int render_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_render(args);
    if (parsed.help) {
        std::cout << cli::render_help();
        return 0;
    }
    if (!parsed.command)
        return fail(parsed.error);
    Trace trace;
    std::string error;
    if (!load_trace(parsed.command->trace_path, trace, error))
        return fail(error);
    if (trace.foreign) {
        // Read-only: say what was drawn and what was left out.
        const ForeignTrace& f = *trace.foreign;
        std::cerr << "timeslice: " << trace.info.workload << ", read-only: " << f.threads << " thread"
                  << (f.threads == 1 ? "" : "s") << " in " << trace.tasks.size() << " row"
                  << (trace.tasks.size() == 1 ? "" : "s") << ", " << trace.span_count() << " spans\n";
        for (const std::string& line : f.not_understood)
            std::cerr << "timeslice: not understood: " << line << "\n";
    }
    return render_image(argc, argv, trace, parsed.command->image_path, parsed.command->size, parsed.command->hand_overs);
}

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

int gui(int argc, char** argv, const QString& trace_path, bool startup_probe = false)
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
    if (!trace_path.isEmpty())
        window.openTrace(trace_path);
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

} // namespace

int main(int argc, char** argv)
{
    // Before anything else: a Ctrl+C while the program is still loading must stop the run
    // cleanly, not kill it. The window unblocks them again.
    const sigset_t stop = stop_signals();
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return gui(argc, argv, {});
    const std::string& command = args[0];
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << cli::main_help();
        return 0;
    }
    if (command == "--startup-probe")
        return gui(argc, argv, {}, true);
    if (command == "--version") {
        std::cout << "timeslice " << TIMESLICE_VERSION << "\n";
        return 0;
    }
    if (command == "run")
        return run_command(argc, argv, rest);
    if (command == "render")
        return render_command(argc, argv, rest);
    if (command == "compare")
        return compare_command(argc, argv, rest);
    if (command == "python")
        return python_command(argc, argv, rest);
    if (command == "advise")
        return advise_command(rest);
    if (command.rfind("-", 0) != 0 && args.size() == 1 && command.size() > 5
        && command.compare(command.size() - 5, 5, ".json") == 0)
        return gui(argc, argv, QString::fromStdString(command));
    return fail("unknown command '" + command + "' (see timeslice --help)");
}
