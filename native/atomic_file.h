// Crash-safe file replacement: readers see either the old file or the complete new one.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace gan {

// Writes `data` to `path + ".tmp"`, fsyncs it, renames it over `path`, then
// fsyncs the containing directory (best effort). On failure the temp file is
// removed and std::runtime_error is thrown with the path, errno text and a hint.
// Not safe for two writers targeting the same path at once (they share the .tmp name).
// A symbolic link is written through (its target is replaced, the link kept); a device, pipe or socket at `path`
// is refused rather than replaced by a regular file.
void write_file_atomic(const std::string& path, const void* data, std::size_t size);

// One file of write_files_atomic.
struct FileToWrite {
  std::string path;
  const void* data;
  std::size_t size;
};

// Writes every file to its temp file first and renames them into place only when all were written, so a failure
// (disk full, say) leaves every one of `files` as it was.
void write_files_atomic(const std::vector<FileToWrite>& files);

}  // namespace gan
