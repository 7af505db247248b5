#!/usr/bin/env bash
# Side-by-side training speed: the seed's GAN in Debian's PyTorch (OpenBLAS) against `gan bench`, same data, batch 60,
# in one run; prints iterations/s for each thread setting, each side's best, and the ratio.
# Usage: bash bench/compare.sh [iterations]   (run on an otherwise idle machine)
set -euo pipefail
cd "$(dirname "$0")/.."
iters=${1:-300}
bash scripts/setup.sh >/dev/null
bash bench/setup_pytorch.sh >/dev/null
cmake --preset release >/dev/null && cmake --build --preset release --target gan >/dev/null
gan=build/release/native/gan

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "PyTorch runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (they slow OpenBLAS on this CPU); gan is unaffected."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
# Two rounds, interleaved, so a burst of load on the machine hits both sides alike; the best of each is kept.
for round in 1 2; do
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/pytorch_bench.py --data data/mnist \
    --iters "$iters" --warmup 20 --threads 1,2 --json | grep '^{' >>"$results"
  for t in 1 2; do "$gan" bench --iterations "$iters" --warmup 20 --threads $t --json >>"$results"; done
done
/usr/bin/python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
best = {}
for r in rows:
    key = (r["framework"], r["threads"])
    best[key] = max(best.get(key, 0), r["its_per_s"])
for (fw, t), v in sorted(best.items()):
    print(f"  {fw:8s} {t} thread(s): {v:7.1f} iterations/s")
torch_best = max(v for (fw, _), v in best.items() if fw == "pytorch")
gan_best = max(v for (fw, _), v in best.items() if fw == "gan")
g = [r for r in rows if r["framework"] == "gan"]
top = max(g, key=lambda r: r["its_per_s"])
print(f"PyTorch best {torch_best:.1f} it/s, gan best {gan_best:.1f} it/s: ratio {gan_best / torch_best:.2f}x")
print(f"gan arithmetic ({top['gemm_engine']}): {top['gflop_per_iter']:.2f} GFLOP/iteration -> "
      f"{top['train_gflops']:.0f} GFLOP/s, {100 * top['train_gflops'] / top['sgemm1024_gflops']:.0f}% of the best "
      f"SGEMM here at 1024^3 ({top['sgemm1024_library']}, {top['sgemm1024_gflops']:.0f} GFLOP/s, "
      f"{top['threads']} threads, same process)")
PY
