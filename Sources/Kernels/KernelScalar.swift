import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// One compiled GEMM micro-kernel: `C[rows×cols] (+)= alpha · Apanel(kc×8) · Bpanel(kc×panelWidth)`,
/// adding to `C` when `accumulate` is set and overwriting it otherwise.
///
/// Arguments in order: `kc, a, b, c, ldc, alpha, accumulate, rows, cols`.
public struct GEMMMicroKernel<Scalar>: Sendable {
    public typealias Body =
        @Sendable (
            Int, UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>,
            Int, Scalar, Bool, Int, Int
        ) -> Void
    /// The same product with `B` read in place (see `gemmMicroKernelGathered`).
    ///
    /// Arguments in order: `kc, a, aStep, aRowStride, b, offsets, second, c, ldc, alpha,
    /// accumulate, rows, cols`.
    public typealias GatheredBody =
        @Sendable (
            Int, UnsafePointer<Scalar>, Int, Int, UnsafePointer<Scalar>, UnsafePointer<Int>, Int,
            UnsafeMutablePointer<Scalar>, Int, Scalar, Bool, Int, Int
        ) -> Void
    /// Columns of a packed `B` panel (`NR`).
    public let panelWidth: Int
    /// Rows of a packed `A` panel (`MR`).
    public let panelHeight: Int = gemmMicroKernelRows
    public let body: Body
    public let gathered: GatheredBody
    /// Whether `gathered` reads `A` in place about as fast as from a packed panel. On
    /// 16-register targets the packed panel is swept in two passes and `A` in place in one
    /// spilling pass, so there an operand that will be read once is worth packing first
    /// (conv2's weight gradient 16.3 → 15.5 ms on a Zen 3 core).
    public let readsAInPlaceWell: Bool
    /// Values per vector: each row of a `B` panel is two vectors.
    public var lanes: Int { panelWidth / 2 }
}

/// The floating-point types the kernels compute in: `Float` for training, `Double` for
/// gradient checks.
public protocol KernelScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// The micro-kernel compiled for `level`.
    static func gemmMicroKernel(for level: InstructionSet) -> GEMMMicroKernel<Self>
    /// The normalization kernels' loops compiled for `level`.
    static func normalizationLoops(for level: InstructionSet) -> NormalizationLoops<Self>
}

extension Float: KernelScalar {
    public static func normalizationLoops(for level: InstructionSet) -> NormalizationLoops<Float> {
        switch level {
        case .avx512: AVX512Kernels.floatNormalizationLoops
        case .avx2: AVX2Kernels.floatNormalizationLoops
        case .portable: PortableKernels.floatNormalizationLoops
        }
    }

    public static func gemmMicroKernel(for level: InstructionSet) -> GEMMMicroKernel<Float> {
        switch level {
        case .avx512:
            GEMMMicroKernel(
                panelWidth: AVX512Kernels.floatPanelWidth, body: AVX512Kernels.sgemm,
                gathered: AVX512Kernels.sgemmGathered, readsAInPlaceWell: AVX512Kernels.readsAInPlaceWell)
        case .avx2:
            GEMMMicroKernel(
                panelWidth: AVX2Kernels.floatPanelWidth, body: AVX2Kernels.sgemm,
                gathered: AVX2Kernels.sgemmGathered, readsAInPlaceWell: AVX2Kernels.readsAInPlaceWell)
        case .portable:
            GEMMMicroKernel(
                panelWidth: PortableKernels.floatPanelWidth, body: PortableKernels.sgemm,
                gathered: PortableKernels.sgemmGathered, readsAInPlaceWell: PortableKernels.readsAInPlaceWell)
        }
    }
}

extension Double: KernelScalar {
    public static func normalizationLoops(for level: InstructionSet) -> NormalizationLoops<Double> {
        switch level {
        case .avx512: AVX512Kernels.doubleNormalizationLoops
        case .avx2: AVX2Kernels.doubleNormalizationLoops
        case .portable: PortableKernels.doubleNormalizationLoops
        }
    }

    public static func gemmMicroKernel(for level: InstructionSet) -> GEMMMicroKernel<Double> {
        switch level {
        case .avx512:
            GEMMMicroKernel(
                panelWidth: AVX512Kernels.doublePanelWidth, body: AVX512Kernels.dgemm,
                gathered: AVX512Kernels.dgemmGathered, readsAInPlaceWell: AVX512Kernels.readsAInPlaceWell)
        case .avx2:
            GEMMMicroKernel(
                panelWidth: AVX2Kernels.doublePanelWidth, body: AVX2Kernels.dgemm,
                gathered: AVX2Kernels.dgemmGathered, readsAInPlaceWell: AVX2Kernels.readsAInPlaceWell)
        case .portable:
            GEMMMicroKernel(
                panelWidth: PortableKernels.doublePanelWidth, body: PortableKernels.dgemm,
                gathered: PortableKernels.dgemmGathered, readsAInPlaceWell: PortableKernels.readsAInPlaceWell)
        }
    }
}
