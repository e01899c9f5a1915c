/// NumPy broadcasting: shapes are aligned at their last axis; sizes must match or be 1.
public func broadcastShape(_ a: [Int], _ b: [Int], op: String = "broadcast") throws -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let x = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let y = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        guard x == y || x == 1 || y == 1 else { throw TensorError.shapeMismatch(op, a, b) }
        out[i] = x == 1 ? y : x
    }
    return out
}

/// Strides that read a tensor of `shape` as if it had `target` shape: 0 on broadcast axes.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = Tensor<Float>.strides(of: shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
        i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
}

/// Calls `body(outIndex, aIndex, bIndex, n, aStep, bStep)` for each innermost run of `n`
/// output elements, with element steps `aStep`, `bStep` along it.
@inline(__always)
func forEachBroadcastRun(
    _ shape: [Int], _ aStrides: [Int], _ bStrides: [Int],
    _ body: (Int, Int, Int, Int, Int, Int) -> Void
) {
    let rank = shape.count
    if rank == 0 { body(0, 0, 0, 1, 0, 0); return }
    let inner = shape[rank - 1]
    let outer = shape.dropLast().reduce(1, *)
    if inner == 0 || outer == 0 { return }
    var index = [Int](repeating: 0, count: rank - 1)
    var aBase = 0, bBase = 0
    for run in 0..<outer {
        body(run * inner, aBase, bBase, inner, aStrides[rank - 1], bStrides[rank - 1])
        // Odometer increment over the outer axes.
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            aBase += aStrides[axis]
            bBase += bStrides[axis]
            if index[axis] < shape[axis] { break }
            aBase -= aStrides[axis] * shape[axis]
            bBase -= bStrides[axis] * shape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

extension Tensor {
    /// `f` applied elementwise to `self` and `other` broadcast together.
    @inlinable
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func zipWith(
        _ other: Tensor, op: String = "elementwise",
        _ f: (Scalar, Scalar) -> Scalar
    ) throws -> Tensor {
        if shape == other.shape {
            var out = scalars
            out.withUnsafeMutableBufferPointer { o in
                other.scalars.withUnsafeBufferPointer { b in
                    for i in 0..<o.count { o[i] = f(o[i], b[i]) }
                }
            }
            return Tensor(uncheckedShape: shape, scalars: out)
        }
        if other.count == 1 && other.rank <= rank {
            let y = other.scalars[0]
            return Tensor(uncheckedShape: shape, scalars: scalars.map { f($0, y) })
        }
        if count == 1 && rank <= other.rank {
            let x = scalars[0]
            return Tensor(uncheckedShape: other.shape, scalars: other.scalars.map { f(x, $0) })
        }
        // `other` repeats along the leading axes (a bias row added to every row of a batch):
        // whole contiguous runs, no index arithmetic per element.
        let trailing = other.shape.drop { $0 == 1 }
        if !trailing.isEmpty && other.count > 0 && other.rank <= rank && shape.suffix(trailing.count).elementsEqual(trailing) {
            var out = scalars
            out.withUnsafeMutableBufferPointer { o in
                other.scalars.withUnsafeBufferPointer { b in
                    let run = b.count
                    for start in stride(from: 0, to: o.count, by: run) {
                        for j in 0..<run { o[start + j] = f(o[start + j], b[j]) }
                    }
                }
            }
            return Tensor(uncheckedShape: shape, scalars: out)
        }
        return try zipBroadcast(other, op: op, f)
    }

    @usableFromInline
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func zipBroadcast(_ other: Tensor, op: String, _ f: (Scalar, Scalar) -> Scalar) throws -> Tensor {
        let outShape = try broadcastShape(shape, other.shape, op: op)
        let aStrides = broadcastStrides(shape, to: outShape)
        let bStrides = broadcastStrides(other.shape, to: outShape)
        var out = [Scalar](repeating: 0, count: outShape.reduce(1, *))
        out.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { a in
                other.scalars.withUnsafeBufferPointer { b in
                    forEachBroadcastRun(outShape, aStrides, bStrides) { start, ai, bi, n, da, db in
                        for j in 0..<n { o[start + j] = f(a[ai + j * da], b[bi + j * db]) }
                    }
                }
            }
        }
        return Tensor(uncheckedShape: outShape, scalars: out)
    }

    /// This tensor repeated along broadcast axes to `target` shape.
    public func broadcast(to target: [Int]) throws -> Tensor {
        let out = try broadcastShape(shape, target, op: "broadcast(to:)")
        guard out == target else {
            throw TensorError("broadcast(to:): shape \(shape) cannot be broadcast to \(target)")
        }
        if shape == target { return self }
        if count == 1 { return Tensor(uncheckedShape: target, scalars: [Scalar](repeating: scalars[0], count: target.reduce(1, *))) }
        return try Tensor(uncheckedShape: target, scalars: [Scalar](repeating: 0, count: target.reduce(1, *)))
            .zipWith(self, op: "broadcast(to:)") { _, y in y }
    }

    /// Sums a gradient of broadcast shape back down to `target`, the shape of the operand
    /// that was broadcast (the adjoint of `broadcast(to:)`).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func sumToShape(_ target: [Int]) throws -> Tensor {
        if shape == target { return self }
        var result = self
        let offset = rank - target.count
        guard offset >= 0 else {
            throw TensorError("sumToShape: cannot reduce \(shape) to the larger \(target)")
        }
        for _ in 0..<offset { result = try result.sum(axes: [0]) }
        for (axis, size) in target.enumerated() where size == 1 && result.shape[axis] != 1 {
            result = try result.sum(axes: [axis], keepDims: true)
        }
        guard result.shape == target else {
            throw TensorError("sumToShape: cannot reduce \(shape) to \(target)")
        }
        return result
    }
}
