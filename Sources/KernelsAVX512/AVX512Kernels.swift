import KernelsPortable

/// Micro-kernels compiled for AVX-512 (`-target-cpu skylake-avx512`): 16-lane vectors, 32
/// vector registers.
public enum AVX512Kernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    /// The GEMM tile: 8 × 32 in one pass, `A` packed or read in place (16 accumulators, 2 `B`
    /// vectors and a broadcast fit in 32 registers).
    public static let float = GEMMMicroKernel<Float>.compiledHere(
        SIMD16<Float>.self, fused: true, passes: OnePassOfEight.self, inPlacePasses: OnePassOfEight.self)
    public static let double = GEMMMicroKernel<Double>.compiledHere(
        SIMD8<Double>.self, fused: true, passes: OnePassOfEight.self, inPlacePasses: OnePassOfEight.self)

    /// `iterations` rounds of the FMA ceiling loop: 16 chains (32 registers), 16 Float lanes.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput16(SIMD16<Float>.self, iterations: iterations), SIMD16<Float>.scalarCount, 16)
    }
}
