"""Train the seed GAN (bench/seed_gan.py) with PyTorch on an MNIST-format folder and export its generator for `gan`.

Runs the seed's schedule: each epoch shuffles the training images (torch.Generator seeded from --seed), drops the
last incomplete batch and runs seed_gan.train_iteration on every batch (D on real + fake, then G on fresh z; Adam
lr 2e-4, betas 0.5/0.999; dropout on). Prints one line per epoch on stderr and writes, under --out:
  log.csv                  epoch,d_loss,g_loss,seconds (mean losses of the epoch, seconds since the start)
  generator.safetensors    the Generator's state_dict (main.0.weight ... main.6.bias, F32) with the project's
                           metadata, readable by `gan generate -w` and by Generator.load_state_dict
  samples.png              a 5x5 grid of G(z) for a fixed z (torch.manual_seed(seed + 1)), upscaled 2x
  checkpoint.pt            after every epoch: both networks, both Adams and every random state, so that
                           --resume continues the run exactly as if it had never stopped (the full schedule takes
                           hours on one core)

Run from the repository root with Debian's torch:
  /usr/bin/python3 bench/pytorch_train.py --epochs 100 --seed 0 --threads 1 --out runs/pytorch-seed
  /usr/bin/python3 bench/pytorch_train.py --epochs 1 --out /tmp/pt1          # a quick check
  /usr/bin/python3 bench/pytorch_train.py --epochs 100 --seed 0 --out runs/pytorch-seed --resume   # after a stop
Then score or view it with the C++ tool, e.g.
  build/release/native/gan generate -w runs/pytorch-seed/generator.safetensors -n 16 --png gen.png
"""
import argparse
import json
import os
import struct
import sys
import time
import zlib

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from seed_gan import NZ, Generator, load_idx_images, make_models, to_tensor, train_iteration  # noqa: E402,F401
from pytorch_bench import blas_info, openblas_lib  # noqa: E402

WIDTHS = "100,256,512,1024,784"


def fail(message, code=2):
    print(f"pytorch_train.py: error: {message}", file=sys.stderr)
    sys.exit(code)


def find_images(folder):
    """Path of train-images-idx3-ubyte.gz (or the unpacked file) in `folder`; exits with code 2 when missing."""
    if not os.path.isdir(folder):
        fail(f"data folder {folder!r} does not exist; pass --data DIR holding train-images-idx3-ubyte.gz "
             f"(MNIST IDX format)")
    for name in ("train-images-idx3-ubyte.gz", "train-images-idx3-ubyte"):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    fail(f"{folder!r} has no train-images-idx3-ubyte.gz (nor an unpacked train-images-idx3-ubyte)")


def safetensors_bytes(state_dict, metadata):
    """A safetensors file: u64 LE header length, JSON header padded with spaces to a multiple of 8, F32 LE data."""
    header = {"__metadata__": {k: str(v) for k, v in metadata.items()}}
    blobs, offset = [], 0
    for name, tensor in state_dict.items():
        blob = tensor.detach().to(torch.float32).contiguous().cpu().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def grid_pixels(images, rows, cols, scale):
    """(N,1,28,28) in [-1,1] -> uint8 (rows*28*scale, cols*28*scale) grid."""
    x = images.detach().cpu().numpy().reshape(rows, cols, 28, 28)
    px = np.clip(np.rint((x + 1.0) * 127.5), 0, 255).astype(np.uint8)
    grid = px.transpose(0, 2, 1, 3).reshape(rows * 28, cols * 28)
    return np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)


def png_bytes(gray):
    """8-bit grayscale PNG of a 2-D uint8 array, written with zlib + struct."""
    h, w = gray.shape

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + gray[r].tobytes() for r in range(h))  # filter type 0 on each row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_png(path, gray):
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        Image.fromarray(gray, mode="L").save(path)
    else:
        write_atomic(path, png_bytes(gray))


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def fmt_time(seconds):
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def generator_metadata(step):
    return {"kind": "generator", "architecture": "seed-mlp-gan", "format_version": "1", "z_dim": str(NZ),
            "widths": WIDTHS, "dataset": "mnist", "step": str(step), "trainer": f"pytorch {torch.__version__}"}


def save_checkpoint(path, a, epoch, elapsed, G, D, optG, optD, shuffle):
    """Everything the next epoch depends on: weights, Adam states, the shuffle and the global (z, dropout) RNG."""
    state = {"seed": a.seed, "batch": a.batch, "epoch": epoch, "elapsed": elapsed, "G": G.state_dict(),
             "D": D.state_dict(), "optG": optG.state_dict(), "optD": optD.state_dict(),
             "shuffle_rng": shuffle.get_state(), "torch_rng": torch.get_rng_state()}
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(path, a, G, D, optG, optD, shuffle):
    """Restores save_checkpoint's state; returns (the epoch to run next, seconds already spent)."""
    if not os.path.isfile(path):
        fail(f"--resume: {path} does not exist; start the run without --resume")
    try:
        state = torch.load(path)
    except Exception as e:  # noqa: BLE001 (torch raises many kinds for a damaged file)
        fail(f"--resume: cannot read {path} ({e}); start the run again without --resume")
    if state["seed"] != a.seed or state["batch"] != a.batch:
        fail(f"--resume: {path} was trained with --seed {state['seed']} --batch {state['batch']}; pass the same")
    G.load_state_dict(state["G"])
    D.load_state_dict(state["D"])
    optG.load_state_dict(state["optG"])
    optD.load_state_dict(state["optD"])
    shuffle.set_state(state["shuffle_rng"])
    torch.set_rng_state(state["torch_rng"])
    return state["epoch"] + 1, state["elapsed"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="data/mnist", help="folder with train-images-idx3-ubyte.gz (default data/mnist)")
    ap.add_argument("--epochs", type=int, default=100, help="epochs to train (default 100)")
    ap.add_argument("--batch", type=int, default=60, help="batch size (default 60, the seed's)")
    ap.add_argument("--seed", type=int, default=0, help="seeds init, z, and shuffling (default 0)")
    ap.add_argument("--threads", type=int, default=1, help="torch (and OpenBLAS) threads (default 1)")
    ap.add_argument("--out", default="runs/pytorch-seed", help="output folder (default runs/pytorch-seed)")
    ap.add_argument("--export-every", type=int, default=0,
                    help="also write generator-stepNNNNNN.safetensors every this many epochs (0 = only at the end), "
                         "so `gan eval` can follow the run as `gan train --eval-every` does")
    ap.add_argument("--resume", action="store_true",
                    help="continue from --out's checkpoint.pt (written after every epoch) with the same settings")
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.threads < 1:
        fail("--epochs, --batch and --threads must be at least 1")

    path = find_images(a.data)
    try:
        images = load_idx_images(path)
    except (OSError, ValueError, EOFError) as e:
        fail(f"cannot read {path}: {e}")
    if images.shape[1:] != (28, 28):
        fail(f"{path} holds {images.shape[1]}x{images.shape[2]} images; the seed model needs 28x28")
    data = to_tensor(images)
    n = data.size(0)
    per_epoch = n // a.batch
    if per_epoch == 0:
        fail(f"{path} has {n} images, fewer than one batch of {a.batch}")

    torch.set_num_threads(a.threads)
    _, libs = blas_info()
    openblas = openblas_lib(libs)
    if openblas:  # Debian's torch never tells OpenBLAS, which would otherwise use every core
        openblas.openblas_set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)

    G, D, optG, optD, criterion = make_models(seed=a.seed)
    G.train()
    D.train()
    shuffle = torch.Generator().manual_seed(a.seed)
    print(f"torch {torch.__version__}, {a.threads} thread(s) | {path}: {n} images, batch {a.batch}, "
          f"{per_epoch} iterations/epoch, {a.epochs} epochs | out {a.out}", file=sys.stderr, flush=True)

    step, first_epoch, spent = 0, 1, 0.0
    checkpoint = os.path.join(a.out, "checkpoint.pt")
    if a.resume:
        first_epoch, spent = load_checkpoint(checkpoint, a, G, D, optG, optD, shuffle)
        step = (first_epoch - 1) * per_epoch
        print(f"resuming {checkpoint} at epoch {first_epoch}", file=sys.stderr, flush=True)
    start = time.perf_counter() - spent
    with open(os.path.join(a.out, "log.csv"), "a" if a.resume else "w") as log:
        if not a.resume:
            log.write("epoch,d_loss,g_loss,seconds\n")
        for epoch in range(first_epoch, a.epochs + 1):
            t0 = time.perf_counter()
            perm = torch.randperm(n, generator=shuffle)
            d_sum = g_sum = 0.0
            for i in range(per_epoch):
                d, g = train_iteration(G, D, optG, optD, criterion, data[perm[i * a.batch:(i + 1) * a.batch]])
                d_sum += d
                g_sum += g
                step += 1
            now = time.perf_counter()
            elapsed = now - start
            eta = elapsed / epoch * (a.epochs - epoch)
            d_mean, g_mean = d_sum / per_epoch, g_sum / per_epoch
            log.write(f"{epoch},{d_mean:.6f},{g_mean:.6f},{elapsed:.2f}\n")
            log.flush()
            if a.export_every and epoch % a.export_every == 0:
                write_atomic(os.path.join(a.out, f"generator-step{step:06d}.safetensors"),
                             safetensors_bytes(G.state_dict(), generator_metadata(step)))
            save_checkpoint(checkpoint, a, epoch, elapsed, G, D, optG, optD, shuffle)
            print(f"epoch {epoch}/{a.epochs}  D {d_mean:.4f}  G {g_mean:.4f}  "
                  f"{per_epoch / (now - t0):.1f} it/s  elapsed {fmt_time(elapsed)}  ETA {fmt_time(eta)}",
                  file=sys.stderr, flush=True)

    weights = os.path.join(a.out, "generator.safetensors")
    write_atomic(weights, safetensors_bytes(G.state_dict(), generator_metadata(step)))

    torch.manual_seed(a.seed + 1)
    z = torch.randn(25, NZ)
    with torch.no_grad():
        samples = G(z)
    png = os.path.join(a.out, "samples.png")
    write_png(png, grid_pixels(samples, 5, 5, 2))
    print(f"wrote {weights} (step {step}) and {png} in {fmt_time(time.perf_counter() - start)}",
          file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
