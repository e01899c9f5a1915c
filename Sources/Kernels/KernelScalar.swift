import KernelsAVX2
import KernelsAVX512
import KernelsPortable

extension GEMMMicroKernel {
    /// GEMM's cache blocking for this kernel's tile.
    public var blocking: GEMMBlocking {
        GEMMBlocking.current(panelHeight: panelHeight, panelWidth: panelWidth, scalarBytes: MemoryLayout<Scalar>.size)
    }
}

/// What a micro-kernel will multiply, where an instruction set has more than one tile.
public enum MicroKernelUse: Sendable, Equatable {
    /// General matrices: the tile that runs closest to peak.
    case matrices
    /// A convolution's product, whose `A` has `rows` rows (filters, or channels for the
    /// input gradient). Its gathered `B` reads make the tiles run closer to each other, so
    /// the one with fewer padding rows wins: on AVX2, the 8-row tile for 32 filters (32
    /// rows against 34), the 6-row one for 64 (64 each). On a Zen 3 core, the two tiles
    /// called alternately in one process: conv1 forward + weight gradient 12.0 ms with 8 rows
    /// against 12.6 with 6, conv2 forward + backward 37.1 ms with 6 against 42.2 with 8
    /// (1 thread, medians of nine).
    case convolution(rows: Int)
    /// The input gradient as a forward conv of `dy` with the flipped filters (stride 1): deep
    /// (`K·R·S`, 576 for conv2) with `B` gathered from `dy` for every output column. The
    /// one-pass tile reads each `B` vector once per tile against twice for two passes of
    /// four, which outweighs its padding rows: conv2's input gradient (32 channels, 34 rows
    /// against 32) 12.4–14.9 → 10.0–14.5 ms at 1 thread and 6.9–7.7 → 6.2–6.9 ms at 2 on a
    /// Zen 3 core, medians of three runs of 20–30 calls each, interleaved in one process.
    /// (conv1's forward, shallow, measured the same with either; its weight gradient 7.2 ms
    /// with 8 rows against 7.6.)
    case transposedConvolution

    /// `primary` unless this is a forward or weight-gradient convolution that `alternative`
    /// computes with fewer rows.
    func choose<Scalar>(_ primary: GEMMMicroKernel<Scalar>, or alternative: GEMMMicroKernel<Scalar>) -> GEMMMicroKernel<Scalar> {
        guard case .convolution(let rows) = self else { return primary }
        return alternative.rowsComputed(rows) < primary.rowsComputed(rows) ? alternative : primary
    }
}

/// The floating-point types the kernels compute in: `Float` for training, `Double` for
/// gradient checks.
public protocol KernelScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable {
    /// The micro-kernel compiled for `level`, for `use`.
    static func gemmMicroKernel(for level: InstructionSet, use: MicroKernelUse) -> GEMMMicroKernel<Self>
    /// The normalization kernels' loops compiled for `level`.
    static func normalizationLoops(for level: InstructionSet) -> NormalizationLoops<Self>
}

extension KernelScalar {
    /// The micro-kernel for general matrices compiled for `level`.
    public static func gemmMicroKernel(for level: InstructionSet) -> GEMMMicroKernel<Self> {
        gemmMicroKernel(for: level, use: .matrices)
    }
}

extension Float: KernelScalar {
    public static func normalizationLoops(for level: InstructionSet) -> NormalizationLoops<Float> {
        switch level {
        case .avx512: AVX512Kernels.floatNormalizationLoops
        case .avx2: AVX2Kernels.floatNormalizationLoops
        case .portable: PortableKernels.floatNormalizationLoops
        }
    }

    public static func gemmMicroKernel(for level: InstructionSet, use: MicroKernelUse) -> GEMMMicroKernel<Float> {
        switch level {
        case .avx512: AVX512Kernels.float
        case .avx2: use.choose(AVX2Kernels.float, or: AVX2Kernels.floatEightRows)
        case .portable: PortableKernels.float
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

    public static func gemmMicroKernel(for level: InstructionSet, use: MicroKernelUse) -> GEMMMicroKernel<Double> {
        switch level {
        case .avx512: AVX512Kernels.double
        case .avx2: use.choose(AVX2Kernels.double, or: AVX2Kernels.doubleEightRows)
        case .portable: PortableKernels.double
        }
    }
}
