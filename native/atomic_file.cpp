// Crash-safe file replacement (temp file + fsync + rename), shared by images and checkpoints.
#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace gan {
namespace {

// Maps errno to advice the user can act on, instead of a bare strerror.
const char* hint_for(int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT:
      return "disk full? free some space and try again";
    case ENOENT:
    case ENOTDIR:
      return "check that the folder exists";
    case EACCES:
    case EPERM:
    case EROFS:
      return "check that the folder is writable";
    case EISDIR:
      return "the path is a folder; pass a file name";
    case EFBIG:
      return "file too large for this filesystem or for the shell's file-size limit (ulimit -f)";
    default:
      return "check that the folder exists and is writable";
  }
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw std::runtime_error(what + " " + path + ": " + std::strerror(err) + "; " + hint_for(err));
}

// write(2) may write fewer bytes than asked (signals, pipes, quotas), so loop until done.
// Returns 0 on success or the errno of the failure.
int write_all(int fd, const unsigned char* p, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    if (n == 0) return EIO;  // no progress and no errno: avoid spinning forever
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

int fsync_retry(int fd) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

std::string parent_dir(const std::string& path) {
  std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Without this the rename itself may be lost on power failure; not all filesystems
// allow fsync on a directory, so errors are deliberately ignored.
void fsync_dir_best_effort(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)fsync_retry(fd);
  ::close(fd);
}

// The file to replace: `path` itself, or the file a symbolic link at `path` points to (so the link survives).
// Throws for a path that is neither a regular file nor missing: writing would replace a device or pipe.
std::string target_of(const std::string& path) {
  if (path.empty()) throw std::runtime_error("cannot write file: empty path; pass a file name");
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return path;  // missing (or unreadable: open() below reports why)
  std::string target = path;
  if (S_ISLNK(st.st_mode)) {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved)
      throw std::runtime_error("cannot write " + path + ": it is a symbolic link to a missing file or folder; " +
                               "remove the link or pass another file name");
    target = resolved;
    std::free(resolved);
    if (::stat(target.c_str(), &st) != 0) fail("cannot write", path, errno);
  }
  if (S_ISDIR(st.st_mode)) fail("cannot write", path, EISDIR);
  if (!S_ISREG(st.st_mode))
    throw std::runtime_error("cannot write " + path +
                             ": it is a device, pipe or socket, not a regular file; "
                             "pass the name of a file to write");
  return target;
}

// Writes `data` to `target + ".tmp"` and flushes it to disk. Returns the temp file's name; on failure removes it
// and throws, naming `path`.
std::string stage(const std::string& path, const std::string& target, const void* data, std::size_t size) {
  if (data == nullptr && size > 0)
    throw std::runtime_error("cannot write " + path + ": no data (null pointer); this is a bug in the caller");
  const std::string tmp = target + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot write", path, errno);

  int err = write_all(fd, static_cast<const unsigned char*>(data), size);
  const char* what = "cannot write";
  if (err == 0) {
    err = fsync_retry(fd);
    what = "cannot flush to disk";
  }
  // close() can report delayed write errors (e.g. NFS); never retry it on EINTR (Linux frees the fd).
  if (::close(fd) != 0 && err == 0) {
    err = errno;
    what = "cannot close";
  }
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail(what, path, err);
  }
  return tmp;
}

}  // namespace

void write_file_atomic(const std::string& path, const void* data, std::size_t size) {
  write_files_atomic({{path, data, size}});
}

void write_files_atomic(const std::vector<FileToWrite>& files) {
  std::vector<std::string> targets, temps;
  try {
    for (const FileToWrite& f : files) {
      targets.push_back(target_of(f.path));
      temps.push_back(stage(f.path, targets.back(), f.data, f.size));
    }
  } catch (...) {
    for (const std::string& tmp : temps) ::unlink(tmp.c_str());
    throw;
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(temps[i].c_str(), targets[i].c_str()) != 0) {
      const int err = errno;
      for (size_t j = i; j < temps.size(); ++j) ::unlink(temps[j].c_str());
      fail("cannot rename " + temps[i] + " to", files[i].path, err);
    }
    fsync_dir_best_effort(parent_dir(targets[i]));
  }
}

}  // namespace gan
