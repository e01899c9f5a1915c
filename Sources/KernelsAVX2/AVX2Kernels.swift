import KernelsPortable

/// Micro-kernels compiled for AVX2 + FMA (`-target-cpu haswell`): 8-lane vectors. With 16
/// vector registers the 8-row tile of a packed `A` panel is swept in two passes of four
/// (see `gemmMicroKernel`); `A` read in place keeps one pass of eight.
public enum AVX2Kernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    /// Whether the gathered kernel reads `A` in place as fast as packed: no, one spilling pass
    /// against two clean ones (see `GEMMMicroKernel.readsAInPlaceWell`).
    public static let readsAInPlaceWell = false

    /// Columns per packed `B` panel for `Float`.
    public static let floatPanelWidth = 2 * SIMD8<Float>.scalarCount
    /// Columns per packed `B` panel for `Double`.
    public static let doublePanelWidth = 2 * SIMD4<Double>.scalarCount

    public static func sgemm(
        kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD8<Float>.self, fused: true, passes: TwoPassesOfFour.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func dgemm(
        kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD4<Double>.self, fused: true, passes: TwoPassesOfFour.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func sgemmGathered(
        kc: Int, a: UnsafePointer<Float>, aStep: Int, aRowStride: Int,
        b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, second: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernelGathered(
            SIMD8<Float>.self, fused: true, passes: TwoPassesOfFour.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
            aRowStride: aRowStride, b: b, offsets: offsets,
            second: second, c: c, ldc: ldc, alpha: alpha,
            accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func dgemmGathered(
        kc: Int, a: UnsafePointer<Double>, aStep: Int, aRowStride: Int,
        b: UnsafePointer<Double>, offsets: UnsafePointer<Int>, second: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernelGathered(
            SIMD4<Double>.self, fused: true, passes: TwoPassesOfFour.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
            aRowStride: aRowStride, b: b, offsets: offsets,
            second: second, c: c, ldc: ldc, alpha: alpha,
            accumulate: accumulate, rows: rows, cols: cols)
    }

    /// `iterations` rounds of the FMA ceiling loop; 8 Float lanes per vector.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput(SIMD8<Float>.self, fused: true, iterations: iterations), SIMD8<Float>.scalarCount, 12)
    }
}
