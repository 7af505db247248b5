"""The project's DCGAN written in PyTorch: the reference its generator files load into (strict load_state_dict,
running statistics included) and the side of the speed comparison that `gan bench --arch dcgan` is measured against.

The layers are those of src/architectures.cpp; the training step is PyTorch's DCGAN example's (BCEWithLogitsLoss,
D on real then on detached fakes, G through the updated D, one z per step).

  /usr/bin/python3 bench/dcgan.py --bench 40 --threads 1,2 [--json]   # iterations/s of training at batch 60
  /usr/bin/python3 bench/dcgan.py --train 2000 --out runs/pytorch-dcgan   # train on data/mnist, export for `gan eval`
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NZ = 100
CLASSES = 10


class Generator(nn.Module):
    def __init__(self, classes=0):
        super().__init__()
        # The unconditional G chooses the digit itself, through one more layer (src/architectures.cpp says why).
        choose_digit = [nn.Linear(NZ, 256, bias=False), nn.BatchNorm1d(256), nn.ReLU()] if classes == 0 else []
        width = 256 if classes == 0 else NZ + classes
        self.main = nn.Sequential(
            *choose_digit,
            nn.Linear(width, 128 * 7 * 7, bias=False), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (128, 7, 7)),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self, classes=0):
        super().__init__()
        # The unconditional D judges through a hidden layer (src/architectures.cpp says why).
        hidden = [nn.Linear(128 * 7 * 7, 1024, bias=False), nn.BatchNorm1d(1024), nn.LeakyReLU(0.2)]
        judge = hidden + [nn.Linear(1024, 1)] if classes == 0 else [nn.Linear(128 * 7 * 7, 1)]
        self.main = nn.Sequential(
            nn.Conv2d(1 + classes, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Flatten(), *judge)

    def forward(self, x):
        return self.main(x)


def weights_init(m):
    """The DCGAN paper's initialisation, as PyTorch's example applies it (Linear layers too, as ours do)."""
    if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(m.weight, 0.0, 0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(m.weight, 1.0, 0.02)
        nn.init.zeros_(m.bias)


def make_models(seed=0):
    torch.manual_seed(seed)
    G, D = Generator(), Discriminator()
    G.apply(weights_init)
    D.apply(weights_init)
    optG = torch.optim.Adam(G.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=0.0002, betas=(0.5, 0.999))
    return G, D, optG, optD, nn.BCEWithLogitsLoss()


def train_iteration(G, D, optG, optD, criterion, real):
    n = real.size(0)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    D.zero_grad()
    errD_real = criterion(D(real), ones)
    errD_real.backward()
    fake = G(torch.randn(n, NZ))
    errD_fake = criterion(D(fake.detach()), zeros)
    errD_fake.backward()
    optD.step()
    G.zero_grad()
    errG = criterion(D(fake), ones)
    errG.backward()
    optG.step()
    return (errD_real + errD_fake).item(), errG.item()


def bench(threads, iters, warmup, batch):
    torch.set_num_threads(threads)
    G, D, optG, optD, criterion = make_models()
    real = torch.rand(batch, 1, 28, 28) * 2 - 1  # the speed does not depend on the pixels
    for _ in range(warmup):
        train_iteration(G, D, optG, optD, criterion, real)
    t0 = time.perf_counter()
    for _ in range(iters):
        train_iteration(G, D, optG, optD, criterion, real)
    return iters / (time.perf_counter() - t0)


def train(steps, out, data, seed, threads):
    """The seed's schedule (shuffled epochs of 60, last partial batch dropped) for `steps` steps; writes
    out/generator.safetensors (the G state_dict with our metadata) for `gan eval` and `gan generate`."""
    from seed_gan import load_idx_images, to_tensor
    from pytorch_train import safetensors_bytes
    torch.set_num_threads(threads)
    images = to_tensor(load_idx_images(os.path.join(data, "train-images-idx3-ubyte.gz")))
    G, D, optG, optD, criterion = make_models(seed)
    gen = torch.Generator().manual_seed(seed)
    step, t0 = 0, time.perf_counter()
    while step < steps:
        perm = torch.randperm(images.size(0), generator=gen)
        for i in range(0, images.size(0) - 59, 60):
            lossD, lossG = train_iteration(G, D, optG, optD, criterion, images[perm[i:i + 60]])
            step += 1
            if step % 500 == 0 or step == steps:
                print(f"step {step}: D {lossD:.3f} G {lossG:.3f} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
            if step == steps:
                break
    os.makedirs(out, exist_ok=True)
    meta = {"format_version": "1", "kind": "generator", "architecture": "dcgan-gan", "z_dim": "100",
            "dataset": "mnist", "step": str(steps), "trained_by": f"pytorch {torch.__version__}"}
    with open(os.path.join(out, "generator.safetensors"), "wb") as f:
        f.write(safetensors_bytes(G.state_dict(), meta))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", type=int, default=40, help="timed iterations per thread count")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", default="1,2", help="comma list of thread counts")
    p.add_argument("--batch", type=int, default=60)
    p.add_argument("--json", action="store_true")
    p.add_argument("--train", type=int, default=0, help="train this many steps on --data instead of timing")
    p.add_argument("--out", default="runs/pytorch-dcgan")
    p.add_argument("--data", default="data/mnist")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    if a.train:
        return train(a.train, a.out, a.data, a.seed, int(a.threads.split(",")[0]))
    for t in [int(x) for x in a.threads.split(",")]:
        its = bench(t, a.bench, a.warmup, a.batch)
        if a.json:
            print(json.dumps({"framework": "pytorch", "model": "dcgan", "threads": t, "batch": a.batch,
                              "its_per_s": round(its, 3), "mkldnn": torch.backends.mkldnn.is_available(),
                              "torch": torch.__version__}))
        else:
            print(f"pytorch {torch.__version__} dcgan: {t} thread(s), batch {a.batch}: {its:.2f} it/s", file=sys.stderr)


if __name__ == "__main__":
    main()
