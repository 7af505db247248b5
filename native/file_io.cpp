// File reading with zlib for .gz, and folder creation.
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <memory>

namespace gan {

namespace {

// What a path that is not a regular file is, for the message that refuses it.
const char* file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

[[noreturn]] void not_regular(const std::string& path, mode_t mode) {
  throw UserError(path + " is not a regular file (it is " + file_type_name(mode) +
                  "); pass the path of a regular file" +
                  (S_ISDIR(mode) ? ", not a folder" : ", e.g. a copy saved to disk"));
}

// The size a gzip file's last member says it inflates to (its trailer's ISIZE, modulo 4 GiB): a hint to reserve
// memory once, never trusted for anything else.
uint64_t stated_gzip_size(const std::vector<uint8_t>& data) {
  if (data.size() < 18) return 0;
  const uint8_t* t = data.data() + data.size() - 4;
  return uint64_t{t[0]} | uint64_t{t[1]} << 8 | uint64_t{t[2]} << 16 | uint64_t{t[3]} << 24;
}

}  // namespace

// The path is checked with stat() before it is opened, and opened without blocking: opening a named pipe would
// otherwise wait forever for a writer, and a device such as /dev/zero never ends.
std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    throw UserError("cannot open " + path + ": " + std::strerror(errno) + "; check the path");
  if (!S_ISREG(st.st_mode)) not_regular(path, st.st_mode);
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw UserError("cannot open " + path + ": " + std::strerror(errno) + "; check the path and its permissions");
  std::unique_ptr<FILE, int (*)(FILE*)> f(fdopen(fd, "rb"), &std::fclose);
  if (!f) {
    close(fd);
    throw UserError("cannot open " + path + ": " + std::strerror(errno) + "; check the path");
  }
  if (fstat(fd, &st) != 0) throw UserError("cannot read " + path + ": " + std::strerror(errno) + "; check the path");
  if (!S_ISREG(st.st_mode)) not_regular(path, st.st_mode);  // replaced between stat() and open()
  const int flags = fcntl(fd, F_GETFL);
  if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    throw UserError(path + " is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
                    " this command reads; is it the right file?");
  std::vector<uint8_t> data(static_cast<size_t>(st.st_size));
  if (!data.empty() && std::fread(data.data(), 1, data.size(), f.get()) != data.size())
    throw UserError("cannot read " + path + ": " + std::strerror(errno) + "; check that the file is not being changed");
  return data;
}

// Every gzip member in turn (`cat a.gz b.gz` is valid gzip, and inflates to both files' contents, as gunzip does);
// bytes after the last member that do not start another one are refused rather than ignored.
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& data, const std::string& name, uint64_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
  std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, &inflateEnd);
  std::vector<uint8_t> out;
  constexpr size_t kChunk = size_t{1} << 16;
  constexpr uint64_t kMostDeflateRatio = 1032;  // deflate's limit: a hostile trailer cannot reserve more than this
  const uint64_t hint = std::min({stated_gzip_size(data), max_bytes, data.size() * kMostDeflateRatio});
  out.reserve(static_cast<size_t>(hint) + kChunk);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  for (;;) {
    const size_t before = out.size();
    out.resize(before + kChunk);  // within the reserve while the trailer told the truth: no copy of what is inflated
    zs.next_out = out.data() + before;
    zs.avail_out = static_cast<uInt>(kChunk);
    const int rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(before + (kChunk - zs.avail_out));
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      throw UserError(name + ": corrupt gzip data (" + (zs.msg ? zs.msg : "inflate failed") +
                      "); download or copy the file again");
    if (out.size() > max_bytes)
      throw UserError(name + ": inflates to more than " + std::to_string(max_bytes) + " bytes; is it the right file?");
    if (rc == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      if (zs.avail_in >= 2 && zs.next_in[0] == 0x1f && zs.next_in[1] == 0x8b) {  // another member follows
        inflateReset(&zs);
        continue;
      }
      throw UserError(name + ": " + std::to_string(zs.avail_in) +
                      " bytes of trailing garbage after the gzip data; download or copy the file again");
    }
    if (rc == Z_BUF_ERROR && zs.avail_in != 0)
      throw UserError(name + ": corrupt gzip data; download or copy the file again");
    if (zs.avail_in == 0 && zs.avail_out != 0)  // all input used, the stream not finished
      throw UserError(name + ": truncated gzip data; download or copy the file again");
  }
  return out;
}

std::vector<uint8_t> read_file_maybe_gz(const std::string& path, uint64_t max_bytes) {
  std::vector<uint8_t> data = read_file(path, max_bytes);
  if (data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b) return gunzip(data, path, max_bytes);
  return data;
}

bool ends_with(const std::string& path, const std::string& suffix) {
  return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0;
}

void make_dirs(const std::string& path) {
  if (path.empty()) return;
  std::string partial;
  size_t pos = 0;
  while (pos != std::string::npos) {
    pos = path.find('/', pos + 1);
    partial = path.substr(0, pos);
    if (partial.empty()) continue;
    if (mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
      throw UserError("cannot create folder " + partial + ": " + std::strerror(errno) +
                      "; choose a folder path that can be created and written to");
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UserError(path + " exists and is not a folder; choose another output folder");
}

void check_output_path(const std::string& file_path) {
  if (file_path.empty()) throw UserError("the output file name is empty; pass a file name");
  struct stat st {};
  if (stat(file_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UserError("cannot write " + file_path + ": it is a folder; pass a file name");
  if (file_path.back() == '/') throw UserError("cannot write " + file_path + ": it names a folder; pass a file name");
  const auto slash = file_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : file_path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UserError("cannot write " + file_path + ": " + dir + " is not an existing folder; create it first or "
                    "choose another path");
  if (access(dir.c_str(), W_OK | X_OK) != 0)
    throw UserError("cannot write " + file_path + ": the folder " + dir + " is not writable (" + std::strerror(errno) +
                    "); choose another path");
}

void check_png_name(const std::string& path, const std::string& flag) {
  std::string ext = path.size() >= 4 ? path.substr(path.size() - 4) : "";
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".png")
    throw UserError(flag + " " + path + ": gan writes PNG images only; give the file a .png name");
}

void check_png_output(const std::string& path, const std::string& flag,
                      const std::vector<std::pair<std::string, std::string>>& inputs) {
  if (path.empty()) return;
  check_output_path(path);
  check_png_name(path, flag);
  refuse_overwriting(path, flag, inputs);
}

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::equivalent(a, b, ec)) return true;
  // Absolute first: weakly_canonical leaves a relative path whose first part does not exist as it is.
  std::error_code ea, eb;
  const fs::path ca = fs::weakly_canonical(fs::absolute(a, ea), ea), cb = fs::weakly_canonical(fs::absolute(b, eb), eb);
  return !ea && !eb && ca == cb;
}

void refuse_overwriting(const std::string& output, const std::string& flag,
                        const std::vector<std::pair<std::string, std::string>>& inputs) {
  for (const auto& [input_flag, input] : inputs)
    if (!input.empty() && same_file(output, input))
      throw UserError(flag + " " + output + " is the same file as " + input_flag + " " + input +
                      ": writing it would destroy the input; write the output elsewhere");
}

UserError file_error(const std::string& path, const std::string& message, const std::string& advice) {
  const std::string prefix = message.find(path) == std::string::npos ? path + ": " : "";
  const std::string suffix = message.find("; ") == std::string::npos ? "; " + advice : "";
  return UserError(prefix + message + suffix);
}

}  // namespace gan
