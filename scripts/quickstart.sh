#!/usr/bin/env bash
# The README's first command: installs everything, builds the native `gan` command and the web page, then serves
# the page with the shipped generator at a localhost URL it prints (PORT=N picks the port, HOST=0.0.0.0 lets other
# computers reach it; Ctrl-C stops).
# The first run on a fresh machine takes about 20 minutes, most of it building SDL2 for wasm once (cached).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target gan
bash scripts/build_web.sh
echo
echo "Native tools: build/release/native/gan (train, generate, view, bench). The page:"
exec node web/serve.mjs --port "${PORT:-8080}" --host "${HOST:-127.0.0.1}"
