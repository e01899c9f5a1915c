/// One axis of a slicing expression, as in NumPy: `x[2]`, `x[1:5]`, `x[::2]`, `x[:]`.
public enum SliceSpec: Sendable, Equatable {
    /// One position; the axis is removed. Negative counts from the end.
    case index(Int)
    /// `start..<end` by `step` (nil bounds mean the whole axis in the step's direction).
    case range(start: Int? = nil, end: Int? = nil, step: Int = 1)

    public static let all = SliceSpec.range()
}

extension Tensor {
    /// The sub-tensor selected by one spec per leading axis (missing trailing axes are whole).
    public func slice(_ specs: [SliceSpec]) throws -> Tensor {
        guard specs.count <= rank else {
            throw TensorError("index: \(specs.count) indices for a tensor of rank \(rank) (shape \(shape))")
        }
        var starts: [Int] = [], steps: [Int] = [], counts: [Int] = [], keep: [Bool] = []
        for axis in 0..<rank {
            let size = shape[axis]
            switch axis < specs.count ? specs[axis] : .all {
            case .index(let i):
                let j = i < 0 ? i + size : i
                guard j >= 0 && j < size else {
                    throw TensorError("index \(i) is out of range for axis \(axis) of size \(size)")
                }
                starts.append(j); steps.append(1); counts.append(1); keep.append(false)
            case .range(let start, let end, let step):
                guard step != 0 else { throw TensorError("slice step cannot be zero") }
                func clamp(_ v: Int, _ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(v, lo), hi) }
                let (s, e): (Int, Int)
                if step > 0 {
                    s = clamp(start.map { $0 < 0 ? $0 + size : $0 } ?? 0, 0, size)
                    e = clamp(end.map { $0 < 0 ? $0 + size : $0 } ?? size, 0, size)
                } else {
                    s = clamp(start.map { $0 < 0 ? $0 + size : $0 } ?? size - 1, -1, size - 1)
                    e = clamp(end.map { $0 < 0 ? $0 + size : $0 } ?? -1, -1, size - 1)
                }
                let n = step > 0 ? Swift.max(0, (e - s + step - 1) / step) : Swift.max(0, (s - e - step - 1) / -step)
                starts.append(s); steps.append(step); counts.append(n); keep.append(true)
            }
        }
        let own = strides
        var base = 0
        for axis in 0..<rank where counts[axis] > 0 { base += starts[axis] * own[axis] }
        let readStrides = (0..<rank).map { own[$0] * steps[$0] }
        var out = [Scalar](repeating: 0, count: counts.reduce(1, *))
        if !out.isEmpty {
            let zero = [Int](repeating: 0, count: rank)
            out.withUnsafeMutableBufferPointer { o in
                scalars.withUnsafeBufferPointer { x in
                    forEachBroadcastRun(counts, readStrides, zero) { start, xi, _, n, dx, _ in
                        for j in 0..<n { o[start + j] = x[base + xi + j * dx] }
                    }
                }
            }
        }
        let newShape = zip(counts, keep).filter(\.1).map(\.0)
        return Tensor(uncheckedShape: newShape, scalars: out)
    }

    /// `x[i]`: the sub-tensor at position `i` of the first axis.
    public subscript(_ i: Int) -> Tensor {
        get throws { try slice([.index(i)]) }
    }

    /// `x[a..<b]` along the first axis.
    public subscript(_ r: Range<Int>) -> Tensor {
        get throws { try slice([.range(start: r.lowerBound, end: r.upperBound)]) }
    }

    /// Adds `update` into the positions `slice(specs)` selects: the adjoint of `slice`.
    public func scatterAdd(_ specs: [SliceSpec], _ update: Tensor) throws -> Tensor {
        // Slice an index tensor the same way to learn which flat positions were taken.
        let positions = try Tensor<Double>(uncheckedShape: shape, scalars: (0..<count).map(Double.init))
            .slice(specs)
        guard positions.count == update.count else {
            throw TensorError("scatterAdd: update has \(update.count) elements but the slice selects \(positions.count)")
        }
        var out = scalars
        for (p, v) in zip(positions.scalars, update.scalars) { out[Int(p)] += v }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// Rows (entries of axis 0) at the given indices: `x[indices]`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func take(_ indices: [Int]) throws -> Tensor {
        guard rank >= 1 else { throw TensorError("take: needs a tensor of rank ≥ 1") }
        let n = shape[0], row = count / Swift.max(n, 1)
        var out: [Scalar] = []
        out.reserveCapacity(indices.count * row)
        for i in indices {
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else { throw TensorError("take: index \(i) is out of range for \(n) rows") }
            out.append(contentsOf: scalars[(j * row)..<((j + 1) * row)])
        }
        return Tensor(uncheckedShape: [indices.count] + shape.dropFirst(), scalars: out)
    }

    /// `x[i, labels[i]]` for each row `i` of an `N × C` tensor: the score of each row's label.
    public func gather(labels: [Int]) throws -> Tensor {
        guard rank == 2 else { throw TensorError("gather: needs an N × C tensor, got shape \(shape)") }
        let (n, c) = (shape[0], shape[1])
        guard labels.count == n else {
            throw TensorError("gather: \(labels.count) labels for \(n) rows")
        }
        var out = [Scalar](repeating: 0, count: n)
        for (i, y) in labels.enumerated() {
            guard y >= 0 && y < c else { throw TensorError("gather: label \(y) in row \(i) is not in 0..<\(c)") }
            out[i] = scalars[i * c + y]
        }
        return Tensor(out)
    }

    /// `N × C` rows with a 1 at each label and 0 elsewhere.
    public static func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
        var t = try zeros([labels.count, classes])
        for (i, y) in labels.enumerated() {
            guard y >= 0 && y < classes else { throw TensorError("oneHot: label \(y) is not in 0..<\(classes)") }
            t.scalars[i * classes + y] = 1
        }
        return t
    }

    /// Tensors joined along an existing axis; other sizes must agree.
    public static func concat(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("concat: needs at least one tensor") }
        let a = try normalizeAxis(axis, rank: first.rank, "concat")
        for t in tensors {
            var x = t.shape, y = first.shape
            guard x.count == y.count else {
                throw TensorError("concat: shapes \(first.shape) and \(t.shape) have different ranks")
            }
            x[a] = 0; y[a] = 0
            guard x == y else { throw TensorError("concat: shapes \(first.shape) and \(t.shape) differ off axis \(axis)") }
        }
        let outer = first.shape[..<a].reduce(1, *)
        var out: [Scalar] = []
        out.reserveCapacity(tensors.reduce(0) { $0 + $1.count })
        for o in 0..<outer {
            for t in tensors {
                let run = t.shape[a...].reduce(1, *)
                out.append(contentsOf: t.scalars[(o * run)..<((o + 1) * run)])
            }
        }
        var shape = first.shape
        shape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// Tensors of one shape stacked along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError("stack: needs at least one tensor") }
        guard tensors.allSatisfy({ $0.shape == first.shape }) else {
            throw TensorError("stack: all tensors need one shape, got \(tensors.map(\.shape))")
        }
        let a = try normalizeAxis(axis, rank: first.rank + 1, "stack")
        return try concat(tensors.map { try $0.unsqueezed(a) }, axis: a)
    }
}
