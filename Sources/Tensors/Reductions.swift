extension Tensor {
    /// Views the tensor as `outer × n × inner` around `axis` and reduces the middle axis.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func reduceAxis(
        _ axis: Int, keepDims: Bool, _ op: String,
        _ reduce: (UnsafePointer<Scalar>, Int, Int) -> Scalar
    ) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank, op)
        let n = shape[a]
        let outer = shape[..<a].reduce(1, *), inner = shape[(a + 1)...].reduce(1, *)
        var out = [Scalar](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    out[o * inner + i] = reduce(x.baseAddress! + o * n * inner + i, n, inner)
                }
            }
        }
        var newShape = shape
        if keepDims { newShape[a] = 1 } else { newShape.remove(at: a) }
        return Tensor(uncheckedShape: newShape, scalars: out)
    }

    /// Reduces each axis in `axes` (all axes when nil), largest first.
    func reduceAxes(
        _ axes: [Int]?, keepDims: Bool, _ op: String,
        _ single: (Tensor, Int) throws -> Tensor
    ) throws -> Tensor {
        let list = try (axes ?? Array(0..<rank)).map { try normalizeAxis($0, rank: rank, op) }
        guard Set(list).count == list.count else { throw TensorError("\(op): axis repeated in \(axes ?? [])") }
        var result = self
        for axis in list.sorted(by: >) { result = try single(result, axis) }
        if !keepDims {
            let dropped = Set(list)
            let shape = self.shape.enumerated().filter { !dropped.contains($0.offset) }.map(\.element)
            result = Tensor(uncheckedShape: shape, scalars: result.scalars)
        }
        return result
    }

    /// Sum over `axes` (every axis when nil), accumulated in Double whatever the element type:
    /// a Float32 running sum stops growing at 2²⁴ (16,777,216 + 1 rounds back down).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        if axes == nil && !keepDims { return Tensor(Scalar(scalars.reduce(0.0) { $0 + Double($1) })) }
        return try reduceAxes(axes, keepDims: keepDims, "sum") { t, axis in
            try t.reduceAxis(axis, keepDims: true, "sum") { p, n, step in
                var s = 0.0
                for j in 0..<n { s += Double(p[j * step]) }
                return Scalar(s)
            }
        }
    }

    /// Arithmetic mean over `axes` (every axis when nil).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let total = try sum(axes: axes, keepDims: keepDims)
        let n = Swift.max(1, count / Swift.max(1, total.count))
        return total / Scalar(n)
    }

    /// Population variance (divisor `n`) over `axes`.
    public func variance(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let mu = try mean(axes: axes, keepDims: true)
        let centered = try self - mu
        return try (centered * centered).mean(axes: axes, keepDims: keepDims)
    }

    /// Largest element over `axes`; NaN wins, so a NaN is never hidden.
    public func max(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        guard count > 0 else { throw TensorError("max: the tensor is empty") }
        return try reduceAxes(axes, keepDims: keepDims, "max") { t, axis in
            try t.reduceAxis(axis, keepDims: true, "max") { p, n, step in
                var m = p[0]
                for j in 1..<Swift.max(1, n) where p[j * step] > m || p[j * step].isNaN { m = p[j * step] }
                return m
            }
        }
    }

    /// Smallest element over `axes`.
    public func min(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        try -((-self).max(axes: axes, keepDims: keepDims))
    }

    /// Index of the largest element along `axis` (first on ties), as values of this type.
    public func argmax(axis: Int, keepDims: Bool = false) throws -> Tensor {
        guard count > 0 else { throw TensorError("argmax: the tensor is empty") }
        return try reduceAxis(axis, keepDims: keepDims, "argmax") { p, n, step in
            var best = 0
            for j in 1..<Swift.max(1, n) where p[j * step] > p[best * step] { best = j }
            return Scalar(best)
        }
    }

    /// Index of the largest element of the flattened tensor.
    public func argmax() throws -> Int {
        guard count > 0 else { throw TensorError("argmax: the tensor is empty") }
        var best = 0
        for j in 1..<count where scalars[j] > scalars[best] { best = j }
        return best
    }
}
