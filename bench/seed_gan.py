"""The seed model (PyTorch tutorial MNIST GAN): Generator, Discriminator, one training iteration, IDX loader."""
import gzip
import struct

import numpy as np
import torch
import torch.nn as nn

NZ = 100
IMG = 28 * 28


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(NZ, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 512), nn.LeakyReLU(0.2),
            nn.Linear(512, 1024), nn.LeakyReLU(0.2),
            nn.Linear(1024, IMG), nn.Tanh())

    def forward(self, z):
        return self.main(z).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Linear(IMG, 1024), nn.LeakyReLU(0.2), nn.Dropout(0.5),
            nn.Linear(1024, 512), nn.LeakyReLU(0.2), nn.Dropout(0.5),
            nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Dropout(0.5),
            nn.Linear(256, 1), nn.Sigmoid())

    def forward(self, x):
        return self.main(x.view(-1, IMG))


def make_models(seed=0, device="cpu"):
    """Fresh (G, D, optG, optD, BCELoss) exactly as the seed builds them (initialised on the CPU, then moved to
    `device` before the optimisers are made, so a CUDA copy starts from the very same weights)."""
    torch.manual_seed(seed)
    G, D = Generator().to(device), Discriminator().to(device)
    optG = torch.optim.Adam(G.parameters(), lr=0.0002, betas=(0.5, 0.999))
    optD = torch.optim.Adam(D.parameters(), lr=0.0002, betas=(0.5, 0.999))
    return G, D, optG, optD, nn.BCELoss()


def train_iteration(G, D, optG, optD, criterion, real, read_losses=True):
    """One seed iteration on a batch `real` (N,1,28,28) in [-1,1]; returns (lossD, lossG) as floats.

    Labels and z are made on real's device (the CPU's generator on the CPU, as the seed does). read_losses=False
    returns the two losses as detached tensors instead: on a GPU that skips the host sync .item() costs per step."""
    n, dev = real.size(0), real.device
    ones, zeros = torch.ones(n, 1, device=dev), torch.zeros(n, 1, device=dev)
    D.zero_grad()
    fake = G(torch.randn(n, NZ, device=dev))
    lossD = criterion(D(real), ones) + criterion(D(fake.detach()), zeros)
    lossD.backward()
    optD.step()
    G.zero_grad()
    lossG = criterion(D(G(torch.randn(n, NZ, device=dev))), ones)
    lossG.backward()
    optG.step()
    if not read_losses:
        return lossD.detach(), lossG.detach()
    return lossD.item(), lossG.item()


def load_idx_images(path):
    """Read a plain or .gz IDX3 image file into a uint8 array (count, rows, cols)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 16:
        raise ValueError(f"{path}: too short for an IDX header")
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 0x00000803:
        raise ValueError(f"{path}: bad IDX magic {magic:#010x}, expected 0x00000803")
    if len(data) - 16 != count * rows * cols:
        raise ValueError(f"{path}: {len(data) - 16} pixel bytes, header says {count}x{rows}x{cols}")
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)


def to_tensor(images):
    """uint8 (N,28,28) -> float32 tensor (N,1,28,28) scaled to [-1,1] like the seed's Normalize((0.5,),(0.5,))."""
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    return ((x - 0.5) / 0.5).unsqueeze(1)
