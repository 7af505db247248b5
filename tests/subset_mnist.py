"""Writes the first TRAIN training and TEST test digits (with labels) of an MNIST folder as a new folder of .gz files.

The command-line tests run gan dozens of times; each run reads its whole --data folder, and the full 60,000 digits
cost about a second of CPU time a read. The tests that check behaviour rather than learning use 9,000 of them.
Usage: python3 subset_mnist.py SRC_DIR DST_DIR TRAIN TEST
"""
import gzip
import os
import struct
import sys

src, dst, counts = sys.argv[1], sys.argv[2], {"train": int(sys.argv[3]), "t10k": int(sys.argv[4])}
os.makedirs(dst, exist_ok=True)
for split, n in counts.items():
    for kind, header, item in (("images-idx3", 16, 784), ("labels-idx1", 8, 1)):
        name = f"{split}-{kind}-ubyte.gz"
        raw = gzip.decompress(open(os.path.join(src, name), "rb").read())
        have = struct.unpack(">I", raw[4:8])[0]
        if have < n:
            sys.exit(f"subset_mnist.py: {name} holds {have} items, fewer than {n}")
        out = raw[:4] + struct.pack(">I", n) + raw[8:header] + raw[header:header + n * item]
        with open(os.path.join(dst, name), "wb") as f:
            f.write(gzip.compress(out, compresslevel=1))
