#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace timeslice {

// A whole file to read, followed by at least `padding` readable bytes (for a parser that reads
// ahead: simdjson). A regular file is mapped from the page cache, not copied: a 1.4 GB trace
// then costs no 1.4 GB of fresh memory the kernel must zero first. Anything else (a pipe, a
// /proc file, a file that cannot be mapped) is read into memory of its own.
//
// A mapped file that another program shortens while it is read would kill the reader with
// SIGBUS. Here the page past the new end reads as zeros instead, and truncated() says so: the
// caller reports the file as changed while read and drops what it made of it.
class FileText {
public:
    FileText() = default;
    ~FileText();
    FileText(const FileText&) = delete;
    FileText& operator=(const FileText&) = delete;

    // On error returns false, with a message naming the path and the reason.
    bool open(const std::string& path, std::string& error, std::size_t max_bytes, std::size_t padding);

    std::string_view text() const noexcept { return { m_data, m_size }; }
    const char* data() const noexcept { return m_data; }
    std::size_t size() const noexcept { return m_size; }
    // Readable bytes from data(): size() + at least the padding asked for.
    std::size_t capacity() const noexcept { return m_capacity; }
    bool mapped() const noexcept { return m_map != nullptr; }
    // Whether the file is, or was found, shorter than when it was opened (a mapped file only):
    // the bytes past its new end read as zeros.
    bool truncated() const noexcept;

private:
    void close() noexcept;

    std::string m_copy;
    void* m_map = nullptr;
    std::size_t m_map_bytes = 0;
    int m_guard = -1; // the SIGBUS guard's slot for the mapping
    int m_fd = -1; // the mapped file
    const char* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_capacity = 0;
};

} // namespace timeslice
