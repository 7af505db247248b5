"""Reads the JSON lines bench/gpu_compare.sh collected (pytorch_bench.py --json, gan bench --json) and reports them.

  gpu_compare_report.py best RESULTS       best of the rounds in FP32, the ratios and the batch-60 goal line on
                                           stderr; the best batch-60 gan rate (0 when none) on stdout
  gpu_compare_report.py tf32 RESULTS FULL  the "tf32:" line: the TF32 batch-60 round, both sides
"""
import json
import sys


def read_rows(path):
    rows = []
    for line in open(path):
        try:
            rows.append(json.loads(line))
        except ValueError:
            pass  # a line that merely looks like JSON
    return [r for r in rows if r.get("device", "cuda") == "cuda" and "its_per_s" in r]


def best_fp32(rows):
    out = sys.stderr
    best = {}
    for r in rows:
        if r.get("tf32"):
            continue
        key = (r["framework"], r["batch"], r.get("losses", "") if r["framework"] == "pytorch" else "")
        best[key] = max(best.get(key, 0.0), float(r["its_per_s"]))
    gpu = next((r.get("gpu") for r in rows if r.get("gpu")), "?")
    ver = next((r.get("version") for r in rows if r["framework"] == "pytorch"), "?")
    print(f"best of the rounds (iterations/s; {gpu}; PyTorch {ver} eager, FP32):", file=out)
    for (fw, b, losses), v in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        how = {"item": " (losses read every step, the seed)", "async": " (losses left on the GPU)"}.get(losses, "")
        print(f"  batch {b:4d}  {fw:8s}{how:38s} {v:10.1f} it/s  {1000 / v:7.3f} ms/it", file=out)
    goal = None
    for b in sorted({b for (_, b, _) in best}):
        pt = {l: v for (fw, bb, l), v in best.items() if fw == "pytorch" and bb == b}
        g = best.get(("gan", b, ""))
        if not pt or not g:
            print(f"  batch {b}: no ratio (missing {'PyTorch' if not pt else 'gan'} numbers)", file=out)
            continue
        top = max(pt.values())
        extra = f", {g / pt['item']:.1f}x the seed-faithful one" if "item" in pt else ""
        print(f"  batch {b}: gan / PyTorch eager = {g / top:.2f}x (against PyTorch's faster way{extra})", file=out)
        if b == 60:
            goal = g / top
    if goal is not None:
        print(f"batch 60: {goal:.1f}x PyTorch eager (goal >= 10x): {'PASS' if goal >= 10 else 'FAIL'}", file=out)
    else:
        print("batch 60: no ratio (goal >= 10x): FAIL", file=out)
    print(best.get(("gan", 60, "")) or 0)


def tf32_line(rows, full):
    pt = max((r["its_per_s"] for r in rows if r["framework"] == "pytorch" and r.get("tf32")), default=0)
    g = max((r["its_per_s"] for r in rows if r["framework"] == "gan" and r.get("tf32")), default=0)
    if pt and g:
        print(f"tf32: batch 60 with TF32 products on both sides: gan {g:.0f} it/s, PyTorch eager {pt:.0f} it/s, "
              f"{g / pt:.1f}x; {full:,} iterations would take {full / g:.1f} s at that rate")
    else:
        print("tf32: no reading (gan %s, PyTorch %s)" % (g or "failed", pt or "failed"))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "best":
        best_fp32(read_rows(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "tf32":
        tf32_line(read_rows(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
