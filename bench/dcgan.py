"""The project's DCGAN written in PyTorch: the reference its generator files load into (strict load_state_dict,
running statistics included) and the side of the speed comparison that `gan bench --arch dcgan` is measured against.

The layers are those of src/architectures.cpp; the training step is PyTorch's DCGAN example's (BCEWithLogitsLoss,
D on real then on detached fakes, G through the updated D, one z per step).

  /usr/bin/python3 bench/dcgan.py --bench 40 --threads 1,2 [--json]   # iterations/s of training at batch 60
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn as nn

NZ = 100
CLASSES = 10


class Generator(nn.Module):
    def __init__(self, classes=0):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(NZ + classes, 128 * 7 * 7, bias=False), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(),
            nn.Unflatten(1, (128, 7, 7)),
            nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self, classes=0):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1 + classes, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(128 * 7 * 7, 1))

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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", type=int, default=40, help="timed iterations per thread count")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", default="1,2", help="comma list of thread counts")
    p.add_argument("--batch", type=int, default=60)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
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
