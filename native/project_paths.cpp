// Default paths (data/mnist, assets/...) found wherever `gan` runs from: the current folder first, then the folders
// above the executable.
#include "project_paths.h"

#include <filesystem>
#include <system_error>

namespace gan {

std::string locate_default(const std::string& relative) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(relative, ec)) return relative;
  fs::path dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return relative;
  for (int up = 0; up < 6 && !dir.empty(); ++up, dir = dir.parent_path()) {
    if (fs::exists(dir / relative, ec)) return (dir / relative).string();
    if (dir == dir.root_path()) break;
  }
  return relative;
}

}  // namespace gan
