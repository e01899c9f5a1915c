import KernelsPortable

/// A GEMM operand held whole in the micro-kernel's packed layout, so that a caller can build
/// it once (conv weights, shared by every image) or write it straight from its source (an
/// image unrolled by `Conv2dPanels.swift`) instead of materializing a matrix and copying it again.
///
/// The operand has `count` rows of `A` (or columns of `B`) and `depth` entries along the
/// summed dimension. Depth is cut into `blocks` of at most `maximumBlockDepth`; within block
/// `b` (depth `d0 ..< d0 + kc`), panel `i` (entries `i·width ..< (i+1)·width`) is `kc × width`
/// values, depth-major, zero-padded past `count`:
/// ```
/// offset(d, j) = d0 · paddedCount + (j / width) · kc · width + (d − d0) · width + j % width
/// ```
/// where `paddedCount` is `count` rounded up to a multiple of `width`.
public struct PackedLayout: Sendable, Equatable {
    public let count: Int
    public let depth: Int
    public let width: Int
    /// The depth ranges multiplied in one micro-kernel call each.
    public let blocks: [Range<Int>]

    /// Deepest block: GEMM's `kc` for the best float kernel, derived from the caches
    /// (`GEMMBlocking`), so a packed micro-panel stays in L1.
    public static let maximumBlockDepth: Int = {
        Float.gemmMicroKernel(for: .best).blocking.depth
    }()

    public init(count: Int, depth: Int, width: Int) {
        self.count = count
        self.depth = depth
        self.width = width
        let parts = max(1, (depth + Self.maximumBlockDepth - 1) / Self.maximumBlockDepth)
        blocks = Parallel.split(depth, parts: parts)
    }

    public var panels: Int { (count + width - 1) / width }
    public var paddedCount: Int { panels * width }
    /// Values in the packed buffer.
    public var size: Int { max(1, depth * paddedCount) }

    /// The start of block `b`'s panel `panel`.
    @inline(__always)
    public func panelOffset(block b: Range<Int>, panel: Int) -> Int {
        b.lowerBound * paddedCount + panel * b.count * width
    }

    /// Where entry `j` at depth `d` (inside block `b`) lives.
    @inline(__always)
    public func offset(block b: Range<Int>, depth d: Int, entry j: Int) -> Int {
        panelOffset(block: b, panel: j / width) + (d - b.lowerBound) * width + j % width
    }

    /// The block holding depth `d`.
    public func block(containing d: Int) -> Range<Int> {
        blocks.first { $0.contains(d) } ?? blocks[blocks.count - 1]
    }
}

public enum PackedGEMM {
    /// Where `A`'s panel `i` starts within depth block `block`, and the micro-kernel's
    /// `(aStep, aRowStride)` for it: a packed panel (`lda` nil), or eight rows of a row-major
    /// matrix read in place.
    @inline(__always)
    static func leftPanel<Scalar>(
        _ a: UnsafePointer<Scalar>, _ layout: PackedLayout, lda: Int?, panel i: Int, block: Range<Int>
    ) -> (start: UnsafePointer<Scalar>, step: Int, rowStride: Int) {
        if let lda { return (a + i * layout.width * lda + block.lowerBound, 1, lda) }
        return (a + layout.panelOffset(block: block, panel: i), layout.width, 1)
    }

    /// For a product of depth 0: `C ← 0` unless accumulating.
    static func clear<Scalar: KernelScalar>(
        _ c: UnsafeMutablePointer<Scalar>, rows: Int, columns: Int, ldc: Int, accumulate: Bool
    ) {
        if accumulate { return }
        for i in 0..<rows { (c + i * ldc).update(repeating: 0, count: columns) }
    }

    /// Packs a matrix operand whole: `A` (`alongRows`, rows `0..<count`, depth the columns)
    /// or `B` (columns `0..<count`, depth the rows), with the same `transposed` meaning as GEMM.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func pack<Scalar: KernelScalar>(
        _ layout: PackedLayout, transposed: Bool, source: UnsafePointer<Scalar>, ld: Int,
        alongRows: Bool, into packed: UnsafeMutablePointer<Scalar>
    ) {
        for b in layout.blocks {
            packPanels(
                transposed: transposed, source: source, ld: ld, depthStart: b.lowerBound,
                depth: b.count, start: 0, count: layout.count, width: layout.width,
                into: packed + b.lowerBound * layout.paddedCount, alongRows: alongRows)
        }
    }

    /// `C (m × n) ← A · B`, or `C += A · B` when `accumulate`, from whole packed operands
    /// (`a` with `panelHeight`-tall panels, `b` with `panelWidth`-wide ones, equal depths).
    /// Given `lda`, `A` is instead read in place: rows `0..<m` (a multiple of 8) of a
    /// row-major matrix, depth along each row.
    ///
    /// Columns are visited in chunks whose `B` panels fit in L2; within a chunk each `A` panel
    /// stays in L1 while the chunk's `B` panels stream past it. With `threads > 1` the
    /// column panels are shared out.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func multiply<Scalar: KernelScalar>(
        a: UnsafePointer<Scalar>, _ aLayout: PackedLayout, lda: Int? = nil,
        b: UnsafePointer<Scalar>, _ bLayout: PackedLayout,
        c: UnsafeMutablePointer<Scalar>, ldc: Int, accumulate: Bool,
        kernel: GEMMMicroKernel<Scalar>, threads: Int = 1
    ) {
        precondition(aLayout.depth == bLayout.depth && aLayout.blocks == bLayout.blocks)
        precondition(aLayout.width == kernel.panelHeight && bLayout.width == kernel.panelWidth)
        precondition(lda == nil || aLayout.count % aLayout.width == 0)
        let m = aLayout.count, n = bLayout.count
        if m == 0 || n == 0 { return }
        if aLayout.depth == 0 {
            clear(c, rows: m, columns: n, ldc: ldc, accumulate: accumulate)
            return
        }
        // With A read in place, packed B goes through the gathered kernel: row k of a panel
        // is at offset k · NR.
        let rowOffsets = lda == nil ? [] : (0..<PackedLayout.maximumBlockDepth).map { $0 * bLayout.width }
        let shared = UncheckedSendable((a, b, c))
        let bands = Parallel.split(bLayout.panels, parts: threads)
        Parallel.forEach(bands.count) { t in
            let (a, b, c) = shared.value
            let mr = aLayout.width, nr = bLayout.width
            for (index, block) in aLayout.blocks.enumerated() {
                let add = accumulate || index > 0
                let kc = block.count
                // Panels per chunk: about 384 KB of Float B per chunk, well inside L2.
                let chunk = max(1, 98_304 / (kc * nr))
                for j0 in stride(from: bands[t].lowerBound, to: bands[t].upperBound, by: chunk) {
                    let j1 = min(j0 + chunk, bands[t].upperBound)
                    for i in 0..<aLayout.panels {
                        let rows = min(mr, m - i * mr)
                        if lda != nil {
                            let left = leftPanel(a, aLayout, lda: lda, panel: i, block: block)
                            rowOffsets.withUnsafeBufferPointer { offsets in
                                for j in j0..<j1 {
                                    kernel.gathered(
                                        kc, left.start, left.step, left.rowStride,
                                        b + bLayout.panelOffset(block: block, panel: j),
                                        offsets.baseAddress!, nr / 2,
                                        c + i * mr * ldc + j * nr, ldc, 1, add,
                                        rows, min(nr, n - j * nr))
                                }
                            }
                        } else {
                            let aPanel = a + aLayout.panelOffset(block: block, panel: i)
                            for j in j0..<j1 {
                                kernel.body(
                                    kc, aPanel, b + bLayout.panelOffset(block: block, panel: j),
                                    c + i * mr * ldc + j * nr, ldc, 1, add,
                                    rows, min(nr, n - j * nr))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A `B` operand read in place by `gemmMicroKernelGathered` instead of packed: column panel
/// `j`'s row `d` is the vector at `base + panelStarts[j] + offsets[d]` and the one
/// `panelSeconds[j]` values after it. Every panel is full (`count` is a multiple of `NR`).
public struct GatheredOperand<Scalar>: @unchecked Sendable {
    public let base: UnsafePointer<Scalar>
    public let panelStarts: [Int]
    public let panelSeconds: [Int]
    /// One entry per depth.
    public let offsets: UnsafePointer<Int>

    public init(
        base: UnsafePointer<Scalar>, panelStarts: [Int], panelSeconds: [Int],
        offsets: UnsafePointer<Int>
    ) {
        self.base = base; self.panelStarts = panelStarts
        self.panelSeconds = panelSeconds; self.offsets = offsets
    }
}

extension PackedGEMM {
    /// `C (m × n) ← A · B`, or `C += A · B` when `accumulate`, with `B` read in place and `A`
    /// either packed whole (`aLayout`) or, given `lda`, read in place too: rows `0..<m` of a
    /// row-major matrix, depth along each row (`m` a multiple of 8). `aLayout`'s blocks cut
    /// the depth; `n` is `b.panelStarts.count · NR`.
    ///
    /// Each `A` panel sweeps every `B` panel, so consecutive tiles of `C` lie side by side in
    /// the same eight rows. (Visiting `A` panels innermost put consecutive tiles eight rows
    /// apart, which for 4 KB rows means the same L1 sets: conv1's forward ran at 64 GFLOP/s
    /// that way and 74 this way; conv2 is unchanged.)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func multiply<Scalar: KernelScalar>(
        a: UnsafePointer<Scalar>, _ aLayout: PackedLayout, lda: Int? = nil,
        gathered b: GatheredOperand<Scalar>,
        c: UnsafeMutablePointer<Scalar>, ldc: Int, accumulate: Bool,
        kernel: GEMMMicroKernel<Scalar>, threads: Int = 1
    ) {
        precondition(aLayout.width == kernel.panelHeight)
        precondition(lda == nil || aLayout.count % aLayout.width == 0)
        let m = aLayout.count, mr = aLayout.width, nr = kernel.panelWidth
        let panels = b.panelStarts.count
        if m == 0 || panels == 0 { return }
        if aLayout.depth == 0 {
            clear(c, rows: m, columns: panels * nr, ldc: ldc, accumulate: accumulate)
            return
        }
        let shared = UncheckedSendable((a, c))
        let bands = Parallel.split(panels, parts: threads)
        Parallel.forEach(bands.count) { t in
            let (a, c) = shared.value
            for (index, block) in aLayout.blocks.enumerated() {
                let add = accumulate || index > 0
                let offsets = b.offsets + block.lowerBound
                for i in 0..<aLayout.panels {
                    for j in bands[t] {
                        let left = leftPanel(a, aLayout, lda: lda, panel: i, block: block)
                        kernel.gathered(
                            block.count, left.start, left.step, left.rowStride,
                            b.base + b.panelStarts[j], offsets, b.panelSeconds[j],
                            c + i * mr * ldc + j * nr, ldc, 1, add, min(mr, m - i * mr), nr)
                    }
                }
            }
        }
    }
}
