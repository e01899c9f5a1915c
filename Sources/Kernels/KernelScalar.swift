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
public enum MicroKernelUse: Sendable {
    /// General matrices: the tile that runs closest to peak.
    case matrices
    /// Convolutions, whose `A` has the filters (a multiple of 8 in the course nets) as rows:
    /// on AVX2 the 8-row tile, which pads none of them (the 6-row one pads 32 to 36).
    case convolution
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
        case .avx2: use == .convolution ? AVX2Kernels.floatEightRows : AVX2Kernels.float
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
        case .avx2: use == .convolution ? AVX2Kernels.doubleEightRows : AVX2Kernels.double
        case .portable: PortableKernels.double
        }
    }
}
