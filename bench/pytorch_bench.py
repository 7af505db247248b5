"""Time training iterations/s of the seed PyTorch MNIST GAN: on the CPU per thread count, or on a CUDA GPU (eager).

--device cuda keeps everything on the GPU (models, Adam, the whole data set, the shuffled batch indices), turns TF32
off (plain FP32 like the CPU; --tf32 turns it on for the matrix products instead, as `gan bench --tf32` does), and
synchronises before starting and before stopping the clock. --batch takes a
comma list there (60,512); one JSON line per batch with --json."""
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
    """Endless minibatch indices from shuffled permutations (DataLoader shuffle=True, drop_last=True), made on the
    generator's device (a CUDA generator keeps the shuffle on the GPU: no host work or copy per epoch)."""
    while True:
        perm = torch.randperm(n, generator=gen, device=gen.device)
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


def set_tf32(on):
    """TF32 for matrix products (and cuDNN) on or off; off is plain IEEE FP32. torch >= 2.9 has the fp32_precision
    settings (and warns about the old allow_tf32 flags; mixing the two is refused), older torch the flags.
    Returns a description of the state it set."""
    b = torch.backends
    want = "tf32" if on else "ieee"
    if hasattr(b, "fp32_precision"):
        refused = []
        for owner, name in ((b, "fp32_precision"), (b.cuda.matmul, "fp32_precision"), (b.cudnn, "fp32_precision"),
                            (getattr(b.cudnn, "conv", None), "fp32_precision"),
                            (getattr(b.cudnn, "rnn", None), "fp32_precision")):
            try:
                setattr(owner, name, want)
            except (AttributeError, RuntimeError, ValueError, TypeError) as e:
                refused.append(f"{e}")
        state = f"matmul fp32_precision={b.cuda.matmul.fp32_precision}"
        if b.cuda.matmul.fp32_precision != want:  # warn rather than lose the run
            print(f"pytorch_bench: WARNING: could not set TF32 {'on' if on else 'off'} ({state}; {'; '.join(refused)})",
                  file=sys.stderr)
        return state + (f" (refused: {'; '.join(refused)})" if refused else "")
    b.cuda.matmul.allow_tf32 = on
    b.cudnn.allow_tf32 = on
    torch.set_float32_matmul_precision("high" if on else "highest")
    return f"matmul.allow_tf32={b.cuda.matmul.allow_tf32}, cudnn.allow_tf32={b.cudnn.allow_tf32}"


def run_cuda(data, batch, iters, warmup, read_losses):
    """Seconds for `iters` seed iterations on the GPU holding `data`, after `warmup` untimed ones."""
    G, D, optG, optD, crit = make_models(seed=0, device=data.device)
    idx = batches(data.size(0), batch, torch.Generator(device=data.device).manual_seed(0))
    for _ in range(warmup):
        train_iteration(G, D, optG, optD, crit, data[next(idx)], read_losses)
    torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(iters):
        train_iteration(G, D, optG, optD, crit, data[next(idx)], read_losses)
    torch.cuda.synchronize()
    return time.perf_counter() - t0


def main_cuda(a, data, batch_sizes):
    if not torch.cuda.is_available():
        sys.exit("pytorch_bench: --device cuda, but torch.cuda.is_available() is False "
                 f"(torch {torch.__version__}, built for CUDA {torch.version.cuda})")
    tf32 = set_tf32(a.tf32)
    dev = torch.device("cuda")
    gpu = torch.cuda.get_device_name(dev)
    data = data.to(dev)
    modes = {"item": [True], "async": [False], "both": [True, False]}[a.losses]
    print(f"torch {torch.__version__} (CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}) | {gpu} | "
          f"eager, Adam default (foreach) | {tf32}")
    print(f"data: on the GPU {tuple(data.shape)} | batch {','.join(map(str, batch_sizes))} | warmup {a.warmup} | "
          f"iters {a.iters} | losses: " + ", ".join("read with .item() every step (the seed)" if m else
                                                   "left on the GPU (no per-step sync)" for m in modes))
    for batch in batch_sizes:
        for read in modes:
            secs = run_cuda(data, batch, a.iters, a.warmup, read)
            ips = a.iters / secs
            losses = "item" if read else "async"
            print(f"cuda batch={batch} losses={losses}: {ips:.1f} it/s, {1000 * secs / a.iters:.3f} ms/it", flush=True)
            if a.json:
                print(json.dumps({"framework": "pytorch", "version": torch.__version__, "device": "cuda", "gpu": gpu,
                                  "batch": batch, "iters": a.iters, "its_per_s": round(ips, 2),
                                  "seconds": round(secs, 4), "losses": losses, "tf32": a.tf32}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="data/mnist", help="dir with train-images-idx3-ubyte[.gz]")
    ap.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    ap.add_argument("--batch", default="60", help="batch size, or a comma-separated list of them")
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--json", action="store_true", help="also print one JSON object per thread count (per batch)")
    ap.add_argument("--losses", choices=("item", "async", "both"), default="item",
                    help="cuda: read both losses with .item() every step as the seed does (item), leave them on "
                         "the GPU (async), or time both")
    ap.add_argument("--tf32", action="store_true", help="cuda: matrix products in TF32 (default: plain FP32)")
    a = ap.parse_args()
    try:
        batch_sizes = [int(s) for s in a.batch.split(",")]
        if not batch_sizes or min(batch_sizes) < 1:
            raise ValueError
    except ValueError:
        ap.error(f"--batch {a.batch!r}: expected a positive integer or a comma-separated list of them")

    path = os.path.join(a.data, "train-images-idx3-ubyte")
    path = path + ".gz" if os.path.exists(path + ".gz") else path
    data = to_tensor(load_idx_images(path))
    if a.device == "cuda":
        return main_cuda(a, data, batch_sizes)
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
    for batch in batch_sizes:
        for t in (int(s) for s in a.threads.split(",")):
            secs = run(data, t, batch, a.iters, a.warmup, openblas)
            ips = a.iters / secs
            ob = f", openblas {openblas.openblas_get_num_threads()}" if openblas else ""
            at = f"batch={batch} " if len(batch_sizes) > 1 else ""
            print(f"{at}threads={t} (torch.get_num_threads()={torch.get_num_threads()}{ob}): "
                  f"{ips:.1f} it/s, {1000 * secs / a.iters:.2f} ms/it", flush=True)
            if a.json:
                print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": t,
                                  "batch": batch, "iters": a.iters, "its_per_s": round(ips, 2)}), flush=True)


if __name__ == "__main__":
    main()
