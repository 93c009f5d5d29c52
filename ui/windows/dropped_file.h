#pragma once

#include <QString>

#include <string_view>

class QMimeData;

namespace timeslice::ui {

// What a file dropped on the window holds, told from its first bytes (a cheap look, not a parse):
// a Chrome trace is an array of events or an object with "traceEvents"; a workload file is an
// object with "tasks" and their "steps".
enum class FileKind { None, Trace, Workload };
FileKind sniff_json(std::string_view head);

struct DroppedFile {
    QString path;
    FileKind kind = FileKind::None;
};
// The first local file among dropped URLs that is a trace or a workload file. A .json file that
// is neither goes to the trace reader, whose message says what is wrong with it.
DroppedFile dropped_file(const QMimeData* mime);

} // namespace timeslice::ui
