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
