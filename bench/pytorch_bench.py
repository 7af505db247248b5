"""Time training iterations/s of the seed PyTorch MNIST GAN on CPU, per thread count."""
import argparse
import ctypes
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_gan import load_idx_images, make_models, to_tensor, train_iteration  # noqa: E402


def blas_info():
    """BLAS_INFO from torch's build config plus the BLAS library actually mapped into this process."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded
    cfg = torch.__config__.show()
    build = next((p.split()[-1] for p in cfg.replace("\n", ",").split(",") if "BLAS_INFO" in p), "BLAS_INFO=?")
    with open("/proc/self/maps") as f:
        libs = sorted({os.path.realpath(l.split()[-1]) for l in f if "blas" in l.lower() and "/" in l})
    return build, libs


def openblas_lib(libs):
    """ctypes handle on the loaded OpenBLAS, or None. Debian's torch (BLAS_INFO=generic) never calls
    openblas_set_num_threads, so OpenBLAS would keep its own nproc-sized pool whatever torch.set_num_threads says."""
    for path in libs:
        lib = ctypes.CDLL(path)
        if hasattr(lib, "openblas_set_num_threads"):
            return lib
    return None


def batches(n, batch, gen):
    """Endless minibatch indices from shuffled permutations (DataLoader shuffle=True, drop_last=True)."""
    while True:
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n - batch + 1, batch):
            yield perm[i:i + batch]


def run(data, threads, batch, iters, warmup, openblas):
    torch.set_num_threads(threads)
    if openblas:
        openblas.openblas_set_num_threads(threads)
    G, D, optG, optD, crit = make_models(seed=0)
    idx = batches(data.size(0), batch, torch.Generator().manual_seed(0))
    for _ in range(warmup):
        train_iteration(G, D, optG, optD, crit, data[next(idx)])
    t0 = time.perf_counter()
    for _ in range(iters):
        train_iteration(G, D, optG, optD, crit, data[next(idx)])
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="data/mnist", help="dir with train-images-idx3-ubyte[.gz]")
    ap.add_argument("--batch", type=int, default=60)
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--json", action="store_true", help="also print one JSON object per thread count")
    a = ap.parse_args()

    path = os.path.join(a.data, "train-images-idx3-ubyte")
    path = path + ".gz" if os.path.exists(path + ".gz") else path
    data = to_tensor(load_idx_images(path))
    build, libs = blas_info()
    openblas = openblas_lib(libs)
    print(f"torch {torch.__version__} | {build} | loaded BLAS: {', '.join(libs) or 'none found'}")
    if openblas:
        openblas.openblas_get_config.restype = ctypes.c_char_p
        print(f"OpenBLAS: {openblas.openblas_get_config().decode()} (threads set to match torch threads)")
    env = {k: os.environ.get(k, "<unset>") for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")}
    print("env: " + " ".join(f"{k}={v}" for k, v in env.items()) +
          f" | cpus {os.cpu_count()} | load avg {os.getloadavg()[0]:.2f}")
    print(f"data: {path} {tuple(data.shape)} | batch {a.batch} | warmup {a.warmup} | iters {a.iters}")
    for t in (int(s) for s in a.threads.split(",")):
        secs = run(data, t, a.batch, a.iters, a.warmup, openblas)
        ips = a.iters / secs
        ob = f", openblas {openblas.openblas_get_num_threads()}" if openblas else ""
        print(f"threads={t} (torch.get_num_threads()={torch.get_num_threads()}{ob}): "
              f"{ips:.1f} it/s, {1000 * secs / a.iters:.2f} ms/it", flush=True)
        if a.json:
            print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": t,
                              "batch": a.batch, "iters": a.iters, "its_per_s": round(ips, 2)}), flush=True)


if __name__ == "__main__":
    main()
