import KernelsPortable

/// Micro-kernels compiled for AVX-512 (`-target-cpu skylake-avx512`): 16-lane vectors.
public enum AVX512Kernels {
    /// The normalization kernels' loops, compiled for this instruction set.
    public static let floatNormalizationLoops = NormalizationLoops<Float>.compiledHere()
    public static let doubleNormalizationLoops = NormalizationLoops<Double>.compiledHere()

    /// Whether the gathered kernel reads `A` in place as fast as packed: yes, both in one pass.
    public static let readsAInPlaceWell = true

    /// Columns per packed `B` panel for `Float`.
    public static let floatPanelWidth = 2 * SIMD16<Float>.scalarCount
    /// Columns per packed `B` panel for `Double`.
    public static let doublePanelWidth = 2 * SIMD8<Double>.scalarCount

    public static func sgemm(
        kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD16<Float>.self, fused: true, passes: OnePassOfEight.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func dgemm(
        kc: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        c: UnsafeMutablePointer<Double>, ldc: Int, alpha: Double, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernel(
            SIMD8<Double>.self, fused: true, passes: OnePassOfEight.self, kc: kc, a: a, b: b, c: c, ldc: ldc,
            alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
    }

    public static func sgemmGathered(
        kc: Int, a: UnsafePointer<Float>, aStep: Int, aRowStride: Int,
        b: UnsafePointer<Float>, offsets: UnsafePointer<Int>, second: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, accumulate: Bool, rows: Int, cols: Int
    ) {
        gemmMicroKernelGathered(
            SIMD16<Float>.self, fused: true, passes: OnePassOfEight.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
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
            SIMD8<Double>.self, fused: true, passes: OnePassOfEight.self, inPlacePasses: OnePassOfEight.self, kc: kc, a: a, aStep: aStep,
            aRowStride: aRowStride, b: b, offsets: offsets,
            second: second, c: c, ldc: ldc, alpha: alpha,
            accumulate: accumulate, rows: rows, cols: cols)
    }

    /// `iterations` rounds of the FMA ceiling loop: 16 chains (32 registers), 16 Float lanes.
    public static func fmaThroughput(iterations: Int) -> (result: Float, lanes: Int, chains: Int) {
        (KernelsPortable.fmaThroughput16(SIMD16<Float>.self, iterations: iterations), SIMD16<Float>.scalarCount, 16)
    }
}
