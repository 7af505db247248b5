#!/usr/bin/env bash
# Builds the page: installs Emscripten, SDL2 for wasm (cached) and the browser-test packages if missing, then
# compiles the core and the viewer to wasm and assembles the site in build/wasm/site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_web.sh
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn
cmake --preset wasm >/dev/null
cmake --build --preset wasm
