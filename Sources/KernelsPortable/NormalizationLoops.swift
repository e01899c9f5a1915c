/// The loops of `RunSums` for one element type, compiled by one instruction-set module.
///
/// `compiledHere()` is `@inlinable`: called from `AVX512Kernels` it builds closures whose
/// bodies that module compiles with `-target-cpu skylake-avx512`, from `AVX2Kernels` with
/// Haswell's, from `PortableKernels` for the baseline. `Kernels` picks one set at run time,
/// as it picks the GEMM micro-kernel. Each closure's arguments are those of the `RunSums`
/// function of the same name.
public struct NormalizationLoops<S>: Sendable {
    public let sum: @Sendable (UnsafePointer<S>, Int) -> Double
    public let squaredDeviation: @Sendable (UnsafePointer<S>, Int, S) -> Double
    /// `dy, scale, x, n, center`.
    public let gradientSums: @Sendable (UnsafePointer<S>, UnsafePointer<S>?, UnsafePointer<S>, Int, S) -> (plain: Double, weighted: Double)
    /// `rows, width, columns, a, b, columnCenter, rowCenter, rowScale, centerBoth, plain, weighted`.
    public let columnSums:
        @Sendable (
            Int, Int, Range<Int>, UnsafePointer<S>, UnsafePointer<S>?, UnsafePointer<S>?, UnsafePointer<S>?,
            UnsafePointer<S>?, Bool, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>
        ) -> Void
    /// `first, second, n, a, center, k, b, out`.
    public let affine: @Sendable (UnsafePointer<S>?, UnsafePointer<S>, Int, S, S, S, S, UnsafeMutablePointer<S>) -> Void
    /// `first, second, n, a, center, k, b, out`, the coefficients per column.
    public let affineColumns:
        @Sendable (
            UnsafePointer<S>?, UnsafePointer<S>, Int, UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>,
            UnsafePointer<S>, UnsafeMutablePointer<S>
        ) -> Void
    /// `x, n, center, r, scale, shift, out`.
    public let normalizeRow: @Sendable (UnsafePointer<S>, Int, S, S, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>) -> Void
    /// `dy, scale, x, n, center, r, k, b, out`.
    public let rowGradient: @Sendable (UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, Int, S, S, S, S, UnsafeMutablePointer<S>) -> Void
}

extension NormalizationLoops where S: BinaryFloatingPoint & SIMDScalar {
    /// The loops compiled for the module that calls this.
    @inlinable @inline(__always)
    public static func compiledHere() -> Self {
        Self(
            sum: { RunSums.sum($0, $1) },
            squaredDeviation: { RunSums.squaredDeviation($0, $1, from: $2) },
            gradientSums: { RunSums.gradientSums(dy: $0, scale: $1, x: $2, $3, from: $4) },
            columnSums: {
                RunSums.columnSums(
                    rows: $0, width: $1, columns: $2, a: $3, b: $4, columnCenter: $5, rowCenter: $6, rowScale: $7,
                    centerBoth: $8, plain: $9, weighted: $10)
            },
            affine: { RunSums.affine(first: $0, second: $1, $2, a: $3, center: $4, k: $5, b: $6, out: $7) },
            affineColumns: { RunSums.affineColumns(first: $0, second: $1, $2, a: $3, center: $4, k: $5, b: $6, out: $7) },
            normalizeRow: { RunSums.normalizeRow(x: $0, $1, center: $2, r: $3, scale: $4, shift: $5, out: $6) },
            rowGradient: { RunSums.rowGradient(dy: $0, scale: $1, x: $2, $3, center: $4, r: $5, k: $6, b: $7, out: $8) })
    }

    @inlinable
    public init(
        sum: @escaping @Sendable (UnsafePointer<S>, Int) -> Double,
        squaredDeviation: @escaping @Sendable (UnsafePointer<S>, Int, S) -> Double,
        gradientSums: @escaping @Sendable (UnsafePointer<S>, UnsafePointer<S>?, UnsafePointer<S>, Int, S) -> (plain: Double, weighted: Double),
        columnSums:
            @escaping @Sendable (
                Int, Int, Range<Int>, UnsafePointer<S>, UnsafePointer<S>?, UnsafePointer<S>?, UnsafePointer<S>?,
                UnsafePointer<S>?, Bool, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>
            ) -> Void,
        affine: @escaping @Sendable (UnsafePointer<S>?, UnsafePointer<S>, Int, S, S, S, S, UnsafeMutablePointer<S>) -> Void,
        affineColumns:
            @escaping @Sendable (
                UnsafePointer<S>?, UnsafePointer<S>, Int, UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>,
                UnsafePointer<S>, UnsafeMutablePointer<S>
            ) -> Void,
        normalizeRow:
            @escaping @Sendable (UnsafePointer<S>, Int, S, S, UnsafePointer<S>, UnsafePointer<S>, UnsafeMutablePointer<S>) -> Void,
        rowGradient:
            @escaping @Sendable (UnsafePointer<S>, UnsafePointer<S>, UnsafePointer<S>, Int, S, S, S, S, UnsafeMutablePointer<S>) -> Void
    ) {
        self.sum = sum
        self.squaredDeviation = squaredDeviation
        self.gradientSums = gradientSums
        self.columnSums = columnSums
        self.affine = affine
        self.affineColumns = affineColumns
        self.normalizeRow = normalizeRow
        self.rowGradient = rowGradient
    }
}
