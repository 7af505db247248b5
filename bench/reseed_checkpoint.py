"""Copy a `gan train` checkpoint with another seed in its metadata, so that `gan train --resume` continues the same
state on other random streams (z, dropout, batch order): the other half of bench/pytorch_continue.py's comparison.

  bench/reseed_checkpoint.py IN SEED OUT
"""
import json
import struct
import sys

from safetensors_io import read_safetensors


def main():
    if len(sys.argv) != 4 or not sys.argv[2].isdigit():
        sys.exit(__doc__.strip())
    src, seed, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    header, metadata, blob = read_safetensors(src)
    if metadata.get("kind") != "checkpoint":
        sys.exit(f"{src}: not a checkpoint of gan train")
    metadata["seed"] = seed
    text = json.dumps({"__metadata__": metadata, **header}, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + blob)


if __name__ == "__main__":
    main()
