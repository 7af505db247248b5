"""Continue a `gan train` checkpoint of the seed's model with PyTorch's own step (bench/seed_gan.py) and random streams.

From the same state, the two trainers' steps can be compared without the noise of whole separate runs: see
docs/quality.md ("the seed's model: PyTorch against us"). Also counts, per step, the outputs where nn.BCELoss's
gradient differs from a logits loss (a fake scored exactly 1.0; a real or a G-step fake below 1e-12).

  bench/pytorch_continue.py CHECKPOINT --seed S --steps N --out DIR
writes DIR/log.csv (step, d_loss, g_loss, saturated), DIR/generator-stepNNNNNN.safetensors every 1,000 steps and
DIR/generator.safetensors at the end, all loadable by `gan eval`.
"""
import argparse
import os
import sys

import torch

from pytorch_train import find_images, generator_metadata, safetensors_bytes, write_atomic
from safetensors_io import tensor_arrays
from seed_gan import NZ, load_idx_images, make_models, to_tensor


def read_checkpoint(path):
    """Our checkpoint's tensors by name (torch) and its metadata."""
    arrays, metadata = tensor_arrays(path)
    return {name: torch.from_numpy(a) for name, a in arrays.items()}, metadata


def load_state(tensors, step, G, D, optG, optD):
    """Weights and Adam moments into the seed's modules; opt_X.i is parameter i in PyTorch's parameters() order."""
    G.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("G.")})
    D.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("D.")})
    for net, opt, tag in ((G, optG, "opt_G"), (D, optD, "opt_D")):
        for i, p in enumerate(net.parameters()):
            opt.state[p] = {"step": torch.tensor(float(step)), "exp_avg": tensors[f"{tag}.{i}.exp_avg"].reshape(p.shape),
                            "exp_avg_sq": tensors[f"{tag}.{i}.exp_avg_sq"].reshape(p.shape)}


def iteration(G, D, optG, optD, criterion, real):
    """seed_gan.train_iteration's calls in its order (so the same random draws), counting the saturated outputs."""
    n = real.size(0)
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    D.zero_grad()
    fake = G(torch.randn(n, NZ))
    out_real = D(real)
    out_fake = D(fake.detach())
    loss_d = criterion(out_real, ones) + criterion(out_fake, zeros)
    loss_d.backward()
    optD.step()
    G.zero_grad()
    out_g = D(G(torch.randn(n, NZ)))
    loss_g = criterion(out_g, ones)
    loss_g.backward()
    optG.step()
    saturated = int((out_fake == 1).sum() + (out_real < 1e-12).sum() + (out_g < 1e-12).sum())
    return loss_d.item(), loss_g.item(), saturated


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkpoint", help="a checkpoint.safetensors of `gan train` (the seed's model, batch 60)")
    ap.add_argument("--data", default="data/mnist", help="folder with train-images-idx3-ubyte.gz (default data/mnist)")
    ap.add_argument("--seed", type=int, default=0, help="seeds PyTorch's z, dropout and batch order (default 0)")
    ap.add_argument("--steps", type=int, default=5000, help="steps to take (default 5000)")
    ap.add_argument("--out", required=True, help="output folder")
    a = ap.parse_args()
    tensors, meta = read_checkpoint(a.checkpoint)
    if meta.get("architecture") != "seed-mlp-gan":
        sys.exit(f"{a.checkpoint}: not a checkpoint of the seed's model (architecture {meta.get('architecture')})")
    start, batch = int(meta["step"]), int(meta["batch"])
    torch.set_num_threads(1)
    G, D, optG, optD, criterion = make_models(a.seed)
    load_state(tensors, start, G, D, optG, optD)
    torch.manual_seed(a.seed)
    data = to_tensor(load_idx_images(find_images(a.data)))
    per_epoch = data.size(0) // batch
    shuffle = torch.Generator().manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "log.csv"), "w") as log:
        log.write("step,d_loss,g_loss,saturated\n")
        for s in range(a.steps):
            if s % per_epoch == 0:
                perm = torch.randperm(data.size(0), generator=shuffle)
            j = s % per_epoch
            d, g, saturated = iteration(G, D, optG, optD, criterion, data[perm[j * batch:(j + 1) * batch]])
            step = start + s + 1
            log.write(f"{step},{d:.6f},{g:.6f},{saturated}\n")
            if (s + 1) % 1000 == 0:
                write_atomic(os.path.join(a.out, f"generator-step{step:06d}.safetensors"),
                             safetensors_bytes(G.state_dict(), generator_metadata(step)))
    write_atomic(os.path.join(a.out, "generator.safetensors"),
                 safetensors_bytes(G.state_dict(), generator_metadata(start + a.steps)))
    print(f"wrote {a.out}: steps {start + 1} to {start + a.steps}", file=sys.stderr)


if __name__ == "__main__":
    main()
