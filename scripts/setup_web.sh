#!/usr/bin/env bash
# Installs what the web page and its tests need on Debian 12: Emscripten, SDL2 built for wasm (cached), Chromium,
# and the npm packages (playwright-core, TF.js for the benchmark). Safe to run again: finished steps are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

packages=(emscripten libsdl2-dev chromium dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-web: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# SDL2 for wasm: Emscripten's own port downloads from the internet, which is not reachable here, so build Debian's
# source once and keep it outside the build tree (its configure step alone takes minutes).
sdl_version=2.26.5
cache="${GAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/seed-gan}"
sdl_prefix="$cache/sdl2-wasm-$sdl_version-pthread"   # built with -pthread: the page uses wasm threads
export NODE_PATH=/usr/share/nodejs   # emcc's JS optimizer needs Debian's acorn
if [ ! -f "$sdl_prefix/lib/libSDL2.a" ]; then
  echo "setup-web: building SDL2 $sdl_version for wasm into $sdl_prefix (once; about 10 minutes)"
  if ! grep -rqs "^Types:.*deb-src" /etc/apt/sources.list.d/ && ! grep -qs "^deb-src" /etc/apt/sources.list; then
    printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm' 'Components: main' \
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' | $SUDO tee /etc/apt/sources.list.d/seed-gan-src.sources >/dev/null
    $SUDO apt-get update -qq
  fi
  work=$(mktemp -d)
  (cd "$work" && apt-get source -qq --download-only libsdl2 >/dev/null && dpkg-source -x --skip-patches libsdl2_*.dsc src >/dev/null)
  emcmake cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$sdl_prefix.tmp" -DCMAKE_C_FLAGS=-pthread \
    -DSDL_SHARED=OFF -DSDL_STATIC=ON -DSDL_TEST=OFF -DSDL_AUDIO=OFF -DSDL_JOYSTICK=OFF -DSDL_HAPTIC=OFF \
    -DSDL_SENSOR=OFF -DSDL_POWER=OFF -DSDL_HIDAPI=OFF > "$work/configure.log" 2>&1 \
    || { tail -30 "$work/configure.log"; echo "setup-web: SDL2 configure failed (log above)"; exit 1; }
  cmake --build "$work/build" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log"; echo "setup-web: SDL2 build failed"; exit 1; }
  rm -rf "$sdl_prefix.tmp"
  cmake --install "$work/build" >/dev/null
  rm -rf "$sdl_prefix"
  mv "$sdl_prefix.tmp" "$sdl_prefix"
  rm -rf "$work"
fi

# npm packages pinned in package.json / package-lock.json (playwright-core drives Debian's Chromium; TF.js is the
# benchmark's reference).
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup-web: npm ci"
  npm ci --silent --no-audit --no-fund
fi
echo "setup-web: ready (SDL2 for wasm in $sdl_prefix)"
