import Autograd
import HomeworkKit
import Random
import Tensors

/// The unrolling `im2col` and its adjoint `col2im`, made from the engine's convolution:
/// convolving with one-hot filters `E[(c·R + r)·S + s, c, r, s] = 1` copies each tap of every
/// receptive field into its own output channel, which is exactly `im2col`'s row; the
/// convolution's input gradient for those filters is then `col2im`.
enum Unrolling {
    static func oneHotFilters(channels c: Int, height r: Int, width s: Int) throws -> Tensor<Double> {
        var e = try Tensor<Double>.zeros([c * r * s, c, r, s])
        for ci in 0..<c { for ri in 0..<r { for si in 0..<s { e.scalars[(((ci * r + ri) * s + si) * c + ci) * r * s + ri * s + si] = 1 } } }
        return e
    }

    static func im2col(_ x: Tensor<Double>, _ r: Int, _ s: Int, stride: Int, pad: Int) throws -> Tensor<Double> {
        let out = try x.conv2d(oneHotFilters(channels: x.shape[1], height: r, width: s), bias: nil, stride: stride, pad: pad)
        return try out.permuted([1, 0, 2, 3]).reshaped([out.shape[1], out.count / out.shape[1]])
    }

    static func col2im(_ columns: Tensor<Double>, shape: [Int], _ r: Int, _ s: Int, stride: Int, pad: Int) throws -> Tensor<Double> {
        let xv = Variable(try Tensor<Double>.zeros(shape), requiresGrad: true)
        let out = try xv.conv2d(Variable(oneHotFilters(channels: shape[1], height: r, width: s)), bias: nil, stride: stride, pad: pad)
        let dOut = try columns.reshaped([out.shape[1], out.shape[0], out.shape[2], out.shape[3]]).permuted([1, 0, 2, 3])
        try out.backward(dOut)
        return xv.grad!
    }
}

let im2colExercises: [Exercise] = [
    Exercise(
        id: "a3.im2col", assignment: 3, title: "im2col, col2im and a convolution as one matrix product",
        parts: [
            Part("im2col", points: 2) { t, g in
                // The second case has padding and at least two channels, so neither a missing
                // padding nor rows in another order than (c, r, s) can go unseen.
                for (stride, pad) in [(1, 0...2), (2, 1...2)] {
                    var c = ConvCase(&g, stride: stride, pad: pad, kernels: [2, 3])
                    while stride == 2 && c.x.shape[1] < 2 { c = ConvCase(&g, stride: stride, pad: pad, kernels: [2, 3]) }
                    let (r, s) = (c.w.shape[2], c.w.shape[3])
                    let expected = try Unrolling.im2col(c.x, r, s, stride: stride, pad: c.pad)
                    let got = try t.im2col(c.x, r, s, stride, c.pad)
                    try Check.tensor(
                        "im2col", got: got, expected: expected, input: c.input + ", filter \(r) × \(s)",
                        mistakes: [Mistake("rows run over (c, r, s) with s fastest and columns over (n, i, j) with j fastest; this looks transposed", try expected.transposed().reshaped(expected.shape))])
                }
            },
            Part("col2im", points: 2) { t, g in
                // Stride 1 with filters of at least 2 × 2: neighbouring windows overlap, so
                // overwriting instead of adding shows.
                for stride in [1, 2] {
                    let c = ConvCase(&g, stride: stride, pad: 0...1, kernels: [2, 3])
                    let (r, s) = (c.w.shape[2], c.w.shape[3])
                    let columnsShape = try Unrolling.im2col(c.x, r, s, stride: stride, pad: c.pad).shape
                    let columns = randomTensor(columnsShape, &g)
                    try Check.tensor(
                        "col2im", got: try t.col2im(columns, c.x.shape, r, s, stride, c.pad),
                        expected: try Unrolling.col2im(columns, shape: c.x.shape, r, s, stride: stride, pad: c.pad),
                        input: "columns \(columnsShape) for " + c.input + ", filter \(r) × \(s)" + (stride == 1 ? " (windows overlap: add, don't overwrite)" : ""))
                }
            },
            Part("conv forward", points: 2) { t, g in
                for stride in [1, 2] {
                    let c = ConvCase(&g, stride: stride, pad: 0...2, kernels: [2, 3, 4])
                    try Check.tensor(
                        "conv_forward_im2col", got: try t.convForwardIm2col(c.x, c.w, c.b, c.stride, c.pad),
                        expected: try c.x.conv2d(c.w, bias: c.b, stride: c.stride, pad: c.pad), input: c.input, tolerance: 1e-9,
                        mistakes: [
                            Mistake("add each filter's bias b[k] to its output map", try c.x.conv2d(c.w, bias: nil, stride: c.stride, pad: c.pad)),
                            Mistake("the layer computes cross-correlation: don't flip the filter", try c.x.conv2d(flippedFilters(c.w), bias: c.b, stride: c.stride, pad: c.pad))
                        ])
                }
            }
        ])
]
