import KernelsPortable

/// General matrix multiply on row-major buffers, cache-blocked, SIMD and multithreaded.
///
/// Shapes: `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `op(X)` is `Xᵀ` when the
/// matching `trans` flag is set. Leading dimensions are row strides of the stored matrices.
///
/// ```
/// C ← alpha · op(A) · op(B) + beta · C
/// ```
///
/// Blocking follows Goto and van de Geijn (sizes from `GEMMBlocking`, derived from the
/// caches read at run time): a `kc × nc` block of `B` is packed into `NR`-wide panels, `A`
/// into `MR`-tall ones, and the micro-kernel for the active instruction set sweeps `MR × NR`
/// tiles of `C`, keeping one `A` micro-panel in L1 while the `B` block streams past it from
/// L2. With more than one thread, `C` is split into row (or column) bands, each multiplied
/// independently.
///
/// When `beta` is zero, `C` is only written, never read (it may hold NaN).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
public func gemm<Scalar: KernelScalar>(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    alpha: Scalar = 1, a: UnsafePointer<Scalar>, lda: Int,
    b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar = 0, c: UnsafeMutablePointer<Scalar>, ldc: Int,
    threads: Int = Parallel.threads, instructionSet: InstructionSet = .best
) {
    if m == 0 || n == 0 { return }
    let kernel = Scalar.gemmMicroKernel(for: instructionSet)
    let work = Double(m) * Double(n) * Double(k)
    let usable = work < 96 * 96 * 96 ? 1 : threads
    if usable <= 1 {
        gemmBlock(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, kernel: kernel)
        return
    }
    let shared = UncheckedSendable((a, b, c))
    if m >= n {
        let bands = Parallel.split(m, parts: usable, align: kernel.panelHeight)
        Parallel.forEach(bands.count) { t in
            let (a, b, c) = shared.value
            let rows = bands[t]
            let aStart = transA ? a + rows.lowerBound : a + rows.lowerBound * lda
            gemmBlock(
                transA: transA, transB: transB, m: rows.count, n: n, k: k, alpha: alpha,
                a: aStart, lda: lda, b: b, ldb: ldb, beta: beta,
                c: c + rows.lowerBound * ldc, ldc: ldc, kernel: kernel)
        }
    } else {
        let bands = Parallel.split(n, parts: usable, align: kernel.panelWidth)
        Parallel.forEach(bands.count) { t in
            let (a, b, c) = shared.value
            let cols = bands[t]
            let bStart = transB ? b + cols.lowerBound * ldb : b + cols.lowerBound
            gemmBlock(
                transA: transA, transB: transB, m: m, n: cols.count, k: k, alpha: alpha,
                a: a, lda: lda, b: bStart, ldb: ldb, beta: beta,
                c: c + cols.lowerBound, ldc: ldc, kernel: kernel)
        }
    }
}

/// One thread's GEMM on one band of `C`.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func gemmBlock<Scalar: KernelScalar>(
    transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Scalar,
    a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
    beta: Scalar, c: UnsafeMutablePointer<Scalar>, ldc: Int, kernel: GEMMMicroKernel<Scalar>,
    rowsOfPackedA: Int? = nil
) {
    if k == 0 || alpha == 0 || (beta != 0 && beta != 1) {
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else if beta != 1 {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }
    if k == 0 || alpha == 0 { return }
    // With beta = 0 the first depth block overwrites C instead of adding to it.
    let overwriteFirst = beta == 0
    let mr = kernel.panelHeight, nr = kernel.panelWidth
    let blocking = kernel.blocking
    // Whole tiles, whatever an override asked for.
    let kcMax = min(max(1, blocking.depth), k)
    let mcMax = min(max(mr, blocking.rows / mr * mr), (m + mr - 1) / mr * mr)
    let ncMax = min(max(nr, blocking.columns / nr * nr), (n + nr - 1) / nr * nr)
    // A is packed once per depth block for a run of rows whose panels fill at most a quarter
    // of L3 (all of A, for the course's shapes), and reused by every column block: packing it
    // inside the column loop repeated the work n / nc times (8 times for 1024³ with a 512 KiB L2).
    // `rowsOfPackedA` sets the run (tests).
    let chunkRows =
        rowsOfPackedA.map { max(mr, $0 / mr * mr) }
        ?? max(mcMax, CacheSizes.current.l3 / (4 * kcMax * MemoryLayout<Scalar>.size) / mcMax * mcMax)
    let mChunkMax = min(chunkRows, (m + mr - 1) / mr * mr)
    let packedA = UnsafeMutablePointer<Scalar>.allocate(capacity: mChunkMax * kcMax)
    let packedB = UnsafeMutablePointer<Scalar>.allocate(capacity: kcMax * ncMax)
    defer {
        packedA.deallocate()
        packedB.deallocate()
    }
    for i0 in stride(from: 0, to: m, by: mChunkMax) {
        let mChunk = min(mChunkMax, m - i0)
        for pc in stride(from: 0, to: k, by: kcMax) {
            let kc = min(kcMax, k - pc)
            packPanels(
                transposed: transA, source: a, ld: lda, depthStart: pc, depth: kc,
                start: i0, count: mChunk, width: mr, into: packedA, alongRows: true)
            let accumulate = !(overwriteFirst && pc == 0)
            for jc in stride(from: 0, to: n, by: ncMax) {
                let nc = min(ncMax, n - jc)
                packPanels(
                    transposed: transB, source: b, ld: ldb, depthStart: pc, depth: kc,
                    start: jc, count: nc, width: nr, into: packedB, alongRows: false)
                // Each A micro-panel stays in L1 while the B block streams from L2. (Keeping a
                // B micro-panel in L1 and streaming A instead, as BLIS does, measured slower
                // for the 6 × 16 AVX2 tile: SGEMM 1024³ 53 against 39 ms, medians of three.)
                for ir in stride(from: 0, to: mChunk, by: mr) {
                    let aPanel = packedA + (ir / mr) * kc * mr
                    for jr in stride(from: 0, to: nc, by: nr) {
                        kernel.body(
                            kc, aPanel, packedB + (jr / nr) * kc * nr,
                            c + (i0 + ir) * ldc + jc + jr, ldc, alpha, accumulate,
                            min(mr, mChunk - ir), min(nr, nc - jr))
                    }
                }
            }
        }
    }
}

/// Packs `count` rows of `A` (`alongRows`) or columns of `B` into panels `width` wide,
/// zero-padded, each panel laid out depth-major: `panel[p · width + i]`.
///
/// For `A` (`alongRows`): element `(i, p)` is `source[i·ld + p]`, or `source[p·ld + i]`
/// when transposed. For `B`: element `(p, j)` is `source[p·ld + j]`, or `source[j·ld + p]`
/// when transposed.
///
/// A 6-wide panel copied from adjacent entries (the AVX2 tile's `A` panel of a transposed
/// `A`) gets its own copy of the loops with the width a constant, and each panel row is
/// loaded whole before it is stored (as an element loop the compiler kept six scalar moves,
/// since the panel might overlap the source); the transposing copy loads each row's eight
/// values as one vector. Xᵀ · dH of the two-layer net (3072 × 200 · 200 × 50) median
/// 2.56–2.70 → 2.33–2.51 ms with the constant width, then 1.65 → 1.56–1.57 ms with the whole
/// loads, and X · W₁ 1.41–1.58 → 1.36–1.55 ms with the vector load (300 calls each,
/// interleaved in one process on a Zen 3 core, two runs each). Other constant widths
/// measured no gain.
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
@inline(__always)
func packPanels<Scalar: KernelScalar>(
    transposed: Bool, source: UnsafePointer<Scalar>, ld: Int, depthStart: Int, depth: Int,
    start: Int, count: Int, width: Int, into panel: UnsafeMutablePointer<Scalar>, alongRows: Bool
) {
    @inline(__always) func pack(_ fixedWidth: Int) {
        packPanelsLoops(
            transposed: transposed, source: source, ld: ld, depthStart: depthStart, depth: depth,
            start: start, count: count, width: fixedWidth, into: panel, alongRows: alongRows)
    }
    if alongRows == transposed && width == 6 { pack(6) } else { pack(width) }
}

/// `packPanels`' loops, inlined where `width` is a constant.
@inline(__always)
func packPanelsLoops<Scalar: KernelScalar>(
    transposed: Bool, source: UnsafePointer<Scalar>, ld: Int, depthStart: Int, depth: Int,
    start: Int, count: Int, width: Int, into panel: UnsafeMutablePointer<Scalar>, alongRows: Bool
) {
    // Whether consecutive panel entries (i, i+1 at one depth) are adjacent in memory.
    let contiguousAcross = alongRows == transposed
    var out = panel
    for i0 in stride(from: 0, to: count, by: width) {
        let w = min(width, count - i0)
        if contiguousAcross {
            // Plain element loops: each copy is only `width` (8–32) elements, too short for a
            // call to memmove to pay off; the compiler turns these into vector moves.
            if w == width && width == 6 {
                // Loaded whole before the stores: as an element loop the compiler kept six
                // scalar moves, since the panel might overlap the source.
                for p in 0..<depth {
                    let src = UnsafeRawPointer(source + (depthStart + p) * ld + start + i0)
                    let low = src.loadUnaligned(as: SIMD4<Scalar>.self)
                    let high = src.loadUnaligned(fromByteOffset: 4 * MemoryLayout<Scalar>.stride, as: SIMD2<Scalar>.self)
                    let dst = UnsafeMutableRawPointer(out)
                    dst.storeBytes(of: low, as: SIMD4<Scalar>.self)
                    dst.storeBytes(of: high, toByteOffset: 4 * MemoryLayout<Scalar>.stride, as: SIMD2<Scalar>.self)
                    out += width
                }
            } else if w == width {
                for p in 0..<depth {
                    let src = source + (depthStart + p) * ld + start + i0
                    for j in 0..<width { out[j] = src[j] }
                    out += width
                }
            } else {
                for p in 0..<depth {
                    let src = source + (depthStart + p) * ld + start + i0
                    for j in 0..<w { out[j] = src[j] }
                    for j in w..<width { out[j] = 0 }
                    out += width
                }
            }
        } else {
            // A transposing copy, done in 8-deep strips: for each row the eight reads are
            // adjacent, and the panel's writes stay within eight cache lines.
            let base = source + (start + i0) * ld + depthStart
            var p0 = 0
            while p0 + 8 <= depth {
                for i in 0..<w {
                    let dst = out + p0 * width + i
                    // One vector load of the row's eight values, then the eight stores.
                    let v = UnsafeRawPointer(base + i * ld + p0).loadUnaligned(as: SIMD8<Scalar>.self)
                    dst[0] = v[0]; dst[width] = v[1]; dst[2 * width] = v[2]; dst[3 * width] = v[3]
                    dst[4 * width] = v[4]; dst[5 * width] = v[5]; dst[6 * width] = v[6]; dst[7 * width] = v[7]
                }
                p0 += 8
            }
            for i in 0..<w {
                let src = base + i * ld
                for p in p0..<depth { out[p * width + i] = src[p] }
            }
            if w < width {
                for p in 0..<depth { (out + p * width + w).update(repeating: 0, count: width - w) }
            }
            out += depth * width
        }
    }
}
