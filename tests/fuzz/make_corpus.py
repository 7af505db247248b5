#!/usr/bin/env python3
# Writes the fuzzers' seed corpus (valid and broken files, each small) into corpus/<target>/. Run once by hand;
# its output is committed. Usage: python3 tests/fuzz/make_corpus.py <a checkpoint.safetensors from gan train>
#   [<a run folder of gan train --arch dcgan>]  (adds the DCGAN's generator and checkpoint headers)
import gzip, json, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))

def put(target, name, data):
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)

def safetensors(tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header['__metadata__'] = metadata
    for name, dtype, shape, raw in tensors:
        header[name] = {'dtype': dtype, 'shape': shape, 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    return struct.pack('<Q', len(h)) + h + b''.join(blobs)

meta = {'format_version': '1', 'architecture': 'seed-mlp-gan', 'kind': 'generator', 'z_dim': '2', 'step': '0'}
f32 = struct.pack('<4f', 0.5, -1.0, 2.0, 0.0)
put('safetensors', 'tiny-f32', safetensors([('main.0.weight', 'F32', [2, 2], f32)], meta))
put('safetensors', 'tiny-f16', safetensors([('main.0.weight', 'F16', [2, 2], struct.pack('<4H', 0x3c00, 0xbc00, 0x7c00, 0x7e00))]))
put('safetensors', 'tiny-bf16', safetensors([('x', 'BF16', [1, 3], struct.pack('<3H', 0x3f80, 0x4000, 0xff80))], {}))
put('safetensors', 'empty-header', safetensors([]))
put('safetensors', 'huge-header-length', struct.pack('<Q', 1 << 40) + b'{}')
put('safetensors', 'not-json', struct.pack('<Q', 6) + b'{"a":[')
with open(os.path.join(repo, 'assets', 'generator-f16.safetensors'), 'rb') as f:
    g = f.read()
n = struct.unpack('<Q', g[:8])[0]
put('safetensors', 'generator-header-only', g[:8 + n + 64])  # every tensor's offsets point past the end

with open(sys.argv[1], 'rb') as f:
    c = f.read()
n = struct.unpack('<Q', c[:8])[0]
put('checkpoint', 'checkpoint-header-only', c[:8 + n + 64])
cmeta = dict(json.loads(c[8:8 + n])['__metadata__'])
put('checkpoint', 'checkpoint-metadata-no-tensors', safetensors([], cmeta))
put('checkpoint', 'generator-not-checkpoint', safetensors([('main.0.weight', 'F32', [2, 2], f32)], meta))

with gzip.open(os.path.join(repo, 'data', 'mnist', 't10k-images-idx3-ubyte.gz')) as f:
    images = f.read()
with gzip.open(os.path.join(repo, 'data', 'mnist', 't10k-labels-idx1-ubyte.gz')) as f:
    labels = f.read()
put('idx', 'three-images', struct.pack('>IIII', 0x803, 3, 28, 28) + images[16:16 + 3 * 784])
put('idx', 'three-labels', struct.pack('>II', 0x801, 3) + labels[8:11])
put('idx', 'truncated-images', struct.pack('>IIII', 0x803, 3, 28, 28) + images[16:16 + 784])
put('idx', 'absurd-count', struct.pack('>IIII', 0x803, 0xffffffff, 0xffff, 0xffff))
put('idx', 'bad-magic', b'\x1f\x8b\x08\x00' + images[4:64])

if len(sys.argv) > 2:  # the layer-list files: their metadata ("layers", the DCGAN tag) and BatchNorm tensors
    with open(os.path.join(sys.argv[2], 'generator.safetensors'), 'rb') as f:
        d = f.read()
    n = struct.unpack('<Q', d[:8])[0]
    put('safetensors', 'dcgan-generator-header-only', d[:8 + n + 64])
    header = json.loads(d[8:8 + n])
    header.pop('__metadata__')
    bare = json.dumps(header).encode()  # a state_dict PyTorch wrote: no metadata, recognised by its tensors
    put('safetensors', 'dcgan-bare-header-only', struct.pack('<Q', len(bare)) + bare + d[8 + n:8 + n + 64])
    with open(os.path.join(sys.argv[2], 'checkpoint.safetensors'), 'rb') as f:
        c = f.read()
    n = struct.unpack('<Q', c[:8])[0]
    put('checkpoint', 'dcgan-checkpoint-header-only', c[:8 + n + 64])
    put('checkpoint', 'dcgan-checkpoint-metadata-no-tensors', safetensors([], dict(json.loads(c[8:8 + n])['__metadata__'])))
