#!/usr/bin/env bash
# scripts/check_mnist.sh, the check setup runs on the digits it fetched: the real files pass; a truncated .gz, a
# byte flipped inside a .gz, altered pixels in a whole .gz, a missing file and a wrong magic number are each refused
# with a message naming the file.
# Usage: setup_data_check.sh DATA_DIR (the folder scripts/setup.sh wrote)
set -euo pipefail
DATA=$(realpath "${1:?usage: $0 DATA_DIR}"); REPO=$(cd "$(dirname "$0")/.." && pwd)
S=$(mktemp -d)
trap 'rm -rf "$S"' EXIT
check() { bash "$REPO/scripts/check_mnist.sh" "$1"; }
fresh() { rm -rf "$S/d" && mkdir "$S/d" && cp "$DATA"/*-ubyte.gz "$S/d/"; }
# refused DESCRIPTION PATTERN: the check of $S/d must exit 1 and print PATTERN.
refused() {
  local out rc=0
  out=$(check "$S/d" 2>&1) || rc=$?
  if [[ $rc -eq 1 ]] && grep -qE "$2" <<< "$out"; then echo "PASS $1"; else echo "FAIL $1 (exit $rc): $out"; exit 1; fi
}

check "$DATA" >/dev/null && echo "PASS the fetched digits pass" || { echo "FAIL the fetched digits are refused"; exit 1; }

fresh; head -c 1000000 "$DATA/train-images-idx3-ubyte.gz" > "$S/d/train-images-idx3-ubyte.gz"
refused "a truncated .gz" 'train-images-idx3-ubyte.gz is not a whole gzip file'

fresh; python3 - "$S/d/t10k-images-idx3-ubyte.gz" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read()); b[len(b) // 2] ^= 0x40; open(p, "wb").write(bytes(b))
PY
refused "a byte flipped in a .gz" 't10k-images-idx3-ubyte.gz is not a whole gzip file'

fresh; python3 - "$S/d/train-labels-idx1-ubyte.gz" <<'PY'
import gzip, sys
p = sys.argv[1]; b = bytearray(gzip.open(p).read()); b[100] = (b[100] + 1) % 10; gzip.open(p, "wb").write(bytes(b))
PY
refused "a whole .gz with one label changed" 'train-labels-idx1-ubyte.gz has SHA-256 .* it was altered'

fresh; python3 - "$S/d/t10k-labels-idx1-ubyte.gz" <<'PY'
import gzip, sys
p = sys.argv[1]; b = gzip.open(p).read(); gzip.open(p, "wb").write(b[:-500])
PY
refused "a shortened file in a whole .gz" 't10k-labels-idx1-ubyte.gz holds 9508 bytes, not 10008'

fresh; python3 - "$S/d/t10k-labels-idx1-ubyte.gz" <<'PY'
import gzip, sys
p = sys.argv[1]; b = bytearray(gzip.open(p).read()); b[3] = 3; gzip.open(p, "wb").write(bytes(b))
PY
refused "a wrong magic number" 'starts with 0x00000803, not the IDX magic number 0x00000801'

fresh; rm "$S/d/train-labels-idx1-ubyte.gz"
refused "a missing file" 'train-labels-idx1-ubyte.gz is missing; run scripts/setup.sh'

echo "all data checks passed"
