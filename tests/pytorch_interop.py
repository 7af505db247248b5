"""Our weights in PyTorch and PyTorch's in ours: load_state_dict into the seed's Generator, same digits both ways."""
import json
import os
import struct
import subprocess
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError:
    print("SKIP: python3-torch is not installed (bash bench/setup_pytorch.sh installs it)")
    sys.exit(77)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from safetensors_io import tensor_arrays  # noqa: E402
from seed_gan import Generator  # noqa: E402


def load_safetensors(path):
    """The README's loader (bench/safetensors_io.py): every tensor as a torch tensor, and the metadata."""
    arrays, metadata = tensor_arrays(path)
    return {name: torch.from_numpy(a) for name, a in arrays.items()}, metadata


def strict_load(make, state):
    """A fresh module from `make`, in eval mode, with `state` loaded by load_state_dict(strict=True); None (the
    error printed) when it does not load."""
    module = make().eval()
    try:
        module.load_state_dict(state, strict=True)
        return module
    except RuntimeError as e:
        print(e)
        return None


def save_safetensors(state, path):
    """What safetensors.torch.save_file writes for a state_dict, without metadata."""
    header, blobs, offset = {}, [], 0
    for name, t in state.items():
        b = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def gan_generate(gan, weights, z, work):
    zpath, out = os.path.join(work, "z.npy"), os.path.join(work, "out.npy")
    np.save(zpath, z.numpy().astype(np.float32))
    subprocess.run([gan, "generate", "--weights", weights, "--z", zpath, "--npy", out], check=True,
                   stderr=subprocess.DEVNULL)
    return torch.from_numpy(np.load(out))


def main():
    gan, data = sys.argv[1], sys.argv[2]
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        print(("PASS " if ok else "FAIL ") + name + (f" ({detail})" if detail else ""))
        passed, failed = passed + ok, failed + (not ok)

    with tempfile.TemporaryDirectory() as work:
        torch.manual_seed(0)
        z = torch.randn(16, 100)

        # PyTorch -> gan: a state_dict saved as safetensors generates the same digits in our tool.
        G = Generator().eval()
        save_safetensors(G.state_dict(), os.path.join(work, "torch_G.safetensors"))
        ours = gan_generate(gan, os.path.join(work, "torch_G.safetensors"), z, work)
        with torch.no_grad():
            theirs = G(z).view(16, 784)
        err = (ours - theirs).abs().max().item()
        check("a PyTorch generator loads in gan generate and gives the same pixels", err < 1e-5, f"max diff {err:.2e}")

        # gan -> PyTorch: our trained export loads strictly into the seed's Generator.
        run = os.path.join(work, "run")
        subprocess.run([gan, "train", "--data", data, "--iterations", "20", "--seed", "5", "-q", "--export-f16",
                        "--out", run], check=True, stderr=subprocess.DEVNULL)
        for name, tol in (("generator.safetensors", 1e-5), ("generator-f16.safetensors", 1e-5)):
            path = os.path.join(run, name)
            state, meta = load_safetensors(path)
            G2 = strict_load(Generator, state)
            check(f"{name} loads with load_state_dict(strict=True)", G2 is not None)
            check(f"{name} metadata names the architecture", meta.get("architecture") == "seed-mlp-gan"
                  and meta.get("kind") == "generator" and meta.get("step") == "20", json.dumps(meta))
            if G2 is not None:
                with torch.no_grad():
                    theirs = G2(z).view(16, 784)
                ours = gan_generate(gan, path, z, work)
                err = (ours - theirs).abs().max().item()
                check(f"{name}: PyTorch and gan give the same pixels", err < tol, f"max diff {err:.2e}")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
