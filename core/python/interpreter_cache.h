#pragma once

// What Timeslice remembers of an interpreter between runs, and how it knows the interpreter is
// still the same (engine.cpp's find_python and check_import).

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace timeslice {

// The file `executable` names: itself if it holds a '/', else the first executable of that name
// on PATH, as execvp finds it; empty if there is none.
std::string resolve_executable(const std::string& executable);

// What identifies a file's content without reading it: where it is, its size and when it changed.
struct FileIdentity {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    std::int64_t mtime_ns = 0;
    friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// The identity of a regular file; none for a missing one.
std::optional<FileIdentity> file_identity(const std::string& path);

// Only a program file is identified: a script in its place (pyenv's python3, a wrapper) may pick
// another interpreter each time it runs, by the folder it runs in or the environment.
std::optional<FileIdentity> program_identity(const std::string& path);

// What was learnt of an interpreter, kept while the file it was learnt from is the same: a window
// that runs Python again does not start an interpreter twice (~0.05 s each, and ~0.1 s more for
// an import check) before the program's own. Only successes are kept: an interpreter that
// failed, or a module that was missing, is asked again, so installing it is seen at once.
template <typename Value> class InterpreterCache {
public:
    std::optional<Value> find(const std::string& key, const std::string& file)
    {
        const auto id = program_identity(file);
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.find(key);
        if (!id || it == m_entries.end() || it->second.first != *id)
            return std::nullopt;
        return it->second.second;
    }
    void keep(const std::string& key, const std::string& file, Value value)
    {
        if (const auto id = program_identity(file)) {
            std::lock_guard lock(m_mutex);
            m_entries.insert_or_assign(key, std::pair { *id, std::move(value) });
        }
    }

private:
    std::mutex m_mutex;
    std::map<std::string, std::pair<FileIdentity, Value>> m_entries;
};

} // namespace timeslice
