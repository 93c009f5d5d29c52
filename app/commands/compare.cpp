// Responsible for `timeslice compare [options]`: a workload run under every model (or both engines), side by side.
#include "app/commands/common.h"

#include "core/formats/trace_json.h"
#include "core/run/compare.h"
#include "ui/export/image_export.h"

#include <QGuiApplication>

namespace timeslice::app {

namespace {

// With --engines: how closely the native run followed CPython's, printed; "" without both runs.
std::string print_fidelity(
    const cli::CompareCommand& cmd, const std::vector<CompareEntry>& entries, const std::vector<const Trace*>& raw)
{
    std::string fidelity;
    if (!cmd.engines.empty()) {
        const Trace* native = nullptr;
        const Trace* cpython = nullptr;
        for (std::size_t i = 0; i < entries.size(); ++i)
            (entries[i].config.engine == Engine::Native ? native : cpython) = raw[i];
        if (native && cpython) {
            fidelity = fidelity_line(compare_fidelity(
                *native, *cpython, requested_waits(make_workload(cmd.config.workload, cmd.config.workload_options))));
            std::cout << fidelity << "\n";
        }
    }
    return fidelity;
}

// The traces are saved; the manifest makes them one set the window reopens.
int save_manifest(const cli::CompareCommand& cmd, const std::vector<CompareEntry>& entries, const std::string& note,
    const std::string& fidelity)
{
    ComparisonSet set;
    set.title = cmd.engines.empty() ? "every model" : "native against CPython";
    set.note = note + (note.empty() || fidelity.empty() ? "" : "\n") + fidelity;
    for (const CompareEntry& entry : entries) {
        set.labels.push_back(entry.label);
        set.files.push_back(compare_trace_name(entry));
    }
    if (const std::string error = save_comparison(set, cmd.trace_dir, false); !error.empty())
        return fail(error);
    std::cout << "comparison: " << cmd.trace_dir << "/" << kComparisonFile
              << " (File > Open comparison in the window)\n";
    return 0;
}

// The runs stacked on one time axis, drawn offscreen.
int export_image(int argc, char** argv, const cli::CompareCommand& cmd, const std::vector<std::string>& labels,
    const std::vector<std::shared_ptr<const Trace>>& traces)
{
    quiet_qt_messages();
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    std::vector<ui::LabelledTrace> runs;
    for (std::size_t i = 0; i < traces.size(); ++i)
        runs.push_back(ui::LabelledTrace { QString::fromStdString(labels[i]), traces[i].get() });
    const QString error = ui::export_compare_image(
        runs, QString::fromStdString(cmd.image_path), QSize(cmd.size.width, cmd.size.height), cmd.hand_overs);
    if (!error.isEmpty())
        return fail(error.toStdString());
    std::cout << "image: " << cmd.image_path << " (" << cmd.size.width << "x" << cmd.size.height << ")\n";
    return 0;
}

} // namespace

int compare_command(int argc, char** argv, const std::vector<std::string>& args)
{
    const auto parsed = cli::parse_compare(args);
    if (const auto status = answer_instead(parsed, cli::compare_help))
        return *status;
    const cli::CompareCommand& cmd = *parsed.command;
    std::vector<std::shared_ptr<const Trace>> traces;
    std::vector<std::string> labels;
    int rc = 0;
    std::string note;
    std::vector<CompareEntry> entries;
    try {
        entries
            = cmd.engines.empty() ? compare_entries(cmd.config, note, cmd.models) : engine_compare_entries(cmd.config, cmd.engines, note);
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
    const std::string fidelity = print_fidelity(cmd, entries, raw);
    if (!cmd.trace_dir.empty()) {
        if (const int failed = save_manifest(cmd, entries, note, fidelity); failed != 0)
            return failed;
    }
    if (!cmd.image_path.empty()) {
        if (const int failed = export_image(argc, argv, cmd, labels, traces); failed != 0)
            return failed;
    }
    return rc;
}

} // namespace timeslice::app
