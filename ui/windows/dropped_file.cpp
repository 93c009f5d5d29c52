#include "ui/windows/dropped_file.h"

#include <QFile>
#include <QMimeData>
#include <QUrl>

namespace timeslice::ui {

FileKind sniff_json(std::string_view head)
{
    if (head.starts_with("\xEF\xBB\xBF"))
        head.remove_prefix(3);
    const std::size_t first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return FileKind::None;
    if (head[first] == '[')
        return FileKind::Trace;
    if (head[first] != '{')
        return FileKind::None;
    // A trace names its events before anything that could look like a workload's tasks.
    if (head.find("\"traceEvents\"") != std::string_view::npos)
        return FileKind::Trace;
    if (head.find("\"tasks\"") != std::string_view::npos && head.find("\"steps\"") != std::string_view::npos)
        return FileKind::Workload;
    return FileKind::None;
}

DroppedFile dropped_file(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    // Enough for a workload file's tasks or a trace's first events, read on every drag over the
    // window.
    constexpr qint64 kSniffBytes = 64 * 1024;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QByteArray head = file.read(kSniffBytes);
        const FileKind kind = sniff_json(std::string_view(head.constData(), std::size_t(head.size())));
        if (kind != FileKind::None)
            return { path, kind };
        if (path.endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
            return { path, FileKind::Trace };
    }
    return {};
}

} // namespace timeslice::ui
