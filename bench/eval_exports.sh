#!/usr/bin/env bash
# Scores every generator-stepNNNNNN.safetensors that bench/pytorch_train.py --export-every wrote into a run folder,
# and writes RUN/eval.jsonl in the format of `gan train --eval-every` (one line per step: the generator row of
# `gan eval --json`), so a PyTorch run's quality curve reads like ours. Run from the project folder after a release build.
# Usage: bash bench/eval_exports.sh RUN_DIR [gan eval options, e.g. --data DIR]
set -euo pipefail
GAN=${GAN:-build/release/native/gan}
run=${1:?usage: bash bench/eval_exports.sh RUN_DIR [gan eval options]}
shift
shopt -s nullglob
exports=("$run"/generator-step*.safetensors)
[ ${#exports[@]} -gt 0 ] || { echo "eval_exports: no generator-stepNNNNNN.safetensors in $run" >&2; exit 1; }
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for f in "${exports[@]}"; do
  step=$(basename "$f" .safetensors); step=$((10#${step#generator-step}))
  "$GAN" eval -w "$f" --json "$@" | python3 -c '
import json, sys
row = json.loads(sys.stdin.readline())  # the first row is the generator
out = {k: v for k, v in row.items() if k not in ("set", "class_share")}
out["step"] = int(sys.argv[1])
print(json.dumps(out, sort_keys=True))' "$step" >> "$tmp"
done
mv "$tmp" "$run/eval.jsonl"
trap - EXIT
echo "eval_exports: scored ${#exports[@]} generators into $run/eval.jsonl"
