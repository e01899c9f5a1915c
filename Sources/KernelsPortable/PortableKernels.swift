/// Micro-kernels for any processor: 4-lane vectors, fused only where the baseline has FMA.
public enum PortableKernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    #if arch(arm64)
        @usableFromInline static let fused = true
        /// 32 NEON registers hold the whole 8-row tile, packed or in place.
        @usableFromInline typealias Passes = OnePassOfEight
    #else
        @usableFromInline static let fused = false
        /// 16 SSE registers do not (see `gemmMicroKernel`); in place keeps one spilling pass.
        @usableFromInline typealias Passes = TwoPassesOfFour
    #endif

    /// The GEMM tile: 8 × 8.
    public static let float = GEMMMicroKernel<Float>.compiledHere(
        SIMD4<Float>.self, fused: fused, passes: Passes.self, inPlacePasses: OnePassOfEight.self)
    public static let double = GEMMMicroKernel<Double>.compiledHere(
        SIMD2<Double>.self, fused: fused, passes: Passes.self, inPlacePasses: OnePassOfEight.self)

    /// `iterations` rounds of the FMA ceiling loop; 4 Float lanes per vector.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput(SIMD4<Float>.self, fused: fused, iterations: iterations), SIMD4<Float>.scalarCount, 12)
    }
}
