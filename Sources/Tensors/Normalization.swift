import Kernels

/// Fused batch and layer normalization (training mode), with shapes checked and explained.
/// The math and conventions are in `BatchNormKernel` and `LayerNormKernel`.
extension Tensor {
    /// Batch normalization with statistics per channel: `self` is `N × C` or `N × C × H × W`,
    /// `scale` and `shift` hold `C` values (any shape, e.g. `[1, C, 1, 1]`). Returns the output
    /// and the batch mean and biased variance in `scale`'s shape.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func batchNormalized(scale: Tensor, shift: Tensor, epsilon: Scalar) throws
        -> (output: Tensor, mean: Tensor, variance: Tensor)
    {
        let l = try batchNormLayout(scale: scale, shift: shift, "batch_norm")
        var y = Self.uninitializedStorage(count)
        var mean = Self.uninitializedStorage(l.channels), variance = Self.uninitializedStorage(l.channels)
        withPointers(scale, shift) { x, s, b in
            y.withUnsafeMutableBufferPointer { y in
                mean.withUnsafeMutableBufferPointer { m in
                    variance.withUnsafeMutableBufferPointer { v in
                        BatchNormKernel.forward(
                            l, x: x, scale: s, shift: b, epsilon: Double(epsilon),
                            y: y.baseAddress!, mean: m.baseAddress!, variance: v.baseAddress!)
                    }
                }
            }
        }
        return (
            Tensor(uncheckedShape: shape, scalars: y), Tensor(uncheckedShape: scale.shape, scalars: mean),
            Tensor(uncheckedShape: scale.shape, scalars: variance)
        )
    }

    /// The gradients of `batchNormalized` given the output's gradient `dy`, from the batch
    /// `mean` and `variance` it returned; `dx` only when `needInput`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func batchNormBackward(
        input x: Tensor, outputGradient dy: Tensor, scale: Tensor, mean: Tensor, variance: Tensor,
        epsilon: Scalar, needInput: Bool = true
    ) throws -> (dx: Tensor?, dScale: Tensor, dShift: Tensor) {
        let l = try x.batchNormLayout(scale: scale, shift: mean, "batch_norm backward")
        guard dy.shape == x.shape, variance.count == l.channels else {
            throw TensorError("batch_norm backward: gradient \(dy.shape) and variance \(variance.shape) do not fit input \(x.shape)")
        }
        var dx = needInput ? uninitializedStorage(x.count) : []
        var dScale = uninitializedStorage(l.channels), dShift = uninitializedStorage(l.channels)
        x.withPointers(dy, scale, mean, variance) { x, dy, s, m, v in
            dx.withUnsafeMutableBufferPointer { dx in
                dScale.withUnsafeMutableBufferPointer { ds in
                    dShift.withUnsafeMutableBufferPointer { db in
                        BatchNormKernel.backward(
                            l, x: x, dy: dy, scale: s, mean: m, variance: v, epsilon: Double(epsilon),
                            dx: needInput ? dx.baseAddress! : nil, dScale: ds.baseAddress!, dShift: db.baseAddress!)
                    }
                }
            }
        }
        return (
            needInput ? Tensor(uncheckedShape: x.shape, scalars: dx) : nil,
            Tensor(uncheckedShape: scale.shape, scalars: dScale), Tensor(uncheckedShape: scale.shape, scalars: dShift)
        )
    }

    /// Layer normalization of each row of an `N × D` input, `scale` and `shift` holding `D`
    /// values. Returns the output and each row's mean and biased variance (`N × 1`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func layerNormalized(scale: Tensor, shift: Tensor, epsilon: Scalar) throws
        -> (output: Tensor, mean: Tensor, variance: Tensor)
    {
        let (rows, d) = try layerNormRows(scale: scale, shift: shift, "layer_norm")
        var y = Self.uninitializedStorage(count)
        var mean = Self.uninitializedStorage(rows), variance = Self.uninitializedStorage(rows)
        withPointers(scale, shift) { x, s, b in
            y.withUnsafeMutableBufferPointer { y in
                mean.withUnsafeMutableBufferPointer { m in
                    variance.withUnsafeMutableBufferPointer { v in
                        LayerNormKernel.forward(
                            rows: rows, features: d, x: x, scale: s, shift: b, epsilon: Double(epsilon),
                            y: y.baseAddress!, mean: m.baseAddress!, variance: v.baseAddress!)
                    }
                }
            }
        }
        return (
            Tensor(uncheckedShape: shape, scalars: y), Tensor(uncheckedShape: [rows, 1], scalars: mean),
            Tensor(uncheckedShape: [rows, 1], scalars: variance)
        )
    }

    /// The gradients of `layerNormalized`, from the row `mean` and `variance` it returned.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func layerNormBackward(
        input x: Tensor, outputGradient dy: Tensor, scale: Tensor, mean: Tensor, variance: Tensor,
        epsilon: Scalar, needInput: Bool = true
    ) throws -> (dx: Tensor?, dScale: Tensor, dShift: Tensor) {
        let (rows, d) = try x.layerNormRows(scale: scale, shift: scale, "layer_norm backward")
        guard dy.shape == x.shape, mean.count == rows, variance.count == rows else {
            throw TensorError("layer_norm backward: gradient \(dy.shape), mean \(mean.shape) and variance \(variance.shape) do not fit input \(x.shape)")
        }
        var dx = needInput ? uninitializedStorage(x.count) : []
        var dScale = uninitializedStorage(d), dShift = uninitializedStorage(d)
        x.withPointers(dy, scale, mean, variance) { x, dy, s, m, v in
            dx.withUnsafeMutableBufferPointer { dx in
                dScale.withUnsafeMutableBufferPointer { ds in
                    dShift.withUnsafeMutableBufferPointer { db in
                        LayerNormKernel.backward(
                            rows: rows, features: d, x: x, dy: dy, scale: s, mean: m, variance: v,
                            epsilon: Double(epsilon), dx: needInput ? dx.baseAddress! : nil,
                            dScale: ds.baseAddress!, dShift: db.baseAddress!)
                    }
                }
            }
        }
        return (
            needInput ? Tensor(uncheckedShape: x.shape, scalars: dx) : nil,
            Tensor(uncheckedShape: scale.shape, scalars: dScale), Tensor(uncheckedShape: scale.shape, scalars: dShift)
        )
    }

    func batchNormLayout(scale: Tensor, shift: Tensor, _ op: String) throws -> NormalizationLayout {
        guard rank == 2 || rank == 4 else {
            throw TensorError("\(op): input must be N × C or N × C × H × W, got shape \(shape)")
        }
        guard scale.count == shape[1], shift.count == shape[1] else {
            throw TensorError("\(op): input has \(shape[1]) channels but scale has \(scale.count) and shift \(shift.count) values")
        }
        guard shape[0] > 0, count > 0 else {
            throw TensorError("\(op): the batch is empty (shape \(shape)); batch statistics need at least one value per channel")
        }
        return NormalizationLayout(outer: shape[0], channels: shape[1], inner: rank == 4 ? shape[2] * shape[3] : 1)
    }

    func layerNormRows(scale: Tensor, shift: Tensor, _ op: String) throws -> (rows: Int, features: Int) {
        guard rank == 2 else { throw TensorError("\(op): input must be N × D, got shape \(shape)") }
        guard scale.count == shape[1], shift.count == shape[1] else {
            throw TensorError("\(op): input has \(shape[1]) features but scale has \(scale.count) and shift \(shift.count) values")
        }
        guard shape[0] > 0, shape[1] > 0 else {
            throw TensorError("\(op): needs at least one row of at least one feature, got shape \(shape)")
        }
        return (shape[0], shape[1])
    }

    /// `body` with the base addresses of `self` and two more tensors.
    func withPointers<R>(
        _ a: Tensor, _ b: Tensor, _ body: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>) -> R
    ) -> R {
        scalars.withUnsafeBufferPointer { p in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in body(p.baseAddress!, pa.baseAddress!, pb.baseAddress!) }
            }
        }
    }

    /// `body` with the base addresses of `self` and four more tensors.
    func withPointers<R>(
        _ a: Tensor, _ b: Tensor, _ c: Tensor, _ d: Tensor,
        _ body: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafePointer<Scalar>) -> R
    ) -> R {
        withPointers(a, b) { p, pa, pb in
            c.withPointers(d, d) { pc, pd, _ in body(p, pa, pb, pc, pd) }
        }
    }
}
