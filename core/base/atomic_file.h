#pragma once

#include <string>
#include <string_view>

namespace timeslice {

// Writes `content` to a temporary file beside `path`, flushes it to disk and renames it over
// `path`, so a reader never sees half a file and an existing file is replaced only on success.
// Returns an empty string on success, else a message naming the path and the reason.
std::string write_file_atomically(const std::string& path, std::string_view content);

// Reads a whole file; returns false and a message naming the path and the reason on error.
// `padding`: room to leave past the end (out.capacity() >= out.size() + padding), for a parser
// that reads ahead (simdjson). A regular file is read straight into a buffer of its size.
bool read_file(const std::string& path, std::string& out, std::string& error, std::size_t max_bytes,
    std::size_t padding = 0);

} // namespace timeslice
