import Kernels

/// Conv2d and pooling on NCHW tensors, with shapes checked and explained.
extension Tensor {
    /// The largest stride, pad, dilation or pooling window accepted (2²⁰), so the geometry's
    /// sums and products cannot overflow.
    public static var largestWindowSetting: Int { 1 << 20 }

    /// The geometry of `conv2d(self, weight)`, or an error that names the mismatch.
    public func convGeometry(weight: Tensor, stride: Int, pad: Int, dilation: Int = 1) throws -> ConvGeometry {
        guard rank == 4 else {
            throw TensorError("conv2d: input must be N × C × H × W, got shape \(shape)")
        }
        guard weight.rank == 4 else {
            throw TensorError("conv2d: weight must be K × C × R × S, got shape \(weight.shape)")
        }
        guard shape[1] == weight.shape[1] else {
            throw TensorError("conv2d: input has \(shape[1]) channels but the weight expects \(weight.shape[1]) (weight shape \(weight.shape))")
        }
        guard stride <= Self.largestWindowSetting, pad <= Self.largestWindowSetting, dilation <= Self.largestWindowSetting else {
            throw TensorError("conv2d: stride, pad and dilation must be at most \(Self.largestWindowSetting) (stride \(stride), pad \(pad), dilation \(dilation))")
        }
        let g = ConvGeometry(
            n: shape[0], c: shape[1], h: shape[2], w: shape[3],
            k: weight.shape[0], r: weight.shape[2], s: weight.shape[3],
            stride: stride, pad: pad, dilation: dilation)
        guard stride > 0, pad >= 0, dilation > 0 else {
            throw TensorError("conv2d: stride and dilation must be ≥ 1 and pad ≥ 0 (stride \(stride), pad \(pad), dilation \(dilation))")
        }
        guard shape.allSatisfy({ $0 > 0 }), weight.shape.allSatisfy({ $0 > 0 }) else {
            throw TensorError("conv2d: every size must be at least 1; input \(shape), weight \(weight.shape)")
        }
        guard g.isValid else {
            throw TensorError("conv2d: a \(g.r)×\(g.s) window does not fit a \(g.h)×\(g.w) input with pad \(pad)")
        }
        _ = try SizeBudget.elements([g.n, g.k, g.p, g.q], "conv2d output")
        _ = try SizeBudget.elements([g.n, g.c, g.h + 2 * pad, g.w + 2 * pad], "conv2d padded input")
        return g
    }

    /// 2-D convolution (cross-correlation, as in every deep-learning library) of an
    /// `N × C × H × W` input with `K × C × R × S` filters plus an optional bias of `K`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func conv2d(
        _ weight: Tensor, bias: Tensor? = nil, stride: Int = 1, pad: Int = 0,
        dilation: Int = 1
    ) throws -> Tensor {
        let g = try convGeometry(weight: weight, stride: stride, pad: pad, dilation: dilation)
        if let bias, bias.shape != [g.k] {
            throw TensorError("conv2d: bias must have shape [\(g.k)], got \(bias.shape)")
        }
        // Conv2dKernel.forward overwrites every output, so the array need not be zeroed first.
        var y = [Scalar](unsafeUninitializedCapacity: g.n * g.k * g.p * g.q) { _, n in n = g.n * g.k * g.p * g.q }
        scalars.withUnsafeBufferPointer { x in
            weight.scalars.withUnsafeBufferPointer { w in
                y.withUnsafeMutableBufferPointer { y in
                    if let bias {
                        bias.scalars.withUnsafeBufferPointer { b in
                            Conv2dKernel.forward(g, x: x.baseAddress!, weight: w.baseAddress!, bias: b.baseAddress!, y: y.baseAddress!)
                        }
                    } else {
                        Conv2dKernel.forward(g, x: x.baseAddress!, weight: w.baseAddress!, bias: nil, y: y.baseAddress!)
                    }
                }
            }
        }
        return Tensor(uncheckedShape: [g.n, g.k, g.p, g.q], scalars: y)
    }

    /// Gradients of `conv2d` with respect to input, weight and bias given the output's `dy`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func conv2dBackward(
        input: Tensor, weight: Tensor, outputGradient dy: Tensor, stride: Int, pad: Int,
        dilation: Int = 1, needInput: Bool = true
    ) throws -> (dx: Tensor?, dWeight: Tensor, dBias: Tensor) {
        let g = try input.convGeometry(weight: weight, stride: stride, pad: pad, dilation: dilation)
        guard dy.shape == [g.n, g.k, g.p, g.q] else {
            throw TensorError("conv2d backward: gradient shape \(dy.shape) differs from output [\(g.n), \(g.k), \(g.p), \(g.q)]")
        }
        // Conv2dKernel.backward overwrites each gradient it computes; no need to zero them first.
        func uninitialized(_ count: Int) -> [Scalar] { [Scalar](unsafeUninitializedCapacity: count) { _, n in n = count } }
        var dx = needInput ? uninitialized(input.count) : []
        var dw = uninitialized(weight.count)
        var db = uninitialized(g.k)
        input.scalars.withUnsafeBufferPointer { x in
            weight.scalars.withUnsafeBufferPointer { w in
                dy.scalars.withUnsafeBufferPointer { d in
                    dx.withUnsafeMutableBufferPointer { dx in
                        dw.withUnsafeMutableBufferPointer { dw in
                            db.withUnsafeMutableBufferPointer { db in
                                Conv2dKernel.backward(
                                    g, x: x.baseAddress!, weight: w.baseAddress!, dy: d.baseAddress!,
                                    dx: needInput ? dx.baseAddress! : nil,
                                    dWeight: dw.baseAddress!, dBias: db.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        return (
            needInput ? Tensor(uncheckedShape: input.shape, scalars: dx) : nil,
            Tensor(uncheckedShape: weight.shape, scalars: dw),
            Tensor(uncheckedShape: [g.k], scalars: db)
        )
    }

    func poolGeometry(_ op: String, size: Int, stride: Int?, pad: Int) throws -> PoolGeometry {
        guard rank == 4 else { throw TensorError("\(op): input must be N × C × H × W, got shape \(shape)") }
        guard size <= Self.largestWindowSetting, (stride ?? 0) <= Self.largestWindowSetting, pad <= Self.largestWindowSetting else {
            throw TensorError("\(op): size, stride and pad must be at most \(Self.largestWindowSetting)")
        }
        let g = PoolGeometry(
            n: shape[0], c: shape[1], h: shape[2], w: shape[3], r: size, s: size,
            stride: stride ?? size, pad: pad)
        guard size > 0, g.stride > 0, pad >= 0 else {
            throw TensorError("\(op): size and stride must be ≥ 1 and pad ≥ 0 (size \(size), stride \(g.stride), pad \(pad))")
        }
        guard shape.allSatisfy({ $0 > 0 }) else {
            throw TensorError("\(op): every size of the input must be at least 1, got shape \(shape)")
        }
        guard g.isValid else {
            throw TensorError("\(op): a \(size)×\(size) window with stride \(g.stride) and pad \(pad) does not fit a \(g.h)×\(g.w) input (pad must be at most half the window)")
        }
        _ = try SizeBudget.elements([g.n, g.c, g.p, g.q], "\(op) output")
        return g
    }

    /// Max pooling with a `size × size` window; also returns each output's winning position
    /// within its plane, which `maxPool2dBackward` needs. With `rectified`, pools `relu(self)`
    /// without building it (the same bits; `maxPool2dBackward` then takes `rectifiedInput`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func maxPool2d(size: Int = 2, stride: Int? = nil, pad: Int = 0, rectified: Bool = false) throws -> (output: Tensor, argmax: [Int32]) {
        let g = try poolGeometry("max_pool2d", size: size, stride: stride, pad: pad)
        // The pooling kernels write every output (and zero dx themselves), so no fills here.
        var y = Tensor<Scalar>.uninitializedStorage(g.n * g.c * g.p * g.q)
        var idx = [Int32](unsafeUninitializedCapacity: y.count) { _, n in n = y.count }
        Pooling.maxForward(g, x: scalars, y: &y, argmax: &idx, rectified: rectified)
        return (Tensor(uncheckedShape: [g.n, g.c, g.p, g.q], scalars: y), idx)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxPool2dBackward(
        inputShape: [Int], argmax: [Int32], outputGradient dy: Tensor,
        size: Int, stride: Int?, pad: Int, rectifiedInput: Tensor? = nil
    ) throws -> Tensor {
        let g = try poolGeometry(inputShape, size: size, stride: stride, pad: pad)
        if let x = rectifiedInput, x.shape != inputShape {
            throw TensorError("max_pool2d backward: input shape \(x.shape) differs from \(inputShape)")
        }
        var dx = Tensor<Scalar>.uninitializedStorage(inputShape.reduce(1, *))
        if let x = rectifiedInput {
            x.scalars.withUnsafeBufferPointer { x in
                Pooling.maxBackward(g, dy: dy.scalars, argmax: argmax, dx: &dx, rectifiedInput: x.baseAddress)
            }
        } else {
            Pooling.maxBackward(g, dy: dy.scalars, argmax: argmax, dx: &dx)
        }
        return Tensor(uncheckedShape: inputShape, scalars: dx)
    }

    /// Average pooling with a `size × size` window.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func avgPool2d(size: Int = 2, stride: Int? = nil, pad: Int = 0) throws -> Tensor {
        let g = try poolGeometry("avg_pool2d", size: size, stride: stride, pad: pad)
        var y = Tensor<Scalar>.uninitializedStorage(g.n * g.c * g.p * g.q)
        Pooling.averageForward(g, x: scalars, y: &y)
        return Tensor(uncheckedShape: [g.n, g.c, g.p, g.q], scalars: y)
    }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func avgPool2dBackward(
        inputShape: [Int], outputGradient dy: Tensor,
        size: Int, stride: Int?, pad: Int
    ) throws -> Tensor {
        let g = try poolGeometry(inputShape, size: size, stride: stride, pad: pad)
        var dx = Tensor<Scalar>.uninitializedStorage(inputShape.reduce(1, *))
        Pooling.averageBackward(g, dy: dy.scalars, dx: &dx)
        return Tensor(uncheckedShape: inputShape, scalars: dx)
    }

    private static func poolGeometry(_ shape: [Int], size: Int, stride: Int?, pad: Int) throws -> PoolGeometry {
        guard shape.count == 4 else { throw TensorError("pool backward: input shape \(shape) is not N × C × H × W") }
        return PoolGeometry(
            n: shape[0], c: shape[1], h: shape[2], w: shape[3], r: size, s: size,
            stride: stride ?? size, pad: pad)
    }
}
