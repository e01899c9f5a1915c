import Tensors

/// Ops that move elements without changing them; each gradient moves them back.
extension Variable {
    public func reshaped(_ shape: [Int]) throws -> Variable {
        let old = self.shape
        return Variable(try value.reshaped(shape), op: "reshape", parents: [self]) { g in [try g.reshaped(old)] }
    }

    /// `[N, …] → [N, ∏…]`.
    public func flattened(from axis: Int = 1) throws -> Variable {
        let old = self.shape
        return Variable(try value.flattened(from: axis), op: "flatten", parents: [self]) { g in [try g.reshaped(old)] }
    }

    public func permuted(_ axes: [Int]) throws -> Variable {
        var inverse = [Int](repeating: 0, count: axes.count)
        let y = try value.permuted(axes)
        for (i, a) in axes.enumerated() { inverse[a < 0 ? a + axes.count : a] = i }
        return Variable(y, op: "permute", parents: [self]) { g in [try g.permuted(inverse)] }
    }

    public func transposed() throws -> Variable {
        var axes = Array(0..<shape.count)
        guard axes.count >= 2 else { throw TensorError("transpose: needs at least 2 axes, got shape \(shape)") }
        axes.swapAt(axes.count - 1, axes.count - 2)
        return try permuted(axes)
    }

    /// `x[specs]`; the gradient lands back in the selected positions.
    public func slice(_ specs: [SliceSpec]) throws -> Variable {
        let zeros = try Tensor<Scalar>.zeros(shape)
        return Variable(try value.slice(specs), op: "slice", parents: [self]) { g in
            [try zeros.scatterAdd(specs, g)]
        }
    }

    /// Rows at `indices` (repeats allowed: their gradients add).
    public func take(_ indices: [Int]) throws -> Variable {
        let shape = self.shape
        let row = value.count / Swift.max(1, shape.first ?? 1)
        return Variable(try value.take(indices), op: "take", parents: [self]) { g in
            var d = try Tensor<Scalar>.zeros(shape)
            for (k, i) in indices.enumerated() {
                let j = i < 0 ? i + shape[0] : i
                for e in 0..<row { d.scalars[j * row + e] += g.scalars[k * row + e] }
            }
            return [d]
        }
    }

    /// Joined along `axis`; each input gets its own stretch of the gradient.
    public static func concat(_ parts: [Variable], axis: Int = 0) throws -> Variable {
        let y = try Tensor.concat(parts.map(\.value), axis: axis)
        let a = axis < 0 ? axis + y.rank : axis
        let sizes = parts.map { $0.shape[a] }
        return Variable(y, op: "concat", parents: parts) { g in
            var start = 0
            return try sizes.map { n in
                var specs = [SliceSpec](repeating: .all, count: a)
                specs.append(.range(start: start, end: start + n))
                start += n
                return try g.slice(specs)
            }
        }
    }
}
