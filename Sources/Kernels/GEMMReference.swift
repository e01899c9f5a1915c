/// The plain triple loop GEMM is tested against: same contract as `gemm`, no blocking,
/// accumulation in the scalar type in `k` order.
public func gemmReference<Scalar: KernelScalar>(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Scalar = 1, a: UnsafePointer<Scalar>, lda: Int,
    b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar = 0, c: UnsafeMutablePointer<Scalar>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Scalar = 0
            for p in 0..<k {
                let x = transA ? a[p * lda + i] : a[i * lda + p]
                let y = transB ? b[j * ldb + p] : b[p * ldb + j]
                sum += x * y
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * sum + old
        }
    }
}
