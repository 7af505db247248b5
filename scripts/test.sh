#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian packages, the digits, PyTorch), then builds and
# runs every test in the release build and again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash bench/setup_pytorch.sh   # Debian's PyTorch, for the test that loads our weights into the seed's classes
for preset in release asan; do
  echo "== $preset =="
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
