#!/usr/bin/env bash
# Scores generators with `gan eval` and prints one Markdown table row each, then the real-digit and noise rows.
# Usage: bench/quality_table.sh "NAME=PATH/generator.safetensors" ... (run from the project folder, after a release build)
set -euo pipefail
GAN=${GAN:-build/release/native/gan}
row() { python3 -c '
import json, sys
name, path = sys.argv[1], sys.argv[2]
for line in open(path):
    r = json.loads(line)
    if r["set"] == sys.argv[3]:
        m = r.get("label_match")
        cells = [name, "%.3f" % r["confident"], "%.2f" % r["class_entropy_bits"], "%.2f" % r["inception_score"],
                 "%.1f" % r["frechet"], "-" if m is None else "%.3f" % m]
        print("| " + " | ".join(cells) + " |")
' "$@"; }
echo "| generator | confident | class entropy (bits) | IS | Fréchet | label match |"
echo "| --- | --- | --- | --- | --- | --- |"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for spec in "$@"; do
  "$GAN" eval -w "${spec#*=}" --json > "$tmp"
  row "${spec%%=*}" "$tmp" generator
done
row "real digits (10,000 training digits)" "$tmp" "real digits (10000 train)"
row "uniform noise" "$tmp" "uniform noise"
