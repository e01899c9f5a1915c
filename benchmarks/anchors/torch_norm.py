#!/usr/bin/env python3
"""PyTorch anchor for the normalization layers: forward, then backward (input, scale and
shift gradients), in training mode, float32, on the shapes `gradschool bench norm` times.

Run with the venv ../shared/bench/setup.sh makes:
    <venv>/bin/python benchmarks/anchors/torch_norm.py [--threads 1,2] [--min-time 1.0]
Each thread count runs in a child process pinned to CPUs 0..N-1 with torch.set_num_threads(N).
Prints one line per case: torch_norm case=... layout=... threads=N median_ms=...
"""
import argparse
import os
import subprocess
import sys

from anchor_timing import median_seconds

# (name, module builder, input shape); the same cases as NormBenchmarks.swift.
CASES = [
    ("batchnorm2d", "BatchNorm2d", (64, 32, 32, 32)),
    ("batchnorm2d", "BatchNorm2d", (64, 64, 16, 16)),
    ("batchnorm1d", "BatchNorm1d", (200, 500)),
    ("layernorm", "LayerNorm", (200, 500)),
    ("layernorm", "LayerNorm", (64, 3072)),
]


def run(threads, min_time):
    import torch

    os.sched_setaffinity(0, set(range(min(threads, os.cpu_count() or 1))))
    torch.set_num_threads(threads)
    for name, kind, shape in CASES:
        features = shape[-1] if kind == "LayerNorm" else shape[1]
        layer = getattr(torch.nn, kind)(features)
        layer.train()
        layouts = ["NCHW", "NHWC"] if len(shape) == 4 else ["rows"]
        for layout in layouts:
            x = torch.randn(*shape)
            if layout == "NHWC":
                x = x.contiguous(memory_format=torch.channels_last)
            x.requires_grad_(True)
            dy = torch.randn_like(x)

            def step():
                x.grad = None
                layer.zero_grad(set_to_none=True)
                layer(x).backward(dy)

            ms = median_seconds(step, min_time) * 1e3
            dims = "x".join(str(d) for d in shape)
            print(f"torch_norm case={name} shape={dims} layout={layout} threads={threads} median_ms={ms:.3f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--min-time", type=float, default=1.0)
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",") if t]
    if len(counts) > 1:
        for n in counts:
            subprocess.run([sys.executable, os.path.abspath(__file__), "--threads", str(n), "--min-time", str(args.min_time)], check=False)
        return
    import torch

    print(f"# torch {torch.__version__}", flush=True)
    run(counts[0], args.min_time)


if __name__ == "__main__":
    main()
