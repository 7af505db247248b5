#!/usr/bin/env bash
# Gathers, on this Debian 12 machine, what the project's CMake needs that the bare GPU machine may lack, into
# .gpu-deps/ (git-ignored), keeping /usr's layout, so that a device call can carry it and tests/gpu/check.sh can
# install the pieces that are missing there. Run it before the device call:
#   bash tests/gpu/pack_deps.sh            (then carry .gpu-deps and data, run bash tests/gpu/check.sh)
#
# What the CMake files ask for, and the Debian packages that answer (all on the CPU machines via scripts/setup.sh):
#   CMakeLists.txt        find_package(Eigen3 3.4 NO_MODULE), find_package(nlohmann_json 3.10),
#                         find_package(SDL2 CONFIG QUIET) (optional: `gan view` is left out without it; not packed),
#                         src/: find_package(OpenMP) (optional; comes with the compiler)
#   native/CMakeLists.txt find_package(CLI11), find_package(ZLIB), find_package(PkgConfig) + pkg_check_modules(STB
#                         ... stb), find_library(GIF_LIBRARY gif)
#   tests/CMakeLists.txt  find_package(Catch2 2) + include(Catch) (Catch.cmake, CatchAddTests.cmake)
# One component per library; check.sh installs a component only where its probe (a key header, or the pkg-config
# command) is missing on that machine, and then only the files that are not there yet (it never overwrites).
# The shared libraries here need glibc 2.34 at most.
set -euo pipefail
cd "$(dirname "$0")/../.."

dest=.gpu-deps
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)

# name | probe (a path under / the machine must have, or cmd:NAME for a command on PATH) | Debian packages
components=(
  "eigen3|usr/include/eigen3/Eigen/Core|libeigen3-dev"
  "nlohmann_json|usr/include/nlohmann/json.hpp|nlohmann-json3-dev"
  "cli11|usr/include/CLI/CLI.hpp|libcli11-dev"
  "catch2|usr/include/catch2/catch.hpp|catch2"
  "stb|usr/include/stb/stb_image.h|libstb-dev libstb0"
  "gif|usr/include/gif_lib.h|libgif-dev libgif7"
  "zlib|usr/include/zlib.h|zlib1g-dev zlib1g"
  "pkgconf|cmd:pkg-config|pkgconf pkgconf-bin libpkgconf3"
)

missing=()
for c in "${components[@]}"; do
  IFS='|' read -r _ _ pkgs <<<"$c"
  for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "pack_deps: not installed here: ${missing[*]} (bash scripts/setup.sh installs them)" >&2
  exit 1
fi

rm -rf "$dest"
mkdir -p "$dest/components"

# /usr path (as it will lie on the GPU machine) of a file a package lists: merged-/usr packages still list /lib/...
usr_path() {
  case "$1" in
    /usr/*) echo "${1#/}" ;;
    /lib/*|/lib64/*|/bin/*|/sbin/*) echo "usr$1" ;;
    *) return 1 ;;
  esac
}

for c in "${components[@]}"; do
  IFS='|' read -r name probe pkgs <<<"$c"
  list="$dest/components/$name.list"
  : >"$list"
  for p in $pkgs; do
    while IFS= read -r f; do
      [ -L "$f" ] || [ -f "$f" ] || continue                       # files and links; folders come with them
      case "$f" in
        /usr/share/doc/*/copyright) ;;                             # keep the licences
        /usr/share/doc/*|/usr/share/man/*|/usr/share/lintian/*|/usr/share/bug/*) continue ;;
      esac
      rel=$(usr_path "$f") || continue
      mkdir -p "$dest/$(dirname "$rel")"
      if [ -L "$f" ]; then
        target=$(readlink "$f")
        if [[ "$target" = /* ]]; then
          # Absolute links break on another machine (zlib's libz.so -> /lib/<arch>/libz.so.1.2.13, a version that
          # machine may not have): point a library's dev link at its soname, anything else at a relative path.
          soname=$(objdump -p "$f" 2>/dev/null | awk '/SONAME/ {print $2}')
          if [[ "$(basename "$f")" = lib*.so && -n "$soname" ]]; then
            target=$soname
          else
            target=$(realpath -m --relative-to="$(dirname "/$rel")" "$(usr_path "$target" | sed 's|^|/|')")
          fi
        fi
        ln -sfn "$target" "$dest/$rel"
      else
        cp -p "$f" "$dest/$rel"
      fi
      echo "$rel" >>"$list"
    done < <(dpkg -L "$p")
  done
  sort -u -o "$list" "$list"
  echo "$probe" >"$dest/components/$name.probe"
  versions=$(for p in $pkgs; do dpkg-query -W -f='${Package} ${Version}\n' "$p"; done | paste -sd, | sed 's/,/, /g')
  echo "$versions" >"$dest/components/$name.versions"
  printf '  %-14s %4d files  %6s  (%s)\n' "$name" "$(wc -l <"$list")" \
    "$(cd "$dest" && xargs -d '\n' du -ch <"components/$name.list" 2>/dev/null | tail -1 | cut -f1)" "$versions"
done

# Check that every link lands inside the bundle or on its soname (the soname's file is in the bundle too).
bad=0
while IFS= read -r link; do
  if [ ! -e "$link" ]; then echo "pack_deps: dangling link $link -> $(readlink "$link")" >&2; bad=1; fi
done < <(find "$dest" -type l)
[ "$bad" = 0 ] || exit 1

{
  echo "Packed by tests/gpu/pack_deps.sh on $(date -u +'%F %T UTC') from $(. /etc/os-release && echo "$PRETTY_NAME") ($arch)."
  echo "Install on the GPU machine with tests/gpu/check.sh (components whose probe is missing there only)."
  for c in "${components[@]}"; do
    IFS='|' read -r name probe _ <<<"$c"
    echo "$name: probe $probe; $(cat "$dest/components/$name.versions")"
  done
} >"$dest/MANIFEST.txt"

echo "pack_deps: $(find "$dest/usr" -type f | wc -l) files, $(find "$dest/usr" -type l | wc -l) links in $dest: $(du -sh "$dest" | cut -f1) ($(du -sb "$dest" | cut -f1) bytes)"
