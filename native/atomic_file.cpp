// Crash-safe file replacement (temp file + fsync + rename), shared by images and checkpoints.
#include "atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace

void write_file_atomic(const std::string& path, const void* data, std::size_t size) {
  if (path.empty()) throw std::runtime_error("cannot write file: empty path; pass a file name");
  if (data == nullptr && size > 0)
    throw std::runtime_error("cannot write " + path + ": no data (null pointer); this is a bug in the caller");

  const std::string tmp = path + ".tmp";
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
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) {
    err = errno;
    ::unlink(tmp.c_str());
    fail("cannot rename " + tmp + " to", path, err);
  }
  if (err != 0) {
    ::unlink(tmp.c_str());
    fail(what, path, err);
  }
  fsync_dir_best_effort(parent_dir(path));
}

}  // namespace gan
