import Autograd
import Foundation
import HomeworkKit
import Kernels
import Tensors

let convExercises: [Exercise] = {
    func convCase(_ g: inout SeededGenerator) -> (x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, stride: Int, pad: Int, input: String) {
        let (n, c, k) = (randomInt(1...3, &g), randomInt(1...3, &g), randomInt(1...4, &g))
        let r = [1, 3, 3, 5][randomInt(0...3, &g)]
        let h = randomInt(r...8, &g), w = randomInt(r...8, &g)
        let stride = randomInt(1...2, &g), pad = randomInt(0...(r / 2), &g)
        return (randomTensor([n, c, h, w], &g), randomTensor([k, c, r, r], &g), randomTensor([k], &g), stride, pad,
                "x [\(n), \(c), \(h), \(w)], w [\(k), \(c), \(r), \(r)], stride \(stride), pad \(pad)")
    }
    func poolCase(_ g: inout SeededGenerator) -> (Tensor<Double>, Int, Int, String) {
        let size = randomInt(2...3, &g), stride = randomInt(1...size, &g)
        let x = randomTensor([randomInt(1...2, &g), randomInt(1...3, &g), randomInt(size...7, &g), randomInt(size...7, &g)], &g)
        return (x, size, stride, "x \(x.shape), size \(size), stride \(stride)")
    }
    return [
        Exercise(id: "a3.dropout", assignment: 3, title: "Dropout forward and backward (train and test)", points: 4, checks: [
            { t, g in
                let x = randomTensor([50, 40], &g).map { abs($0) + 1 }
                let p = 0.3 + 0.5 * g.nextUniform()
                var gd = SeededGenerator(seed: 9)
                let (out, mask) = try t.dropoutForward(x, p, true, &gd)
                try Check.that(mask.shape == x.shape && mask.scalars.allSatisfy { $0 == 0 || $0 == 1 }, "dropout_forward: the mask must hold only 0s and 1s, shaped like x")
                let kept = mask.scalars.reduce(0, +) / Double(mask.count)
                try Check.that(abs(kept - p) < 0.05, "dropout_forward: p = \(String(format: "%.2f", p)) is the probability of KEEPING a unit, but \(String(format: "%.2f", kept)) were kept")
                try Check.tensor("dropout_forward (train)", got: out, expected: try x * mask / p, input: "p \(String(format: "%.2f", p))",
                                 scaleHints: [(p, "inverted dropout divides by p at training time")])
                let ratio = out.scalars.reduce(0, +) / x.scalars.reduce(0, +)
                try Check.that(abs(ratio - 1) < 0.1, "dropout_forward: the expected value must be preserved (E[out] = x), got a ratio of \(ratio)")
            },
            { t, g in
                let x = randomTensor([4, 5], &g)
                var gd = SeededGenerator(seed: 1)
                let (out, _) = try t.dropoutForward(x, 0.5, false, &gd)
                try Check.tensor("dropout_forward (test)", got: out, expected: x, input: "test mode",
                                 scaleHints: [(0.5, "with inverted dropout, test time is the identity (no scaling by p)")])
            },
            { t, g in
                let x = randomTensor([6, 7], &g), dOut = randomTensor([6, 7], &g)
                let mask = x.map { $0 > 0 ? 1 : 0 }
                try Check.tensor("dropout_backward", got: try t.dropoutBackward(dOut, mask, 0.6), expected: try dOut * mask / 0.6, input: "p 0.6")
            },
        ]),
        Exercise(id: "a3.conv_forward_naive", assignment: 3, title: "Convolution forward (loops)", points: 5, checks: [{ t, g in
            for _ in 0..<3 {
                let c = convCase(&g)
                let expected = try c.x.conv2d(c.w, bias: c.b, stride: c.stride, pad: c.pad)
                try Check.tensor("conv_forward_naive", got: try t.convForwardNaive(c.x, c.w, c.b, c.stride, c.pad), expected: expected, input: c.input, tolerance: 1e-9)
            }
        }]),
        Exercise(id: "a3.conv_backward_naive", assignment: 3, title: "Convolution backward (harder)", points: 6, checks: [{ t, g in
            for _ in 0..<2 {
                let c = convCase(&g)
                let xv = Variable(c.x, requiresGrad: true), wv = Variable(c.w, requiresGrad: true), bv = Variable(c.b, requiresGrad: true)
                let out = try xv.conv2d(wv, bias: bv, stride: c.stride, pad: c.pad)
                let dOut = randomTensor(out.shape, &g)
                try out.backward(dOut)
                let got = try t.convBackwardNaive(dOut, c.x, c.w, c.stride, c.pad)
                try Check.tensor("conv_backward_naive dx", got: got.dx, expected: xv.grad!, input: c.input, tolerance: 1e-9)
                try Check.tensor("conv_backward_naive dw", got: got.dw, expected: wv.grad!, input: c.input, tolerance: 1e-9)
                try Check.tensor("conv_backward_naive db", got: got.db, expected: bv.grad!, input: c.input, tolerance: 1e-9)
            }
        }]),
        Exercise(id: "a3.max_pool", assignment: 3, title: "Max pooling forward and backward", points: 4, checks: [
            { t, g in
                let (x, size, stride, input) = poolCase(&g)
                let expected = try x.maxPool2d(size: size, stride: stride).output
                try Check.tensor("max_pool_forward", got: try t.maxPoolForward(x, size, stride), expected: expected, input: input)
            },
            { t, g in
                let (x, size, stride, input) = poolCase(&g)
                let xv = Variable(x, requiresGrad: true)
                let out = try xv.maxPool2d(size: size, stride: stride)
                let dOut = randomTensor(out.shape, &g)
                try out.backward(dOut)
                try Check.tensor("max_pool_backward", got: try t.maxPoolBackward(dOut, x, size, stride), expected: xv.grad!, input: input,
                                 scaleHints: [(1.0 / Double(size * size), "the gradient goes only to each window's maximum, not spread over the window")])
            },
        ]),
        Exercise(id: "a3.mean_subtraction", assignment: 3, title: "Mean image and per-channel mean", points: 3, checks: [
            { t, g in
                let train = randomTensor([randomInt(3...8, &g), 2, 3, 3], &g), other = randomTensor([2, 2, 3, 3], &g)
                let got = try t.subtractMeanImage(train, other)
                let mean = try train.mean(axes: [0])
                try Check.tensor("subtract_mean_image mean", got: got.mean, expected: mean, input: "train \(train.shape)")
                try Check.tensor("subtract_mean_image centered", got: got.centered, expected: try other - mean, input: "other data",
                                 scaleHints: [])
            },
            { t, g in
                let images = randomTensor([randomInt(2...5, &g), 3, 4, 4], &g)
                try Check.values("per_channel_mean", got: try t.perChannelMean(images), expected: try images.mean(axes: [0, 2, 3]).scalars, input: "images \(images.shape)")
            },
        ]),
        Exercise(id: "a3.crop_and_flip", assignment: 3, title: "Random crop and horizontal flip", points: 3, checks: [
            { t, g in
                let img = randomTensor([3, 6, 5], &g)
                let pad = randomInt(1...2, &g), top = randomInt(0...(2 * pad), &g), left = randomInt(0...(2 * pad), &g)
                var expected = img.map { _ in 0 }
                for c in 0..<3 { for y in 0..<6 { for x in 0..<5 {
                    let sy = y + top - pad, sx = x + left - pad
                    if sy >= 0 && sy < 6 && sx >= 0 && sx < 5 { expected.scalars[(c * 6 + y) * 5 + x] = img.scalars[(c * 6 + sy) * 5 + sx] }
                }}}
                try Check.tensor("random_crop", got: try t.randomCrop(img, pad, top, left), expected: expected, input: "padding \(pad), offset (\(top), \(left))")
            },
            { t, g in
                let img = randomTensor([2, 3, 4], &g)
                let flipped = try t.horizontalFlip(img)
                var expected = img
                for c in 0..<2 { for y in 0..<3 { for x in 0..<4 { expected.scalars[(c * 3 + y) * 4 + x] = img.scalars[(c * 3 + y) * 4 + 3 - x] } } }
                try Check.tensor("horizontal_flip", got: flipped, expected: expected, input: "image \(img.shape) (mirror columns, not rows)")
            },
        ]),
    ]
}()
