import KernelsPortable

/// Micro-kernels compiled for AVX2 + FMA (`-target-cpu haswell`): 8-lane vectors, 16 vector
/// registers.
public enum AVX2Kernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    /// The GEMM tile: 6 × 16 in one pass (`OnePassOfSix`), `A` packed or read in place.
    /// Against the 8-row tile in two passes of four, the `B` panel streams through L1 once
    /// per tile: micro-kernel 72–79 → 78–90 GFLOP/s, SGEMM 1024³ 44–48 → 39–40 ms at 1
    /// thread on a Zen 3 core (the two called alternately in one process).
    public static let float = GEMMMicroKernel<Float>.compiledHere(
        SIMD8<Float>.self, fused: true, passes: OnePassOfSix.self, inPlacePasses: OnePassOfSix.self)
    public static let double = GEMMMicroKernel<Double>.compiledHere(
        SIMD4<Double>.self, fused: true, passes: OnePassOfSix.self, inPlacePasses: OnePassOfSix.self)

    /// The 8-row tile, two passes of four over a packed `A` panel (one spilling pass of eight
    /// in place): a convolution takes it where it computes fewer rows (32 filters: 32 against
    /// 34), see `MicroKernelUse`.
    public static let floatEightRows = GEMMMicroKernel<Float>.compiledHere(
        SIMD8<Float>.self, fused: true, passes: TwoPassesOfFour.self, inPlacePasses: OnePassOfEight.self)
    public static let doubleEightRows = GEMMMicroKernel<Double>.compiledHere(
        SIMD4<Double>.self, fused: true, passes: TwoPassesOfFour.self, inPlacePasses: OnePassOfEight.self)

    /// `iterations` rounds of the FMA ceiling loop; 8 Float lanes per vector.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput(SIMD8<Float>.self, fused: true, iterations: iterations), SIMD8<Float>.scalarCount, 12)
    }
}
