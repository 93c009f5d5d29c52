// What a Python program printed, shown apart from the timeline.
#include "ui/panels/program_output.h"

#include "core/python/engine.h"

#include <QFontDatabase>
#include <QScrollBar>
#include <QTextCursor>

namespace timeslice::ui {

ProgramOutput::ProgramOutput(QWidget* parent)
    : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("programOutput"));
    setAccessibleName(tr("Python's output"));
    setReadOnly(true);
    setMaximumBlockCount(20000);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void ProgramOutput::restart()
{
    clear();
    m_seen = 0;
}

void ProgramOutput::showOutput(const PythonOutcome& outcome)
{
    const std::string& output = outcome.output;
    const std::uint64_t total = outcome.output_dropped + output.size();
    if (total <= m_seen)
        return;
    const std::uint64_t fresh = total - m_seen;
    QTextCursor end(document());
    end.movePosition(QTextCursor::End);
    if (fresh > output.size())
        end.insertText(tr("\n[… %1 bytes not shown …]\n").arg(fresh - output.size()));
    const std::size_t from = output.size() - std::size_t(std::min<std::uint64_t>(fresh, output.size()));
    end.insertText(QString::fromUtf8(output.data() + from, qsizetype(output.size() - from)));
    m_seen = total;
    verticalScrollBar()->setValue(verticalScrollBar()->maximum());
}

} // namespace timeslice::ui
