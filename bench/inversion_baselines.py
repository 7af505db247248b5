#!/usr/bin/env python3
"""Inversion error on MNIST's test digits against two simple baselines (docs/explore.md).

For the first N test digits: `gan invert` with the given settings, the nearest of 10,000 generated digits
(`gan generate --seed 77`), and the mean training digit. Errors are mean squared over the 784 pixels in [-1, 1].
The digits are inverted 1,000 at a time; with --max-minutes the run stops after the chunk that passes the budget
and reports the digits done.
Usage: /usr/bin/python3 bench/inversion_baselines.py [--count 10000] [--restarts 4 --steps 600 --lr 0.2]
       [--weights assets/generator-f16.safetensors] [--gan build/release/native/gan] [--max-minutes M]
"""
import argparse
import gzip
import pathlib
import re
import subprocess
import tempfile
import time

import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent


def mnist_images(name):
    with gzip.open(REPO / 'data' / 'mnist' / name) as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    return data.reshape(-1, 784).astype(np.float32) / 127.5 - 1.0


def squared_distances(a, b):
    """Mean squared difference of every row of a against every row of b, in blocks (10,000 x 10,000 is 400 MB)."""
    best = np.empty(len(a), dtype=np.float64)
    b_norms = (b.astype(np.float64) ** 2).sum(1)
    for start in range(0, len(a), 1000):
        block = a[start:start + 1000].astype(np.float64)
        d = (block ** 2).sum(1)[:, None] + b_norms[None, :] - 2.0 * block @ b.T.astype(np.float64)
        best[start:start + 1000] = np.maximum(d.min(1), 0.0) / 784.0
    return best


def summary(errors):
    return f'{errors.mean():.4f} | {np.median(errors):.4f} | {np.percentile(errors, 90):.4f}'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--count', type=int, default=10000)
    p.add_argument('--restarts', type=int, default=4)
    p.add_argument('--steps', type=int, default=600)
    p.add_argument('--lr', type=float, default=0.2)
    p.add_argument('--weights', default=str(REPO / 'assets' / 'generator-f16.safetensors'))
    p.add_argument('--gan', default=str(REPO / 'build' / 'release' / 'native' / 'gan'))
    p.add_argument('--max-minutes', type=float, default=float('inf'))
    args = p.parse_args()

    test = mnist_images('t10k-images-idx3-ubyte.gz')[:args.count]
    mean_digit = mnist_images('train-images-idx3-ubyte.gz').mean(0)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        t0 = time.time()
        errors = []
        for start in range(0, len(test), 1000):
            if time.time() - t0 > 60 * args.max_minutes:
                break
            np.save(tmp / 'chunk.npy', test[start:start + 1000])
            out = subprocess.run([args.gan, 'invert', '-w', args.weights, '--image', str(tmp / 'chunk.npy'),
                                  '--out', str(tmp / 'z.npy'), '--restarts', str(args.restarts), '--steps',
                                  str(args.steps), '--lr', str(args.lr)], check=True, capture_output=True, text=True).stdout
            errors += [float(m) for m in re.findall(r'^digit \d+: error ([0-9.e+-]+)', out, re.M)]
            print(f'{len(errors)} digits inverted, {time.time() - t0:.0f} s', flush=True)
        seconds = time.time() - t0
        inverted = np.array(errors)
        test = test[:len(inverted)]
        subprocess.run([args.gan, 'generate', '-w', args.weights, '-n', '10000', '--seed', '77',
                        '--npy', str(tmp / 'generated.npy')], check=True, capture_output=True)
        generated = np.load(tmp / 'generated.npy')
    nearest = squared_distances(test, generated)
    mean = ((test - mean_digit) ** 2).mean(1)
    print(f'{len(test)} test digits, {args.weights}, gan invert --restarts {args.restarts} --steps {args.steps} '
          f'--lr {args.lr}: {seconds:.0f} s ({seconds / len(test):.3f} s a digit)')
    print('| method | mean | median | 90th percentile |')
    print('| --- | --- | --- | --- |')
    print(f'| inversion | {summary(inverted)} |')
    print(f'| the nearest of 10,000 generated digits (seed 77) | {summary(nearest)} |')
    print(f'| the mean training digit | {summary(mean)} |')
    print(f'inversion better than the nearest generated digit on {(inverted < nearest).sum()} of {len(test)}, '
          f'than the mean digit on {(inverted < mean).sum()}')


if __name__ == '__main__':
    main()
