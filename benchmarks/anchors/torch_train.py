#!/usr/bin/env python3
"""PyTorch anchor for the convolutions and training steps `gradschool bench conv` and
`gradschool bench train` time, float32, on the same shapes:

- conv1: N=64, 3->32 channels, 32x32, 3x3, pad 1; conv2: N=64, 32->64, 16x16, 3x3, pad 1.
  Forward, then the input, weight and bias gradients (conv1's input gradient too, as ours).
- The course ConvNet's training step, batch 64 of 32x32x3: conv3x3(3->32)-ReLU-maxpool2,
  conv3x3(32->64)-ReLU-maxpool2, linear(4096->10), softmax cross-entropy, backward,
  SGD with momentum 0.9.
- The two-layer net's step, 3072->50 (ReLU) ->10, batch 200, softmax cross-entropy, SGD.

Convolutions run channels-last (torch's fastest CPU layout here) unless --layout NCHW.
Run with a venv that has torch:
    <venv>/bin/python benchmarks/anchors/torch_train.py [--threads 1,2] [--min-time 1.0]
Each thread count runs in a child process pinned to CPUs 0..N-1 with torch.set_num_threads(N).
Prints one line per case: torch case=... layout=... threads=N median_ms=...
"""
import argparse
import os
import subprocess
import sys

from anchor_timing import median_seconds


def run(threads, min_time, layout):
    import torch

    os.sched_setaffinity(0, set(range(min(threads, os.cpu_count() or 1))))
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    fmt = torch.channels_last if layout == "NHWC" else torch.contiguous_format

    def report(case, seconds):
        print(f"torch case={case} layout={layout} threads={threads} median_ms={seconds * 1e3:.3f}", flush=True)

    for case, n, c, k, side in [("conv1", 64, 3, 32, 32), ("conv2", 64, 32, 64, 16)]:
        x = torch.randn(n, c, side, side).contiguous(memory_format=fmt).requires_grad_(True)
        conv = torch.nn.Conv2d(c, k, 3, padding=1).to(memory_format=fmt)
        dy = torch.randn(n, k, side, side).contiguous(memory_format=fmt)

        def conv_step():
            x.grad = None
            conv.zero_grad(set_to_none=True)
            conv(x).backward(dy)

        report(case, median_seconds(conv_step, min_time))

    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * 8 * 8, 10)).to(memory_format=fmt)
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    images = torch.randn(64, 3, 32, 32).contiguous(memory_format=fmt)
    report("convnet_step", median_seconds(training_step(net, opt, images, torch.randint(0, 10, (64,))), min_time))

    two = torch.nn.Sequential(torch.nn.Linear(3072, 50), torch.nn.ReLU(), torch.nn.Linear(50, 10))
    opt2 = torch.optim.SGD(two.parameters(), lr=0.01)
    rows = torch.randn(200, 3072)
    report("two_layer_step", median_seconds(training_step(two, opt2, rows, torch.randint(0, 10, (200,))), min_time))


def training_step(net, optimizer, inputs, labels):
    """One step: softmax cross-entropy, backward, the optimizer's update."""
    import torch.nn.functional as F

    def step():
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(net(inputs), labels).backward()
        optimizer.step()

    return step


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--min-time", type=float, default=1.0)
    parser.add_argument("--layout", choices=["NHWC", "NCHW"], default="NHWC")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    counts = [int(t) for t in args.threads.split(",") if t]
    if args.child:
        run(counts[0], args.min_time, args.layout)
        return
    for count in counts:
        subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--child", "--threads", str(count),
             "--min-time", str(args.min_time), "--layout", args.layout],
            check=True)


if __name__ == "__main__":
    main()
