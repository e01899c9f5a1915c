extension Tensor {
    /// The same elements under another shape; one size may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        let unknown = newShape.filter { $0 == -1 }.count
        guard unknown <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw TensorError("reshape: \(newShape) may hold at most one -1 and no other negative size")
        }
        var shape = newShape
        if unknown == 1 {
            let known = try SizeBudget.elements(newShape.filter { $0 != -1 }, "reshape")
            guard known > 0, count % known == 0 else {
                throw TensorError("reshape: cannot reshape \(self.shape) (\(count) elements) to \(newShape)")
            }
            shape[newShape.firstIndex(of: -1)!] = count / known
        }
        let wanted = try SizeBudget.elements(shape, "reshape")
        guard wanted == count else {
            throw TensorError("reshape: cannot reshape \(self.shape) (\(count) elements) to \(newShape) (\(wanted) elements)")
        }
        return Tensor(uncheckedShape: shape, scalars: scalars)
    }

    /// Flattens axes `startAxis...` into one: `[N, C, H, W]` → `[N, C·H·W]` for `startAxis` 1.
    public func flattened(from startAxis: Int = 0) throws -> Tensor {
        let a = try normalizeAxis(startAxis, rank: Swift.max(rank, 1), "flatten")
        return try reshaped(Array(shape[..<a]) + [shape[a...].reduce(1, *)])
    }

    /// Axes reordered: result axis `i` is this tensor's axis `axes[i]`.
    public func permuted(_ axes: [Int]) throws -> Tensor {
        let order = try axes.map { try normalizeAxis($0, rank: rank, "permute") }
        guard order.count == rank, Set(order).count == rank else {
            throw TensorError("permute: \(axes) is not a permutation of the \(rank) axes")
        }
        let newShape = order.map { shape[$0] }
        let oldStrides = strides
        let readStrides = order.map { oldStrides[$0] }
        var out = [Scalar](repeating: 0, count: count)
        let zero = [Int](repeating: 0, count: rank)
        out.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { x in
                forEachBroadcastRun(newShape, readStrides, zero) { start, xi, _, n, dx, _ in
                    for j in 0..<n { o[start + j] = x[xi + j * dx] }
                }
            }
        }
        return Tensor(uncheckedShape: newShape, scalars: out)
    }

    /// The matrix transpose of a rank-2 tensor (the last two axes of a higher-rank one).
    public func transposed() throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError("transpose: needs at least 2 axes, the tensor has shape \(shape)")
        }
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return try permuted(axes)
    }

    /// A size-1 axis inserted at `axis`.
    public func unsqueezed(_ axis: Int) throws -> Tensor {
        let a = try normalizeAxis(axis, rank: rank + 1, "unsqueeze")
        var s = shape
        s.insert(1, at: a)
        return Tensor(uncheckedShape: s, scalars: scalars)
    }

    /// Size-1 axes removed (only `axis` when given).
    public func squeezed(_ axis: Int? = nil) throws -> Tensor {
        if let axis {
            let a = try normalizeAxis(axis, rank: rank, "squeeze")
            guard shape[a] == 1 else { throw TensorError("squeeze: axis \(axis) has size \(shape[a]), not 1") }
            var s = shape
            s.remove(at: a)
            return Tensor(uncheckedShape: s, scalars: scalars)
        }
        return Tensor(uncheckedShape: shape.filter { $0 != 1 }, scalars: scalars)
    }
}
