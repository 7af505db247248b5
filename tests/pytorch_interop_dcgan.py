"""The DCGAN's files in PyTorch and PyTorch's in ours: strict load_state_dict into bench/dcgan.py's nn.Sequential,
running statistics included, and the same pixels both ways (evaluation mode)."""
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed (bash bench/setup_pytorch.sh installs it)")
    sys.exit(77)

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
from dcgan import Generator, weights_init  # noqa: E402
from pytorch_interop import gan_generate, load_safetensors, save_safetensors, strict_load  # noqa: E402


def main():
    gan, data = sys.argv[1], sys.argv[2]
    results = []

    def check(name, ok, detail=""):
        print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""))
        results.append(bool(ok))

    with tempfile.TemporaryDirectory() as work:
        torch.manual_seed(0)
        z = torch.randn(16, 100)

        # PyTorch -> gan: a trained-looking state_dict (running statistics off their defaults) saved without metadata.
        G = Generator()
        G.apply(weights_init)
        with torch.no_grad():
            G.train()
            for _ in range(3):
                G(torch.randn(32, 100))  # moves the running statistics
        G.eval()
        path = os.path.join(work, "torch_G.safetensors")
        save_safetensors(G.state_dict(), path)  # num_batches_tracked included, as safetensors.torch writes it
        ours = gan_generate(gan, path, z, work)
        with torch.no_grad():
            theirs = G(z).view(16, 784)
        err = (ours - theirs).abs().max().item()
        check("a PyTorch DCGAN generator loads in gan generate and gives the same pixels", err < 1e-5, f"max diff {err:.2e}")

        # gan -> PyTorch: our export loads strictly, running statistics and all.
        run = os.path.join(work, "run")
        subprocess.run([gan, "train", "--arch", "dcgan", "--data", data, "--iterations", "6", "--seed", "5", "-q",
                        "--export-f16", "--ema", "0.9", "--out", run], check=True, stderr=subprocess.DEVNULL)
        for name in ("generator.safetensors", "generator-f16.safetensors"):
            state, meta = load_safetensors(os.path.join(run, name))
            G2 = strict_load(Generator, state)
            check(f"{name} loads with load_state_dict(strict=True)", G2 is not None)
            check(f"{name} metadata names the architecture", meta.get("architecture") == "dcgan-gan"
                  and meta.get("kind") == "generator" and meta.get("layers", "").startswith("nn.Linear(100, 256"),
                  str(meta))
            moved = (state["main.1.running_var"] - 1).abs().max().item()
            check(f"{name} carries trained running statistics", moved > 1e-3, f"running_var moved {moved:.2e}")
            if G2 is not None:
                with torch.no_grad():
                    theirs = G2(z).view(16, 784)
                ours = gan_generate(gan, os.path.join(run, name), z, work)
                err = (ours - theirs).abs().max().item()
                check(f"{name}: PyTorch and gan give the same pixels", err < 1e-5, f"max diff {err:.2e}")

    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
