// Crash-safe file replacement: readers see either the old file or the complete new one.
#pragma once

#include <cstddef>
#include <string>

namespace gan {

// Writes `data` to `path + ".tmp"`, fsyncs it, renames it over `path`, then
// fsyncs the containing directory (best effort). On failure the temp file is
// removed and std::runtime_error is thrown with the path, errno text and a hint.
// Not safe for two writers targeting the same path at once (they share the .tmp name).
void write_file_atomic(const std::string& path, const void* data, std::size_t size);

}  // namespace gan
