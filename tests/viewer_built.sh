#!/usr/bin/env bash
# Fails when SDL2's development files are installed but `gan` was built without `gan view` (CMake configured the
# build before SDL2 was installed); passes on a machine without SDL2, where leaving the viewer out is expected.
set -euo pipefail
gan="$1"
if ! pkg-config --exists sdl2; then
  echo "SDL2's development files are not installed: gan view is rightly left out"
  exit 0
fi
if "$gan" --help | grep -qE '^\s+view\b'; then
  echo "PASS gan view is built (SDL2 $(pkg-config --modversion sdl2))"
  exit 0
fi
echo "FAIL SDL2 $(pkg-config --modversion sdl2) is installed but gan --help lists no view command."
echo "     The build was configured before SDL2 was installed: run cmake --preset release again (it finds it now)."
exit 1
