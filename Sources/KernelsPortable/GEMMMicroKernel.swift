/// The register-blocked inner kernel of GEMM, written once and compiled per instruction set.
///
/// Shapes (row-major, one vocabulary for every kernel):
/// - `a`: a packed panel of `kc × MR` values, `MR = P.tileHeight` (8 or 6): for each `k`, the
///   tile's rows' values.
/// - `b`: a packed panel of `kc × NR` values, `NR = 2 · V.scalarCount`: for each `k`, the
///   panel's `NR` columns.
/// - `c`: the `rows × cols` tile of the output (`rows ≤ MR`, `cols ≤ NR`), row stride `ldc`.
///
/// ```
/// C[i, j] += alpha · Σ_k A[i, k] · B[k, j]      (accumulate)
/// C[i, j]  = alpha · Σ_k A[i, k] · B[k, j]      (otherwise: C is only written)
/// ```
///
/// The accumulators (two vectors per row) stay in vector registers for the whole `k` loop.
/// The body is `@inlinable` so that each module that instantiates it with a concrete `V`
/// compiles it with that module's `-target-cpu`.
///
/// An 8-row tile needs 16 accumulators, 2 `B` vectors and a broadcast: 32-register targets
/// hold it (`OnePassOfEight`). A 16-register target (AVX2, baseline SSE) cannot: its compiled
/// loop moved accumulators to and from the stack on every step. There the tile is either
/// 6 rows in one pass (`OnePassOfSix`: 12 accumulators, 15 registers) or 8 rows in two passes
/// of four over the same `B` panel (`TwoPassesOfFour`: 8 accumulators, each `B` vector read
/// twice, but no padding rows where `A` has a multiple of 8). Each output is the same chain
/// of products in the same order whatever the passes, so they change no bits.
///
/// - Parameter fused: use fused multiply-add. Pass `false` where the target has no FMA
///   instruction (baseline x86-64), where a fused product would become a library call.
@inlinable @inline(__always)
public func gemmMicroKernel<V: SIMD, P: MicroKernelPasses>(
    _ vector: V.Type, fused: Bool, passes: P.Type,
    kc: Int, a: UnsafePointer<V.Scalar>, b: UnsafePointer<V.Scalar>,
    c: UnsafeMutablePointer<V.Scalar>, ldc: Int, alpha: V.Scalar, accumulate: Bool,
    rows: Int, cols: Int
) where V.Scalar: BinaryFloatingPoint {
    let nr = 2 * V.scalarCount
    @inline(__always) func sweep<R: MicroKernelPasses>(_ passes: R.Type) {
        microKernelPasses(R.self, rows: rows) { first, passRows in
            microKernelCore(
                V.self, R.self, fused: fused, kc: kc, a: a + first, aLayout: PackedA<R>(),
                bRows: PackedRows(base: b, width: nr), second: V.scalarCount, c: c + first * ldc, ldc: ldc,
                alpha: alpha, accumulate: accumulate, rows: passRows, cols: cols)
        }
    }
    if P.height > 4 && rows <= 4 { sweep(FourRowsOf<P>.self) } else { sweep(P.self) }
}

/// The tile's height (`MR`, the rows of a packed `A` panel) and how it is swept: in one
/// pass (32-register targets, or a 6-row tile on 16-register ones) or in two passes of four
/// rows (an 8-row tile on 16-register targets), see `gemmMicroKernel`. A type rather than a
/// value, so that every specialization of the kernel knows its heights at compile time even
/// where the optimizer keeps the body out of line.
public protocol MicroKernelPasses {
    /// Rows of the tile and of a packed `A` panel: 8 or 6.
    static var tileHeight: Int { get }
    /// Rows per pass: 8, 6 or 4.
    static var height: Int { get }
}

/// An 8-row tile in one pass: 16 accumulators (32-register targets).
public enum OnePassOfEight: MicroKernelPasses {
    @inlinable public static var tileHeight: Int { 8 }
    @inlinable public static var height: Int { 8 }
}

/// An 8-row tile in two passes of four: 8 accumulators, each `B` vector read twice.
public enum TwoPassesOfFour: MicroKernelPasses {
    @inlinable public static var tileHeight: Int { 8 }
    @inlinable public static var height: Int { 4 }
}

/// A 6-row tile in one pass: 12 accumulators, 2 `B` vectors and a broadcast fill 15 of 16
/// registers, and each `B` vector feeds six FMAs (against four in a pass of four), so the
/// `B` panel streams through L1 once per tile instead of twice.
public enum OnePassOfSix: MicroKernelPasses {
    @inlinable public static var tileHeight: Int { 6 }
    @inlinable public static var height: Int { 6 }
}

/// The first four rows of a `P` tile in one pass (8 accumulators): a tile of four rows or
/// fewer, at the bottom edge of `A`, then costs four rows of multiply-adds instead of `P.height`.
public enum FourRowsOf<P: MicroKernelPasses>: MicroKernelPasses {
    @inlinable public static var tileHeight: Int { P.tileHeight }
    @inlinable public static var height: Int { 4 }
}

/// Runs `pass(firstRow, rows)` once per pass of `P` over a tile of `rows` rows.
@inlinable @inline(__always)
func microKernelPasses<P: MicroKernelPasses>(
    _ passes: P.Type, rows: Int, _ pass: (_ firstRow: Int, _ rows: Int) -> Void
) {
    var first = 0
    repeat {
        pass(first, min(rows - first, P.height))
        first += P.height
    } while first < rows
}

/// The micro-kernel with `B` read in place instead of from a packed panel: row `k` of the
/// `kc × NR` panel is the vector at `b + offsets[k]` followed by the one at
/// `b + offsets[k] + second`. A convolution uses it to read its input where it lies (the
/// offsets step through channels and taps, `second` to the next output row or channels).
///
/// `A[i, k]` is `a[k · aStep + i · aRowStride]`: `(MR, 1)` for a packed panel, `(1, lda)` for
/// `MR` rows of a row-major matrix read in place. `passes` sweeps the tile in the first case,
/// `inPlacePasses` in the second: read in place, `A` costs an address per row, and on a
/// 16-register target one spilling pass of eight measured the same as two of four (conv2
/// forward + backward 38.3 against 38.8 ms on a Zen 3 core, medians of three).
///
/// Both vectors of each row of `B` are loaded whole, so where `B` is read in place every tile
/// must be full width (`cols = NR`); over a zero-padded packed panel it may be narrower. All
/// `MR` rows of `A` must be readable even when fewer are stored.
@inlinable @inline(__always)
public func gemmMicroKernelGathered<V: SIMD, P: MicroKernelPasses, Q: MicroKernelPasses>(
    _ vector: V.Type, fused: Bool, passes: P.Type, inPlacePasses: Q.Type,
    kc: Int, a: UnsafePointer<V.Scalar>, aStep: Int, aRowStride: Int,
    b: UnsafePointer<V.Scalar>, offsets: UnsafePointer<Int>, second: Int,
    c: UnsafeMutablePointer<V.Scalar>, ldc: Int, alpha: V.Scalar, accumulate: Bool,
    rows: Int, cols: Int
) where V.Scalar: BinaryFloatingPoint {
    precondition(P.tileHeight == Q.tileHeight)
    // A packed: a copy of the body with the constant strides of `PackedA`.
    @inline(__always) func sweepPacked<R: MicroKernelPasses>(_ passes: R.Type) {
        microKernelPasses(R.self, rows: rows) { first, passRows in
            microKernelCore(
                V.self, R.self, fused: fused, kc: kc, a: a + first, aLayout: PackedA<R>(),
                bRows: GatheredRows(base: b, offsets: offsets), second: second, c: c + first * ldc, ldc: ldc,
                alpha: alpha, accumulate: accumulate, rows: passRows, cols: cols)
        }
    }
    @inline(__always) func sweepInPlace<R: MicroKernelPasses>(_ passes: R.Type) {
        microKernelPasses(R.self, rows: rows) { first, passRows in
            microKernelCore(
                V.self, R.self, fused: fused, kc: kc, a: a + first * aRowStride,
                aLayout: InPlaceA(step: aStep, rowStride: aRowStride), bRows: GatheredRows(base: b, offsets: offsets),
                second: second, c: c + first * ldc, ldc: ldc, alpha: alpha, accumulate: accumulate, rows: passRows,
                cols: cols)
        }
    }
    if aStep == P.tileHeight && aRowStride == 1 {
        if P.height > 4 && rows <= 4 { sweepPacked(FourRowsOf<P>.self) } else { sweepPacked(P.self) }
    } else {
        if Q.height > 4 && rows <= 4 { sweepInPlace(FourRowsOf<Q>.self) } else { sweepInPlace(Q.self) }
    }
}

/// The shared body: `A[i, k]` is `a[k · aLayout.step + i · aLayout.rowStride]`; `bRows.row(k)`
/// is where row `k` of `B` starts, its second vector `second` values further on; `P.height`
/// rows are swept (`rows` at most that). Layouts and pass heights are types, so every
/// specialization has them as constants.
///
/// `@_transparent` makes inlining mandatory. With `@inline(__always)` the optimizer still
/// moved the body out of line when a caller held two copies (packed and in-place `A`), and
/// small edits flipped its choice; out of line, the gathered kernel spilled and ran a third
/// slower. `nm` on an instruction-set module's object should list no `microKernelCore`.
@usableFromInline @_transparent
func microKernelCore<V: SIMD, P: MicroKernelPasses, L: ALayout, B: BRows<V.Scalar>>(
    _ vector: V.Type, _ passes: P.Type, fused: Bool,
    kc: Int, a: UnsafePointer<V.Scalar>, aLayout: L,
    bRows: B, second: Int,
    c: UnsafeMutablePointer<V.Scalar>, ldc: Int, alpha: V.Scalar, accumulate: Bool,
    rows: Int, cols: Int
) where V.Scalar: BinaryFloatingPoint {
    let lanes = V.scalarCount
    let nr = 2 * lanes
    let middle = P.height >= 6, tall = P.height == 8
    @inline(__always) func madd(_ acc: V, _ x: V, _ y: V) -> V {
        fused ? acc.addingProduct(x, y) : acc + x * y
    }
    @inline(__always) func load(_ p: UnsafePointer<V.Scalar>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }
    var c0a = V(), c0b = V(), c1a = V(), c1b = V(), c2a = V(), c2b = V(), c3a = V(), c3b = V()
    var c4a = V(), c4b = V(), c5a = V(), c5b = V(), c6a = V(), c6b = V(), c7a = V(), c7b = V()
    var pa = a
    var k = 0
    let aStep = aLayout.step, aRowStride = aLayout.rowStride, unroll = L.unrolls
    let s1 = aRowStride, s3 = 3 * aRowStride, s5 = 5 * aRowStride, s7 = 7 * aRowStride
    // Rows 4 and 5 of one step (passes of six or eight).
    @inline(__always) func stepMiddleRows(_ b0: V, _ b1: V) {
        var s = V(repeating: pa[4 * s1]); c4a = madd(c4a, s, b0); c4b = madd(c4b, s, b1)
        s = V(repeating: pa[s5]); c5a = madd(c5a, s, b0); c5b = madd(c5b, s, b1)
    }
    // Rows 6 and 7 of one step (passes of eight).
    @inline(__always) func stepLowerRows(_ b0: V, _ b1: V) {
        var s = V(repeating: pa[2 * s3]); c6a = madd(c6a, s, b0); c6b = madd(c6b, s, b1)
        s = V(repeating: pa[s7]); c7a = madd(c7a, s, b0); c7b = madd(c7b, s, b1)
    }
    // One step of the k loop: two B vectors times four, six or eight broadcast A values.
    @inline(__always) func step() {
        let pb = bRows.row(k)
        let b0 = load(pb)
        let b1 = load(pb + second)
        // Rows 0…3 of A at pa + {0, 1, 2, 3}·stride (4…7 likewise), written with the odd
        // multiples so that each address is one base plus a scaled index.
        var s = V(repeating: pa[0]); c0a = madd(c0a, s, b0); c0b = madd(c0b, s, b1)
        s = V(repeating: pa[s1]); c1a = madd(c1a, s, b0); c1b = madd(c1b, s, b1)
        s = V(repeating: pa[2 * s1]); c2a = madd(c2a, s, b0); c2b = madd(c2b, s, b1)
        s = V(repeating: pa[s3]); c3a = madd(c3a, s, b0); c3b = madd(c3b, s, b1)
        if middle {
            stepMiddleRows(b0, b1)
        }
        if tall {
            stepLowerRows(b0, b1)
        }
        pa += aStep
        k &+= 1
    }
    var remaining = kc
    // Four steps per iteration when A is packed; with A read in place, one (see `InPlaceA`).
    while unroll && remaining >= 4 {
        step(); step(); step(); step()
        remaining -= 4
    }
    while remaining > 0 {
        step()
        remaining -= 1
    }
    let scale = V(repeating: alpha)
    @inline(__always) func store(_ row: Int, _ lo: V, _ hi: V) {
        let p = c + row * ldc
        let r = UnsafeMutableRawPointer(p)
        let hiAddress = r + lanes * MemoryLayout<V.Scalar>.stride
        if accumulate {
            r.storeBytes(of: madd(load(p), scale, lo), as: V.self)
            hiAddress.storeBytes(of: madd(load(p + lanes), scale, hi), as: V.self)
        } else {
            r.storeBytes(of: scale * lo, as: V.self)
            hiAddress.storeBytes(of: scale * hi, as: V.self)
        }
    }
    if rows == P.height && cols == nr {
        store(0, c0a, c0b); store(1, c1a, c1b); store(2, c2a, c2b); store(3, c3a, c3b)
        if middle {
            store(4, c4a, c4b); store(5, c5a, c5b)
        }
        if tall {
            store(6, c6a, c6b); store(7, c7a, c7b)
        }
        return
    }
    // A partial tile at the matrix edge: only the rows and columns that exist are written.
    @inline(__always) func accumulators(_ row: Int) -> (V, V) {
        switch row {
        case 0: (c0a, c0b)
        case 1: (c1a, c1b)
        case 2: (c2a, c2b)
        case 3: (c3a, c3b)
        case 4: (c4a, c4b)
        case 5: (c5a, c5b)
        case 6: (c6a, c6b)
        default: (c7a, c7b)
        }
    }
    for i in 0..<rows {
        let (lo, hi) = accumulators(i)
        if cols == nr {
            // Whole rows (fewer of them than the pass height): vector stores.
            store(i, lo, hi)
            continue
        }
        for j in 0..<cols {
            let v = j < lanes ? lo[j] : hi[j - lanes]
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + alpha * v : alpha * v
        }
    }
}

/// How the micro-kernel steps through `A`: `A[i, k]` at `k · step + i · rowStride`.
@usableFromInline
protocol ALayout {
    var step: Int { get }
    var rowStride: Int { get }
    /// Whether the `k` loop runs four steps per iteration.
    static var unrolls: Bool { get }
}

/// A packed panel: the tile's rows' values (`P.tileHeight` of them) for each `k` in turn.
@usableFromInline
struct PackedA<P: MicroKernelPasses>: ALayout {
    @inlinable @inline(__always) init() {}
    @inlinable var step: Int { P.tileHeight }
    @inlinable var rowStride: Int { 1 }
    @inlinable static var unrolls: Bool { true }
}

/// Rows of a row-major matrix read in place. Not unrolled: the compiler then gives each
/// (step, row) pair its own address and runs out of registers.
@usableFromInline
struct InPlaceA: ALayout {
    @usableFromInline let step: Int
    @usableFromInline let rowStride: Int

    @inlinable @inline(__always)
    init(step: Int, rowStride: Int) {
        self.step = step
        self.rowStride = rowStride
    }

    @inlinable static var unrolls: Bool { false }
}

/// Where row `k` of the micro-kernel's `B` starts. A protocol with one type per layout rather
/// than a closure: the optimizer specializes generics and honours `@inline(__always)`, where a
/// closure argument gets the body cloned out of line with the strides no longer constant.
@usableFromInline
protocol BRows<Scalar> {
    associatedtype Scalar
    func row(_ k: Int) -> UnsafePointer<Scalar>
}

/// A packed panel: rows `width` values apart.
@usableFromInline
struct PackedRows<Scalar>: BRows {
    @usableFromInline let base: UnsafePointer<Scalar>
    @usableFromInline let width: Int

    @inlinable @inline(__always)
    init(base: UnsafePointer<Scalar>, width: Int) {
        self.base = base
        self.width = width
    }

    @inlinable @inline(__always)
    func row(_ k: Int) -> UnsafePointer<Scalar> { base + k * width }
}

/// Rows read in place: row `k` at `base + offsets[k]`.
@usableFromInline
struct GatheredRows<Scalar>: BRows {
    @usableFromInline let base: UnsafePointer<Scalar>
    @usableFromInline let offsets: UnsafePointer<Int>

    @inlinable @inline(__always)
    init(base: UnsafePointer<Scalar>, offsets: UnsafePointer<Int>) {
        self.base = base
        self.offsets = offsets
    }

    @inlinable @inline(__always)
    func row(_ k: Int) -> UnsafePointer<Scalar> { base + offsets[k] }
}

/// The same with sixteen chains, for 32-register AVX-512: two FMA pipes with a 4-cycle
/// latency need at least eight chains in flight; sixteen leave slack for the scheduler, as
/// `../shared/bench/peak.c` does. Flops: `iterations · 16 · 2 · V.scalarCount`.
@inlinable @inline(__always)
public func fmaThroughput16<V: SIMD>(_ vector: V.Type, iterations: Int) -> V.Scalar
where V.Scalar: BinaryFloatingPoint {
    let x = V(repeating: 0.999_999), y = V(repeating: 1e-7)
    var a0 = V(repeating: 1), a1 = V(repeating: 2), a2 = V(repeating: 3), a3 = V(repeating: 4)
    var a4 = V(repeating: 5), a5 = V(repeating: 6), a6 = V(repeating: 7), a7 = V(repeating: 8)
    var a8 = V(repeating: 9), a9 = V(repeating: 10), a10 = V(repeating: 11), a11 = V(repeating: 12)
    var a12 = V(repeating: 13), a13 = V(repeating: 14), a14 = V(repeating: 15), a15 = V(repeating: 16)
    for _ in 0..<iterations {
        a0 = y.addingProduct(a0, x); a1 = y.addingProduct(a1, x); a2 = y.addingProduct(a2, x); a3 = y.addingProduct(a3, x)
        a4 = y.addingProduct(a4, x); a5 = y.addingProduct(a5, x); a6 = y.addingProduct(a6, x); a7 = y.addingProduct(a7, x)
        a8 = y.addingProduct(a8, x); a9 = y.addingProduct(a9, x); a10 = y.addingProduct(a10, x); a11 = y.addingProduct(a11, x)
        a12 = y.addingProduct(a12, x); a13 = y.addingProduct(a13, x); a14 = y.addingProduct(a14, x); a15 = y.addingProduct(a15, x)
    }
    let low = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    let high = ((a8 + a9) + (a10 + a11)) + ((a12 + a13) + (a14 + a15))
    return (low + high).sum()
}

/// The FMA throughput ceiling: `iterations` rounds of twelve independent multiply-add chains
/// (enough to cover the 4-cycle latency on two FMA ports), as in `../shared/bench/peak.c`.
/// Returns a value that depends on every chain, so no chain can be optimized away.
/// Floating-point operations performed: `iterations · 12 · 2 · V.scalarCount`.
@inlinable @inline(__always)
public func fmaThroughput<V: SIMD>(_ vector: V.Type, fused: Bool, iterations: Int) -> V.Scalar
where V.Scalar: BinaryFloatingPoint {
    let x = V(repeating: 0.999_999), y = V(repeating: 1e-7)
    var a0 = V(repeating: 1), a1 = V(repeating: 2), a2 = V(repeating: 3), a3 = V(repeating: 4)
    var a4 = V(repeating: 5), a5 = V(repeating: 6), a6 = V(repeating: 7), a7 = V(repeating: 8)
    var a8 = V(repeating: 9), a9 = V(repeating: 10), a10 = V(repeating: 11), a11 = V(repeating: 12)
    @inline(__always) func madd(_ acc: V) -> V { fused ? y.addingProduct(acc, x) : acc * x + y }
    for _ in 0..<iterations {
        a0 = madd(a0); a1 = madd(a1); a2 = madd(a2); a3 = madd(a3)
        a4 = madd(a4); a5 = madd(a5); a6 = madd(a6); a7 = madd(a7)
        a8 = madd(a8); a9 = madd(a9); a10 = madd(a10); a11 = madd(a11)
    }
    let total = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
    return total.sum()
}
