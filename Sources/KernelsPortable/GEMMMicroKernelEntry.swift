/// One compiled GEMM micro-kernel: `C[rows×cols] (+)= alpha · Apanel(kc×MR) · Bpanel(kc×NR)`,
/// adding to `C` when `accumulate` is set and overwriting it otherwise, with `MR × NR` the
/// tile (`panelHeight × panelWidth`).
///
/// An instruction-set module builds one per tile shape with `compiledHere`, so the bodies are
/// compiled with that module's `-target-cpu`; `Float.gemmMicroKernel(for:)` picks among them.
public struct GEMMMicroKernel<Scalar>: Sendable {
    /// Arguments in order: `kc, a, b, c, ldc, alpha, accumulate, rows, cols`.
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
    /// Rows of a packed `A` panel (`MR`): 8, or 6 for the one-pass tile of 16-register targets.
    public let panelHeight: Int
    /// Rows per pass over a packed panel: `panelHeight`, or 4 where an 8-row tile is swept twice.
    public let passHeight: Int
    /// Columns of a packed `B` panel (`NR`): two vectors.
    public let panelWidth: Int
    public let body: Body
    public let gathered: GatheredBody
    /// Whether `gathered` reads `A` in place about as fast as from a packed panel. Where the
    /// packed panel is swept in two passes and `A` in place in one spilling pass (an 8-row
    /// tile on 16 registers), an operand that will be read once is worth packing first
    /// (conv2's weight gradient 16.3 → 15.5 ms on a Zen 3 core).
    public let readsAInPlaceWell: Bool

    /// Values per vector: each row of a `B` panel is two vectors.
    public var lanes: Int { panelWidth / 2 }

    /// Rows of multiply-adds the kernel runs for an `A` of `rows` rows: whole panels, and a
    /// last partial panel that costs four rows when it has four or fewer (`FourRowsOf`) and
    /// a whole pass otherwise. 64 rows cost 64 in 6-row panels (ten and a last of four),
    /// 32 rows cost 34.
    public func rowsComputed(_ rows: Int) -> Int {
        let whole = rows / panelHeight * panelHeight, rest = rows - whole
        if rest == 0 { return whole }
        if passHeight > 4 { return whole + (rest <= 4 ? 4 : panelHeight) }
        return whole + (rest + 3) / 4 * 4
    }

    @inlinable
    public init(
        panelHeight: Int, passHeight: Int, panelWidth: Int, body: @escaping Body, gathered: @escaping GatheredBody,
        readsAInPlaceWell: Bool
    ) {
        self.panelHeight = panelHeight
        self.passHeight = passHeight
        self.panelWidth = panelWidth
        self.body = body
        self.gathered = gathered
        self.readsAInPlaceWell = readsAInPlaceWell
    }
}

extension GEMMMicroKernel where Scalar: BinaryFloatingPoint & SIMDScalar {
    /// The packed and gathered kernels of one tile shape on vectors `V`, compiled in the
    /// calling module: `passes` sweeps a packed `A` panel, `inPlacePasses` one read in place
    /// (both of the same tile height).
    @inlinable @inline(__always)
    public static func compiledHere<V: SIMD, P: MicroKernelPasses, Q: MicroKernelPasses>(
        _ vector: V.Type, fused: Bool, passes: P.Type, inPlacePasses: Q.Type
    ) -> Self where V.Scalar == Scalar {
        precondition(P.tileHeight == Q.tileHeight)
        return Self(
            panelHeight: P.tileHeight, passHeight: P.height, panelWidth: 2 * V.scalarCount,
            // Each body branches once on `fused`, so both copies have it as a constant.
            body: { kc, a, b, c, ldc, alpha, accumulate, rows, cols in
                if fused {
                    gemmMicroKernel(
                        V.self, fused: true, passes: P.self, kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha,
                        accumulate: accumulate, rows: rows, cols: cols)
                } else {
                    gemmMicroKernel(
                        V.self, fused: false, passes: P.self, kc: kc, a: a, b: b, c: c, ldc: ldc, alpha: alpha,
                        accumulate: accumulate, rows: rows, cols: cols)
                }
            },
            gathered: { kc, a, aStep, aRowStride, b, offsets, second, c, ldc, alpha, accumulate, rows, cols in
                if fused {
                    gemmMicroKernelGathered(
                        V.self, fused: true, passes: P.self, inPlacePasses: Q.self, kc: kc, a: a, aStep: aStep,
                        aRowStride: aRowStride, b: b, offsets: offsets, second: second, c: c, ldc: ldc,
                        alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
                } else {
                    gemmMicroKernelGathered(
                        V.self, fused: false, passes: P.self, inPlacePasses: Q.self, kc: kc, a: a, aStep: aStep,
                        aRowStride: aRowStride, b: b, offsets: offsets, second: second, c: c, ldc: ldc,
                        alpha: alpha, accumulate: accumulate, rows: rows, cols: cols)
                }
            },
            readsAInPlaceWell: P.height == Q.height)
    }
}
