// File reading with zlib for .gz, and folder creation.
#include "file_io.h"

#include <sys/stat.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace gan {

std::vector<uint8_t> read_file(const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw UserError("cannot open " + path + ": " + std::strerror(errno) + "; check the path");
  struct stat st {};
  if (fstat(fileno(f.get()), &st) != 0 || !S_ISREG(st.st_mode))
    throw UserError(path + " is not a regular file; pass the path of a file, not a folder");
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    throw UserError(path + " is " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
                    " this command reads; is it the right file?");
  std::vector<uint8_t> data(static_cast<size_t>(st.st_size));
  if (!data.empty() && std::fread(data.data(), 1, data.size(), f.get()) != data.size())
    throw UserError("cannot read " + path + ": " + std::strerror(errno));
  return data;
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& data, const std::string& name, uint64_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::runtime_error("zlib: inflateInit2 failed");
  std::vector<uint8_t> out;
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  uint8_t chunk[1 << 16];
  while (rc != Z_STREAM_END) {
    zs.next_out = chunk;
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      throw UserError(name + ": corrupt or truncated gzip data (" + (zs.msg ? zs.msg : "unexpected end") +
                      "); download or copy the file again");
    }
    out.insert(out.end(), chunk, chunk + (sizeof chunk - zs.avail_out));
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      throw UserError(name + ": inflates to more than " + std::to_string(max_bytes) + " bytes; is it the right file?");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw UserError(name + ": truncated gzip data; download or copy the file again");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::vector<uint8_t> read_file_maybe_gz(const std::string& path, uint64_t max_bytes) {
  std::vector<uint8_t> data = read_file(path, max_bytes);
  if (data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b) return gunzip(data, path, max_bytes);
  return data;
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
  struct stat st {};
  if (stat(file_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw UserError("cannot write " + file_path + ": it is a folder; pass a file name");
  const auto slash = file_path.find_last_of('/');
  if (slash == std::string::npos) return;
  const std::string dir = slash == 0 ? "/" : file_path.substr(0, slash);
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw UserError("cannot write " + file_path + ": " + dir + " is not an existing folder; create it first or "
                    "choose another path");
}

UserError file_error(const std::string& path, const std::string& message, const std::string& advice) {
  const std::string prefix = message.find(path) == std::string::npos ? path + ": " : "";
  const std::string suffix = message.find("; ") == std::string::npos ? "; " + advice : "";
  return UserError(prefix + message + suffix);
}

}  // namespace gan
