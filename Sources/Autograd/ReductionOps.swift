import Tensors

/// Reductions: the gradient of each output entry is spread back over the entries it summarized.
extension Variable {
    /// `Σ x` over `axes` (all when nil): `∂ = g` broadcast back.
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Variable {
        let shape = self.shape
        let kept = try value.sum(axes: axes, keepDims: true).shape
        return Variable(try value.sum(axes: axes, keepDims: keepDims), op: "sum", parents: [self]) { g in
            [try g.reshaped(kept).broadcast(to: shape)]
        }
    }

    /// `Σ x²` over every entry, one node: `∂ = 2·g·x`, each `g·x` doubled exactly, so the
    /// bits match `(x * x).sum()` composed (products in the element type, the running sum in
    /// Double) with one pass over `x` each way instead of four.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func squaredNorm() -> Variable {
        let x = value
        var total = 0.0
        x.scalars.withUnsafeBufferPointer { p in
            for v in p { total += Double(v * v) }
        }
        return Variable(Tensor(Scalar(total)), op: "squared_norm", parents: [self]) { g in
            let scale = g.scalars[0]
            return [
                x.map { v in
                    let half = scale * v
                    return half + half
                }
            ]
        }
    }

    /// Mean over `axes`: the sum scaled by `1/n`.
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Variable {
        let total = try sum(axes: axes, keepDims: keepDims)
        let n = value.count / Swift.max(1, total.value.count)
        return total / Scalar(n)
    }

    /// Population variance over `axes`, composed from mean and products.
    public func variance(axes: [Int]? = nil, keepDims: Bool = false) throws -> Variable {
        let centered = try self - mean(axes: axes, keepDims: true)
        return try (centered * centered).mean(axes: axes, keepDims: keepDims)
    }

    /// Maximum over `axes`: `∂` flows to the winning entries (split evenly between ties).
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws -> Variable {
        let x = value
        let m = try x.max(axes: axes, keepDims: true)
        let winners = try x.equal(m)
        KinkRecorder.note(KinkRecorder.fingerprint(winners.scalars))
        let ties = try winners.sum(axes: axes, keepDims: true)
        return Variable(try x.max(axes: axes, keepDims: keepDims), op: "max", parents: [self]) { g in
            [try winners * (g.reshaped(m.shape) / ties)]
        }
    }
}
