"""Reading safetensors files as the README describes them: a little-endian u64 header length, a JSON header (with
the `__metadata__` strings), then the raw little-endian tensors."""
import json
import struct


def read_safetensors(path):
    """(tensor entries by name, metadata, data bytes) of the file at `path`."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    metadata = header.pop("__metadata__", {})
    return header, metadata, data


def tensor_arrays(path, dequantize=False):
    """Every F32 or F16 tensor of the file as a float32 array of its shape, and the metadata. With `dequantize`, I8
    tensors too, each times its `<name>_scale` (one scale per slice of the first dimension, in float32 as the core
    multiplies), and the scales left out."""
    import numpy as np  # here, so that reading headers needs only the standard library

    dtypes = {"F32": np.float32, "F16": np.float16, **({"I8": np.int8} if dequantize else {})}
    header, metadata, data = read_safetensors(path)
    arrays = {}
    for name, t in header.items():
        if t["dtype"] not in dtypes:
            raise ValueError(f"{path}: {name} is {t['dtype']}, not {' or '.join(dtypes)}")
        begin, end = t["data_offsets"]
        arrays[name] = np.frombuffer(data[begin:end], dtypes[t["dtype"]]).astype(np.float32).reshape(t["shape"])
    for name in [n for n in arrays if dequantize and n + "_scale" in arrays]:
        scale = arrays.pop(name + "_scale")
        arrays[name] = (arrays[name] * scale.reshape((-1,) + (1,) * (arrays[name].ndim - 1))).astype(np.float32)
    return arrays, metadata
