#!/usr/bin/env bash
# The README's first command: installs what is needed, builds, trains the seed's GAN briefly on the real digits and
# writes a grid of generated digits. EPOCHS=N changes the length of the run (default 100, the seed's schedule: about
# 3-4 minutes on 2 cores; at 30 the digits are still speckled, by 100 most are plainly recognisable).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target gan
out=runs/quickstart
build/release/native/gan train --epochs "${EPOCHS:-100}" --out "$out" --force  # --force: a rerun starts over
build/release/native/gan generate --weights "$out/generator.safetensors" -n 64 --seed 1 --png "$out/digits.png"
echo
echo "Generated digits: $out/digits.png (per-epoch grids in $out/samples/, training curves in $out/loss.png,"
echo "the whole run as an animation in $out/progress.gif, the generator in $out/generator.safetensors)"
