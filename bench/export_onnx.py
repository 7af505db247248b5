"""A generator file of ours as ONNX, for ONNX Runtime Web in bench/web_bench.mjs: loaded strictly into the PyTorch
module it was written for (bench/seed_gan.py's Generator, bench/dcgan.py's), int8 weights multiplied by their
scales (one per slice of the first dimension) in float32 as the core does, and exported with torch.onnx.export (opset 13, any batch size).

  /usr/bin/python3 bench/export_onnx.py assets/generator-q8.safetensors build/bench-onnx/generator-q8.onnx
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_io import tensor_arrays  # noqa: E402


def generator_module(metadata):
    """The nn.Module whose state_dict the file holds, from its "architecture" metadata."""
    architecture = metadata.get("architecture", "")
    classes = int(metadata.get("classes", "0"))
    if architecture == "seed-mlp-gan" and classes == 0:
        from seed_gan import Generator
        return Generator()
    if architecture == "dcgan-gan":
        from dcgan import Generator
        return Generator()
    raise SystemExit(f"architecture {architecture!r} with {classes} classes: export the seed's MLP or the DCGAN")


class Reshape(torch.nn.Module):
    """nn.Unflatten(1, shape) as a view: torch 1.13's exporter has no aten::unflatten at opset 13."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape((x.shape[0],) + self.shape)


def exportable(G):
    """G with every nn.Unflatten swapped for the same reshape (no parameters, so the loaded weights are untouched)."""
    for i, m in enumerate(G.main):
        if isinstance(m, torch.nn.Unflatten):
            G.main[i] = Reshape(m.unflattened_size)
    return G


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: export_onnx.py GENERATOR.safetensors OUT.onnx")
    arrays, metadata = tensor_arrays(sys.argv[1], dequantize=True)
    state = {name: torch.from_numpy(np.ascontiguousarray(a)) for name, a in arrays.items()}
    G = generator_module(metadata)
    G.load_state_dict(state, strict=True)
    G = exportable(G).eval()
    z_dim = int(metadata.get("z_dim", "100"))
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[2])), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(G, torch.zeros(1, z_dim), sys.argv[2], opset_version=13, input_names=["z"],
                          output_names=["digits"], dynamic_axes={"z": {0: "batch"}, "digits": {0: "batch"}})
    print(f"export_onnx: {sys.argv[1]} -> {sys.argv[2]} ({os.path.getsize(sys.argv[2])} bytes)")


if __name__ == "__main__":
    main()
