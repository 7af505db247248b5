#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time, starting from its seed corpus and kept regression inputs (read
# only; new inputs go to a scratch folder). A crash, leak, sanitizer report or uncaught exception fails the run and
# leaves the input in build/fuzz/artifacts: fix it, then keep the input in tests/fuzz/regressions/<target>/.
# Usage: run_fuzzer.sh <fuzzer> <seconds> <input folder>...
set -euo pipefail
fuzzer=$1 seconds=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=${GAN_FUZZ_ARTIFACTS:-$(dirname "$fuzzer")/artifacts}
mkdir -p "$artifacts"
exec "$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=30 -print_final_stats=1 \
  -artifact_prefix="$artifacts/$(basename "$fuzzer")-" "$work" "$@"
