import Kernels

extension Tensor {
    /// Matrix product, as NumPy's `@`: `[m, k] @ [k, n] → [m, n]`; a rank-1 left operand is
    /// a row and a rank-1 right operand a column (that axis is dropped from the result);
    /// higher ranks multiply matching stacks of matrices (leading axes must be equal).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw TensorError("matmul: operands must have rank ≥ 1, got \(shape) and \(other.shape)")
        }
        let a = rank == 1 ? try reshaped([1, shape[0]]) : self
        let b = other.rank == 1 ? try other.reshaped([other.shape[0], 1]) : other
        let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard k == k2 else {
            throw TensorError("matmul: inner sizes differ: \(shape) @ \(other.shape) (\(k) vs \(k2))")
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        guard batchA.isEmpty || batchB.isEmpty || batchA == batchB else {
            throw TensorError("matmul: batch shapes differ: \(shape) @ \(other.shape)")
        }
        let batch = batchA.isEmpty ? batchB : batchA
        let count = batch.reduce(1, *)
        var out = Tensor<Scalar>.uninitializedStorage(count * m * n)  // gemm with β = 0 writes every entry
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<count {
                        let aOffset = batchA.isEmpty ? 0 : i * m * k
                        let bOffset = batchB.isEmpty ? 0 : i * k * n
                        gemm(
                            m: m, n: n, k: k, a: pa.baseAddress! + aOffset, lda: k,
                            b: pb.baseAddress! + bOffset, ldb: n,
                            c: pc.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        var shape = batch + [m, n]
        if other.rank == 1 { shape.removeLast() }
        if rank == 1 { shape.remove(at: shape.count - (other.rank == 1 ? 1 : 2)) }
        return Tensor(uncheckedShape: shape, scalars: out)
    }

    /// `op(self) · op(other)` for rank-2 tensors, transposes folded into the GEMM.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func matmul(_ other: Tensor, transposeSelf: Bool, transposeOther: Bool) throws -> Tensor {
        guard rank == 2, other.rank == 2 else {
            throw TensorError("matmul: transposed products need rank-2 operands, got \(shape) and \(other.shape)")
        }
        let m = transposeSelf ? shape[1] : shape[0], k = transposeSelf ? shape[0] : shape[1]
        let k2 = transposeOther ? other.shape[1] : other.shape[0]
        let n = transposeOther ? other.shape[0] : other.shape[1]
        guard k == k2 else { throw TensorError("matmul: inner sizes differ (\(k) vs \(k2))") }
        var out = Tensor<Scalar>.uninitializedStorage(m * n)  // gemm with β = 0 writes every entry
        gemm(
            transA: transposeSelf, transB: transposeOther, m: m, n: n, k: k,
            a: scalars, lda: shape[1], b: other.scalars, ldb: other.shape[1], c: &out, ldc: n)
        return Tensor(uncheckedShape: [m, n], scalars: out)
    }
}
