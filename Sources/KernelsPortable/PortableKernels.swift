/// Micro-kernels for any processor: 4-lane vectors, fused only where the baseline has FMA.
public enum PortableKernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    #if arch(arm64)
        @usableFromInline static let fused = true
        /// 32 NEON registers hold the whole 8-row tile.
        @usableFromInline typealias Passes = OnePassOfEight
        /// Packed and in-place `A` are both swept in one pass.
        public static let readsAInPlaceWell = true
    #else
        @usableFromInline static let fused = false
        /// 16 SSE registers do not (see `gemmMicroKernel`).
        @usableFromInline typealias Passes = TwoPassesOfFour
        /// In-place `A` keeps one spilling pass (see `GEMMMicroKernel.readsAInPlaceWell`).
        public static let readsAInPlaceWell = false
    #endif

    /// Columns per packed `B` panel for `Float`.
    public static let floatPanelWidth = 2 * SIMD4<Float>.scalarCount
    /// Columns per packed `B` panel for `Double`.
    public static let doublePanelWidth = 2 * SIMD2<Double>.scalarCount

    public static func sgemm(
        kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD4<Float>.self, fused: fused, passes: Passes.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func dgemm(
        kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD2<Double>.self, fused: fused, passes: Passes.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func sgemmGathered(
        kc: Int, a: UnsafePointer<Float>, aStep: Int, aRowStride: Int,
        b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, second: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernelGathered(
            SIMD4<Float>.self, fused: fused, passes: Passes.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
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
            SIMD2<Double>.self, fused: fused, passes: Passes.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
            aRowStride: aRowStride, b: b, offsets: offsets,
            second: second, c: c, ldc: ldc, alpha: alpha,
            accumulate: accumulate, rows: rows, cols: cols)
    }

    /// `iterations` rounds of the FMA ceiling loop; 4 Float lanes per vector.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput(SIMD4<Float>.self, fused: fused, iterations: iterations), SIMD4<Float>.scalarCount, 12)
    }
}
