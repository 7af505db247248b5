// Reading files for the native front end: whole files into memory, gzip handled, errors that say what to do.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace gan {

// Thrown for a problem the user can fix (missing file, bad flag value, unwritable folder): printed without a trace.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads a whole file; refuses what is not a regular file (a folder, a named pipe, a device) before opening it, and
// files larger than max_bytes before reading them.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes = uint64_t{2} << 30);
// Reads a file and, when it starts with the gzip magic, inflates it (at most max_bytes out).
std::vector<uint8_t> read_file_maybe_gz(const std::string& path, uint64_t max_bytes = uint64_t{2} << 30);
// Inflates gzip data held in memory (every member of a multi-member file; trailing garbage is an error); `name`
// labels errors.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& data, const std::string& name, uint64_t max_bytes);

bool file_exists(const std::string& path);
// Whether `path` ends in `suffix` (".json").
bool ends_with(const std::string& path, const std::string& suffix);
// Creates a folder and its parents; throws UserError when that is impossible.
void make_dirs(const std::string& path);
// Throws UserError when `file_path` cannot be an output file (empty, its folder is missing or not writable, or it is
// itself a folder), so a command can refuse a bad output path before it replaces any other output.
void check_output_path(const std::string& file_path);
// Throws UserError unless `path` (given with `flag`) ends in .png: gan writes PNG images only, and a PNG saved
// under another name (out.jpg) misleads every program that opens it.
void check_png_name(const std::string& path, const std::string& flag);
// The three checks of a PNG output given with `flag` (nothing for an empty path): check_output_path, check_png_name
// and refuse_overwriting(path, flag, inputs).
void check_png_output(const std::string& path, const std::string& flag,
                      const std::vector<std::pair<std::string, std::string>>& inputs);
// Whether two paths name the same file (through links and "./"), existing or not.
bool same_file(const std::string& a, const std::string& b);
// Throws UserError when `output` (given with `flag`) names the same file as one of `inputs` (flag, path pairs; empty
// paths are skipped): every command refuses to write over what it reads, before it reads or writes anything.
void refuse_overwriting(const std::string& output, const std::string& flag,
                        const std::vector<std::pair<std::string, std::string>>& inputs);
// A parser's message about `path` as a UserError: the path is prefixed when the message lacks it, and `advice` is
// appended when the message gives none (no "; ").
UserError file_error(const std::string& path, const std::string& message, const std::string& advice);

}  // namespace gan
