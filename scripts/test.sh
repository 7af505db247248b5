#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian packages, the digits, PyTorch, Emscripten, SDL2
# for wasm, Chromium, the npm packages), then builds and runs every test: the release build, the same under
# AddressSanitizer + UndefinedBehaviorSanitizer, the file readers' fuzzers (60 s each, same sanitizers), and the
# wasm build (core tests under node, browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup_web.sh
bash bench/setup_pytorch.sh   # Debian's PyTorch, for the test that loads our weights into the seed's classes
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn
for preset in release asan fuzz wasm; do
  echo "== $preset =="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset" --parallel "$(nproc)"   # one test per core at a time; docs/testing.md has what it saves
done
