import Kernels
import Tensors

/// Elementwise functions and their derivatives.
extension Variable {
    /// `eˣ`: `∂ = g · eˣ`.
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(y, op: "exp", parents: [self]) { g in [try g * y] }
    }

    /// `ln x`: `∂ = g / x`.
    public func log() -> Variable {
        let x = value
        return Variable(x.log(), op: "log", parents: [self]) { g in [try g / x] }
    }

    /// `√x`: `∂ = g / (2√x)`.
    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable(y, op: "sqrt", parents: [self]) { g in [try g / (y * 2)] }
    }

    /// `tanh x`: `∂ = g · (1 − tanh² x)`.
    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(y, op: "tanh", parents: [self]) { g in [try g * (1 - y * y)] }
    }

    /// `σ(x) = 1 / (1 + e⁻ˣ)`: `∂ = g · σ(1 − σ)`.
    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(y, op: "sigmoid", parents: [self]) { g in [try g * (y * (1 - y))] }
    }

    /// `max(0, x)`, as PyTorch's: 0 for every `x ≤ 0` (−∞ included), NaN kept; `∂ = g` where
    /// `x > 0`, else 0 (whatever `g`).
    public func relu() -> Variable { leakyRelu(slope: 0) }

    /// `x` for `x > 0`, `slope · x` otherwise: `∂ = g · (x > 0 ? 1 : slope)`. With slope 0 this
    /// is `relu`: exactly 0 where `x ≤ 0` (so `relu(−∞)` is 0, not `0 · −∞`), NaN kept.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func leakyRelu(slope: Scalar = 0.01) -> Variable {
        let x = value
        KinkRecorder.note(KinkRecorder.fingerprint(x.scalars.lazy.map { $0 > 0 }))
        let y = leakyReluForward(x, slope)
        return Variable(y, op: slope == 0 ? "relu" : "leaky_relu", parents: [self]) { g in
            [leakyReluBackward(g, x, slope)]
        }
    }

    /// `|x|`: `∂ = g · sign(x)` (0 at 0).
    public func abs() -> Variable {
        let x = value
        KinkRecorder.note(KinkRecorder.fingerprint(x.scalars.lazy.map { $0.sign == .minus }))
        return Variable(x.abs(), op: "abs", parents: [self]) { g in
            [try g * x.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }]
        }
    }

    /// `x` limited to `[low, high]`: `∂ = g` inside, 0 where clipped.
    public func clip(_ low: Scalar, _ high: Scalar) -> Variable {
        let x = value
        KinkRecorder.note(KinkRecorder.fingerprint(x.scalars.lazy.map { $0 < low ? 0 : ($0 > high ? 2 : 1) }))
        return Variable(x.clip(low, high), op: "clip", parents: [self]) { g in
            [try g * x.map { $0 >= low && $0 <= high ? 1 : 0 }]
        }
    }
}

/// `g · (x > 0 ? 1 : slope)` in one pass over contiguous buffers; exactly 0 where `x ≤ 0` for
/// slope 0.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func leakyReluBackward<Scalar: TensorScalar>(_ g: Tensor<Scalar>, _ x: Tensor<Scalar>, _ slope: Scalar) -> Tensor<Scalar> {
    // One pass into a fresh array (no copy of g first), with a select rather than a branch:
    // the signs are random, so a branch would mispredict.
    let d = [Scalar](unsafeUninitializedCapacity: g.count) { out, n in
        g.scalars.withUnsafeBufferPointer { gp in
            x.scalars.withUnsafeBufferPointer { xp in
                guard let o = out.baseAddress, let gb = gp.baseAddress, let xb = xp.baseAddress else { return }
                let shared = UncheckedSendable((o, gb, xb))
                Parallel.forEachChunk(gp.count) { chunk in
                    let (out, gp, xp) = shared.value
                    if slope == 0 {
                        for i in chunk { out[i] = xp[i] > 0 ? gp[i] : 0 }
                    } else {
                        for i in chunk { out[i] = xp[i] > 0 ? gp[i] : slope * gp[i] }
                    }
                }
            }
        }
        n = g.count
    }
    return (try? Tensor(shape: g.shape, scalars: d))!
}

/// `x > 0 ? x : slope · x` (NaN kept; exactly 0 for slope 0), branch-free.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func leakyReluForward<Scalar: TensorScalar>(_ x: Tensor<Scalar>, _ slope: Scalar) -> Tensor<Scalar> {
    let y = [Scalar](unsafeUninitializedCapacity: x.count) { out, n in
        x.scalars.withUnsafeBufferPointer { xp in
            guard let o = out.baseAddress, let xb = xp.baseAddress else { return }
            let shared = UncheckedSendable((o, xb))
            Parallel.forEachChunk(xp.count) { chunk in
                let (out, xp) = shared.value
                // `x ≤ 0` is false for NaN, which is kept.
                if slope == 0 {
                    for i in chunk { out[i] = xp[i] <= 0 ? 0 : xp[i] }
                } else {
                    for i in chunk { out[i] = xp[i] > 0 ? xp[i] : slope * xp[i] }
                }
            }
        }
        n = x.count
    }
    return (try? Tensor(shape: x.shape, scalars: y))!
}
