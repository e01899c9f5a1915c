import HomeworkKit
import Random
import Tensors

// Assignment 3: ConvNets and regularization. Index images as
// `scalars[((n * C + c) * H + y) * W + x]`.

extension Submission {
    public static func dropoutForward(x: Tensor<Double>, p: Double, train: Bool, generator: inout SeededGenerator) throws -> (out: Tensor<Double>, mask: Tensor<Double>) {
        // BEGIN SOLUTION
        guard train else { return (x, x.map { _ in 1 }) }
        let mask = x.map { _ in generator.nextUniform() < p ? 1 : 0 }
        return (try x * mask / p, mask)
        // END SOLUTION
    }

    public static func dropoutBackward(dOut: Tensor<Double>, mask: Tensor<Double>, p: Double) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        return try dOut * mask / p
        // END SOLUTION
    }

    public static func convForwardNaive(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, stride: Int, pad: Int) throws -> Tensor<Double> {
        // Hint: output size P = (H + 2·pad − R) / stride + 1; skip taps that fall in the padding.
        // BEGIN SOLUTION
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (k, r, s) = (w.shape[0], w.shape[2], w.shape[3])
        let p = (h + 2 * pad - r) / stride + 1, q = (wd + 2 * pad - s) / stride + 1
        var out = [Double](repeating: 0, count: n * k * p * q)
        for ni in 0..<n {
            for ki in 0..<k {
                for i in 0..<p {
                    for j in 0..<q {
                        var acc = b.scalars[ki]
                        for ci in 0..<c {
                            for ri in 0..<r {
                                for si in 0..<s {
                                    let y = i * stride + ri - pad, xx = j * stride + si - pad
                                    if y >= 0 && y < h && xx >= 0 && xx < wd {
                                        acc += x.scalars[((ni * c + ci) * h + y) * wd + xx] * w.scalars[((ki * c + ci) * r + ri) * s + si]
                                    }
                                }
                            }
                        }
                        out[((ni * k + ki) * p + i) * q + j] = acc
                    }
                }
            }
        }
        return try Tensor(shape: [n, k, p, q], scalars: out)
        // END SOLUTION
    }

    public static func convBackwardNaive(dOut: Tensor<Double>, x: Tensor<Double>, w: Tensor<Double>, stride: Int, pad: Int) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>) {
        // Hint: run the forward loops again; wherever the forward pass added x·w to out, add
        // dOut·w to dx and dOut·x to dw.
        // BEGIN SOLUTION
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (k, r, s) = (w.shape[0], w.shape[2], w.shape[3])
        let p = dOut.shape[2], q = dOut.shape[3]
        var dx = [Double](repeating: 0, count: x.count), dw = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: k)
        for ni in 0..<n {
            for ki in 0..<k {
                for i in 0..<p {
                    for j in 0..<q {
                        let g = dOut.scalars[((ni * k + ki) * p + i) * q + j]
                        db[ki] += g
                        for ci in 0..<c {
                            for ri in 0..<r {
                                for si in 0..<s {
                                    let y = i * stride + ri - pad, xx = j * stride + si - pad
                                    if y >= 0 && y < h && xx >= 0 && xx < wd {
                                        let xi = ((ni * c + ci) * h + y) * wd + xx, wi = ((ki * c + ci) * r + ri) * s + si
                                        dx[xi] += g * w.scalars[wi]
                                        dw[wi] += g * x.scalars[xi]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (try Tensor(shape: x.shape, scalars: dx), try Tensor(shape: w.shape, scalars: dw), Tensor(db))
        // END SOLUTION
    }

    public static func maxPoolForward(x: Tensor<Double>, size: Int, stride: Int) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let p = (h - size) / stride + 1, q = (wd - size) / stride + 1
        var out = [Double](repeating: 0, count: n * c * p * q)
        for plane in 0..<(n * c) {
            for i in 0..<p {
                for j in 0..<q {
                    var m = -Double.infinity
                    for a in 0..<size { for b in 0..<size { m = max(m, x.scalars[(plane * h + i * stride + a) * wd + j * stride + b]) } }
                    out[(plane * p + i) * q + j] = m
                }
            }
        }
        return try Tensor(shape: [n, c, p, q], scalars: out)
        // END SOLUTION
    }

    public static func maxPoolBackward(dOut: Tensor<Double>, x: Tensor<Double>, size: Int, stride: Int) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let p = dOut.shape[2], q = dOut.shape[3]
        var dx = [Double](repeating: 0, count: x.count)
        for plane in 0..<(n * c) {
            for i in 0..<p {
                for j in 0..<q {
                    var best = (plane * h + i * stride) * wd + j * stride
                    for a in 0..<size {
                        for b in 0..<size {
                            let idx = (plane * h + i * stride + a) * wd + j * stride + b
                            if x.scalars[idx] > x.scalars[best] { best = idx }
                        }
                    }
                    dx[best] += dOut.scalars[(plane * p + i) * q + j]
                }
            }
        }
        return try Tensor(shape: x.shape, scalars: dx)
        // END SOLUTION
    }

    public static func subtractMeanImage(train: Tensor<Double>, data: Tensor<Double>) throws -> (mean: Tensor<Double>, centered: Tensor<Double>) {
        // BEGIN SOLUTION
        let mean = try train.mean(axes: [0])
        return (mean, try data - mean)
        // END SOLUTION
    }

    public static func perChannelMean(images: Tensor<Double>) throws -> [Double] {
        // BEGIN SOLUTION
        return try images.mean(axes: [0, 2, 3]).scalars
        // END SOLUTION
    }

    public static func randomCrop(image: Tensor<Double>, padding: Int, top: Int, left: Int) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        var out = [Double](repeating: 0, count: image.count)
        for ch in 0..<c {
            for y in 0..<h {
                for x in 0..<w {
                    let sy = y + top - padding, sx = x + left - padding
                    if sy >= 0 && sy < h && sx >= 0 && sx < w { out[(ch * h + y) * w + x] = image.scalars[(ch * h + sy) * w + sx] }
                }
            }
        }
        return try Tensor(shape: image.shape, scalars: out)
        // END SOLUTION
    }

    public static func horizontalFlip(image: Tensor<Double>) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        let (c, h, w) = (image.shape[0], image.shape[1], image.shape[2])
        var out = image.scalars
        for ch in 0..<c { for y in 0..<h { for x in 0..<w { out[(ch * h + y) * w + x] = image.scalars[(ch * h + y) * w + (w - 1 - x)] } } }
        return try Tensor(shape: image.shape, scalars: out)
        // END SOLUTION
    }

    public static func im2col(x: Tensor<Double>, filterHeight: Int, filterWidth: Int, stride: Int, pad: Int) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (r, s) = (filterHeight, filterWidth)
        let p = (h + 2 * pad - r) / stride + 1, q = (w + 2 * pad - s) / stride + 1
        let columns = n * p * q
        var out = [Double](repeating: 0, count: c * r * s * columns)
        for ci in 0..<c {
            for ri in 0..<r {
                for si in 0..<s {
                    let row = (ci * r + ri) * s + si
                    for ni in 0..<n {
                        for i in 0..<p {
                            for j in 0..<q {
                                let y = i * stride + ri - pad, xx = j * stride + si - pad
                                if y >= 0 && y < h && xx >= 0 && xx < w {
                                    out[row * columns + (ni * p + i) * q + j] = x.scalars[((ni * c + ci) * h + y) * w + xx]
                                }
                            }
                        }
                    }
                }
            }
        }
        return try Tensor(shape: [c * r * s, columns], scalars: out)
        // END SOLUTION
    }

    public static func col2im(columns: Tensor<Double>, inputShape: [Int], filterHeight: Int, filterWidth: Int, stride: Int, pad: Int) throws -> Tensor<Double> {
        // Hint: the same loops as im2col, with the assignment turned around into a sum.
        // BEGIN SOLUTION
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (r, s) = (filterHeight, filterWidth)
        let p = (h + 2 * pad - r) / stride + 1, q = (w + 2 * pad - s) / stride + 1
        let count = n * p * q
        var out = [Double](repeating: 0, count: n * c * h * w)
        for ci in 0..<c {
            for ri in 0..<r {
                for si in 0..<s {
                    let row = (ci * r + ri) * s + si
                    for ni in 0..<n {
                        for i in 0..<p {
                            for j in 0..<q {
                                let y = i * stride + ri - pad, xx = j * stride + si - pad
                                if y >= 0 && y < h && xx >= 0 && xx < w {
                                    out[((ni * c + ci) * h + y) * w + xx] += columns.scalars[row * count + (ni * p + i) * q + j]
                                }
                            }
                        }
                    }
                }
            }
        }
        return try Tensor(shape: inputShape, scalars: out)
        // END SOLUTION
    }

    public static func convForwardIm2col(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, stride: Int, pad: Int) throws -> Tensor<Double> {
        // Hint: w.reshaped([K, C·R·S]).matmul(columns) is [K, N·P·Q]; permuted([1, 0, 2, 3]) swaps the first two axes.
        // BEGIN SOLUTION
        let (n, h, wd) = (x.shape[0], x.shape[2], x.shape[3])
        let (k, c, r, s) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        let p = (h + 2 * pad - r) / stride + 1, q = (wd + 2 * pad - s) / stride + 1
        let columns = try im2col(x: x, filterHeight: r, filterWidth: s, stride: stride, pad: pad)
        let out = try w.reshaped([k, c * r * s]).matmul(columns) + b.reshaped([k, 1])
        return try out.reshaped([k, n, p, q]).permuted([1, 0, 2, 3])
        // END SOLUTION
    }
}
