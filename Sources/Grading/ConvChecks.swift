import Autograd
import Foundation
import HomeworkKit
import Random
import Tensors

/// One convolution input: batch, channels and filters ≥ 1, a kernel of size 1 to 5 (even
/// ones too), an image that is not square, and the stride and padding asked for.
struct ConvCase {
    let x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>
    let stride: Int, pad: Int
    var input: String { "x \(x.shape), w \(w.shape), stride \(stride), pad \(pad)" }

    /// `kernels` lists the sizes to draw from; checks that must tell a flipped filter from the
    /// right one leave out 1 (a 1 × 1 filter is its own flip).
    init(_ g: inout SeededGenerator, stride: Int, pad: ClosedRange<Int>, kernels: [Int] = [1, 2, 3, 4, 5]) {
        let (n, c, k) = (randomInt(1...3, &g), randomInt(1...3, &g), randomInt(2...4, &g))
        let r = kernels[randomInt(0...(kernels.count - 1), &g)]
        let p = randomInt(pad.lowerBound...max(pad.lowerBound, min(pad.upperBound, r)), &g)
        var h = randomInt(max(r, 4)...8, &g), w = randomInt(max(r, 4)...8, &g)
        if h == w { w += 1 }
        x = randomTensor([n, c, h, w], &g); self.w = randomTensor([k, c, r, r], &g); b = randomTensor([k], &g)
        self.stride = stride; self.pad = p
    }

    /// The engine's output and gradients for a random upstream gradient.
    func reference(_ g: inout SeededGenerator) throws -> (out: Tensor<Double>, dOut: Tensor<Double>, dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>) {
        let xv = Variable(x, requiresGrad: true), wv = Variable(w, requiresGrad: true), bv = Variable(b, requiresGrad: true)
        let out = try xv.conv2d(wv, bias: bv, stride: stride, pad: pad)
        let dOut = randomTensor(out.shape, &g)
        try out.backward(dOut)
        return (out.value, dOut, xv.grad!, wv.grad!, bv.grad!)
    }

}

/// Filters `[K, C, R, S]` mirrored in both spatial axes (true convolution instead of cross-correlation).
public func flippedFilters(_ w: Tensor<Double>) -> Tensor<Double> {
    let (k, c, r, s) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    var f = w
    for i in 0..<(k * c) { for a in 0..<r { for b in 0..<s { f.scalars[(i * r + a) * s + b] = w.scalars[(i * r + r - 1 - a) * s + s - 1 - b] } } }
    return f
}

/// A pooling input with `stride` and a window of `size`; a non-square image.
func poolCase(_ g: inout SeededGenerator, overlapping: Bool) -> (Tensor<Double>, Int, Int, String) {
    let size = randomInt(2...3, &g), stride = overlapping ? size - 1 : size
    var h = randomInt((size + 2)...8, &g), w = randomInt((size + 2)...8, &g)
    if h == w { h += 1 }
    var x = randomTensor([randomInt(1...2, &g), randomInt(1...3, &g), h, w], &g)
    if overlapping {
        // The largest value sits at (stride, stride), inside four overlapping windows, so its
        // gradient is a sum of four: a backward pass that overwrites instead of adding shows.
        x.scalars[stride * w + stride] = (x.scalars.max() ?? 0) + 1
    }
    return (x, size, stride, "x \(x.shape), size \(size), stride \(stride)")
}

/// A keep probability away from ½ (where p and 1 − p would agree).
func keepProbability(_ g: inout SeededGenerator) -> Double {
    let p = 0.2 + 0.25 * g.nextUniform()
    return g.nextUniform() < 0.5 ? p : 1 - p
}

let convExercises: [Exercise] = [
    Exercise(
        id: "a3.dropout", assignment: 3, title: "Dropout forward and backward (train and test)",
        parts: [
            Part("keep probability", points: 1) { t, g in
                let x = randomTensor([50, 40], &g).map { abs($0) + 1 }, p = keepProbability(&g)
                var gd = SeededGenerator(seed: g.next())
                let (_, mask) = try t.dropoutForward(x, p, true, &gd)
                try Check.that(mask.shape == x.shape && mask.scalars.allSatisfy { $0 == 0 || $0 == 1 }, "dropout_forward: the mask must hold only 0s and 1s, shaped like x")
                let kept = mask.scalars.reduce(0, +) / Double(mask.count)
                try Check.that(abs(kept - p) < 0.05, "dropout_forward: p = \(String(format: "%.2f", p)) is the probability of KEEPING a unit, but \(String(format: "%.2f", kept)) were kept")
            },
            Part("train scaling", points: 1) { t, g in
                let x = randomTensor([30, 20], &g).map { abs($0) + 1 }, p = keepProbability(&g)
                var gd = SeededGenerator(seed: g.next())
                let (out, mask) = try t.dropoutForward(x, p, true, &gd)
                try Check.tensor(
                    "dropout_forward (train)", got: out, expected: try x * mask / p, input: "x \(x.shape), p \(String(format: "%.2f", p))",
                    scaleHints: [(p, "inverted dropout divides by p at training time")])
            },
            Part("test mode", points: 1) { t, g in
                let x = randomTensor([4, 5], &g), p = keepProbability(&g)
                var gd = SeededGenerator(seed: g.next())
                let (out, _) = try t.dropoutForward(x, p, false, &gd)
                try Check.tensor(
                    "dropout_forward (test)", got: out, expected: x, input: "test mode, p \(String(format: "%.2f", p))",
                    scaleHints: [(p, "with inverted dropout, test time is the identity (no scaling by p)"), (1 / p, "with inverted dropout, test time is the identity")])
            },
            Part("backward", points: 1) { t, g in
                let x = randomTensor([6, 7], &g), dOut = randomTensor([6, 7], &g), p = keepProbability(&g)
                let mask = x.map { $0 > 0 ? 1 : 0 }
                try Check.tensor(
                    "dropout_backward", got: try t.dropoutBackward(dOut, mask, p), expected: try dOut * mask / p, input: "p \(String(format: "%.2f", p))",
                    scaleHints: [(p, "the backward pass divides by p, as the forward pass did")],
                    mistakes: [Mistake("the gradient flows only through the kept units: multiply by the mask", dOut / p)])
            }
        ]),
    Exercise(
        id: "a3.conv_forward_naive", assignment: 3, title: "Convolution forward (loops)",
        parts: {
            func part(_ name: String, points: Double, stride: Int, pad: ClosedRange<Int>) -> Part {
                Part(name, points: points) { t, g in
                    for _ in 0..<3 {
                        let c = ConvCase(&g, stride: stride, pad: pad)
                        let expected = try c.x.conv2d(c.w, bias: c.b, stride: c.stride, pad: c.pad)
                        try Check.tensor(
                            "conv_forward_naive", got: try t.convForwardNaive(c.x, c.w, c.b, c.stride, c.pad), expected: expected, input: c.input, tolerance: 1e-9,
                            mistakes: [
                                Mistake("the layer computes cross-correlation: don't flip the filter", try c.x.conv2d(flippedFilters(c.w), bias: c.b, stride: c.stride, pad: c.pad)),
                                Mistake("add each filter's bias b[k] to its output map", try c.x.conv2d(c.w, bias: nil, stride: c.stride, pad: c.pad))
                            ])
                    }
                }
            }
            return [
                part("stride 1", points: 1, stride: 1, pad: 0...0),
                part("padding", points: 2, stride: 1, pad: 1...2),
                part("stride 2 with padding", points: 2, stride: 2, pad: 1...2)
            ]
        }()),
    Exercise(
        id: "a3.conv_backward_naive", assignment: 3, title: "Convolution backward (harder)",
        parts: {
            func part(
                _ name: String, _ pick: @escaping ((dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)) -> Tensor<Double>,
                _ expected: @escaping ((out: Tensor<Double>, dOut: Tensor<Double>, dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)) -> Tensor<Double>
            ) -> Part {
                Part(name, points: 2) { t, g in
                    for stride in [1, 2] {
                        // The stride-2 case never has a 1 × 1 filter, so a flipped filter always shows.
                        let c = ConvCase(&g, stride: stride, pad: 0...2, kernels: stride == 1 ? [1, 2, 3, 4, 5] : [2, 3, 4, 5])
                        let ref = try c.reference(&g)
                        let got = try t.convBackwardNaive(ref.dOut, c.x, c.w, c.stride, c.pad)
                        try Check.tensor(
                            "conv_backward_naive \(name)", got: pick(got), expected: expected(ref), input: c.input, tolerance: 1e-9,
                            scaleHints: name == "db" ? [(1 / Double(ref.dOut.count / c.b.count), "db sums dOut over the batch and positions; it is not the mean")] : [])
                    }
                }
            }
            return [part("dx", { $0.dx }, { $0.dx }), part("dw", { $0.dw }, { $0.dw }), part("db", { $0.db }, { $0.db })]
        }()),
    Exercise(
        id: "a3.max_pool", assignment: 3, title: "Max pooling forward and backward",
        parts: [
            Part("forward", points: 2) { t, g in
                for overlapping in [false, true] {
                    let (x, size, stride, input) = poolCase(&g, overlapping: overlapping)
                    let expected = try x.maxPool2d(size: size, stride: stride).output
                    try Check.tensor(
                        "max_pool_forward", got: try t.maxPoolForward(x, size, stride), expected: expected, input: input,
                        mistakes: [Mistake("max pooling takes each window's maximum, not its mean", try x.avgPool2d(size: size, stride: stride))])
                }
            },
            Part("backward", points: 2) { t, g in
                for overlapping in [false, true] {
                    let (x, size, stride, input) = poolCase(&g, overlapping: overlapping)
                    let xv = Variable(x, requiresGrad: true)
                    let out = try xv.maxPool2d(size: size, stride: stride)
                    let dOut = randomTensor(out.shape, &g)
                    try out.backward(dOut)
                    try Check.tensor(
                        "max_pool_backward", got: try t.maxPoolBackward(dOut, x, size, stride), expected: xv.grad!, input: input + (overlapping ? " (windows overlap: add, don't overwrite)" : ""),
                        scaleHints: [(1.0 / Double(size * size), "the gradient goes only to each window's maximum, not spread over the window")])
                }
            }
        ]),
    Exercise(
        id: "a3.mean_subtraction", assignment: 3, title: "Mean image and per-channel mean",
        parts: [
            Part("mean image", points: 1) { t, g in
                let train = randomTensor([randomInt(3...8, &g), 2, 3, 4], &g, scale: 2).map { $0 + 1 }, other = randomTensor([2, 2, 3, 4], &g)
                try Check.tensor(
                    "subtract_mean_image mean", got: try t.subtractMeanImage(train, other).mean, expected: try train.mean(axes: [0]),
                    input: "train \(train.shape), other data \(other.shape)",
                    mistakes: [Mistake("the mean comes from the training data only", try other.mean(axes: [0]))])
            },
            Part("centered", points: 1) { t, g in
                let train = randomTensor([randomInt(3...8, &g), 2, 3, 4], &g, scale: 2).map { $0 + 1 }, other = randomTensor([2, 2, 3, 4], &g)
                let mean = try train.mean(axes: [0])
                try Check.tensor(
                    "subtract_mean_image centered", got: try t.subtractMeanImage(train, other).centered, expected: try other - mean,
                    input: "train \(train.shape), other data \(other.shape)",
                    mistakes: [Mistake("subtract the training mean, not the data's own mean", try other - other.mean(axes: [0]))])
            },
            Part("per channel", points: 1) { t, g in
                let images = randomTensor([randomInt(2...5, &g), 3, 4, 5], &g).map { $0 + 1 }
                try Check.values("per_channel_mean", got: try t.perChannelMean(images), expected: try images.mean(axes: [0, 2, 3]).scalars, input: "images \(images.shape)")
            }
        ]),
    Exercise(
        id: "a3.crop_and_flip", assignment: 3, title: "Random crop and horizontal flip",
        parts: [
            Part("crop", points: 1.5) { t, g in
                let (c, h, w) = (randomInt(1...3, &g), randomInt(5...7, &g), randomInt(8...9, &g))
                let img = randomTensor([c, h, w], &g)
                let pad = randomInt(1...2, &g)
                let offsets = distinctInts(2, in: 0...(2 * pad), &g)
                let (top, left) = (offsets[0], offsets[1])
                var expected = img.map { _ in 0 }
                for ch in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            let sy = y + top - pad, sx = x + left - pad
                            if sy >= 0 && sy < h && sx >= 0 && sx < w { expected.scalars[(ch * h + y) * w + x] = img.scalars[(ch * h + sy) * w + sx] }
                        }
                    }
                }
                try Check.tensor(
                    "random_crop", got: try t.randomCrop(img, pad, top, left), expected: expected,
                    input: "image \(img.shape), padding \(pad), offset (top \(top), left \(left))")
            },
            Part("flip", points: 1.5) { t, g in
                let (c, h, w) = (randomInt(1...3, &g), randomInt(3...5, &g), randomInt(6...8, &g))
                let img = randomTensor([c, h, w], &g)
                var expected = img, vertical = img
                for ch in 0..<c {
                    for y in 0..<h {
                        for x in 0..<w {
                            expected.scalars[(ch * h + y) * w + x] = img.scalars[(ch * h + y) * w + w - 1 - x]
                            vertical.scalars[(ch * h + y) * w + x] = img.scalars[(ch * h + h - 1 - y) * w + x]
                        }
                    }
                }
                try Check.tensor(
                    "horizontal_flip", got: try t.horizontalFlip(img), expected: expected, input: "image \(img.shape)",
                    mistakes: [Mistake("a horizontal flip mirrors columns (left ↔ right), not rows", vertical)])
            }
        ])
]
