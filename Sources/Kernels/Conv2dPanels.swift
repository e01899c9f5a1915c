/// Unrolling one image straight into packed GEMM panels (see `PackedLayout`), so conv's
/// operands are written once instead of unrolled into a matrix and then packed.
extension Conv2dKernel {
    /// Input rows and columns with the zero border: `H + 2·pad` by `W + 2·pad`.
    static func paddedExtent(_ g: ConvGeometry) -> (h: Int, w: Int) {
        (g.h + 2 * g.pad, g.w + 2 * g.pad)
    }

    /// Copies image `x` (`C × H × W`) inside the zero border of `padded`
    /// (`C × (H + 2·pad) × (W + 2·pad)`), whose border must already be zero.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func copyIntoBorder<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ x: UnsafePointer<Scalar>, _ padded: UnsafeMutablePointer<Scalar>
    ) {
        let (hp, wp) = paddedExtent(g)
        for c in 0..<g.c {
            for row in 0..<g.h {
                let src = x + (c * g.h + row) * g.w
                let dst = padded + (c * hp + row + g.pad) * wp + g.pad
                for t in 0..<g.w { dst[t] = src[t] }
            }
        }
    }

    /// Copies image `x` (`C × H × W`) transposed to channels-last inside the zero border of
    /// `padded` (`(H + 2·pad) × (W + 2·pad) × C`), whose border must already be zero.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func copyChannelsLastIntoBorder<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ x: UnsafePointer<Scalar>, _ padded: UnsafeMutablePointer<Scalar>
    ) {
        let wp = paddedExtent(g).w, C = g.c, hw = g.h * g.w
        // Pixel by pixel, so the writes run straight through the destination; the reads
        // step across the C planes, one cache line per plane row.
        for row in 0..<g.h {
            var dst = padded + ((row + g.pad) * wp + g.pad) * C
            var src = x + row * g.w
            for _ in 0..<g.w {
                var plane = src
                for c in 0..<C {
                    dst[c] = plane.pointee
                    plane += hw
                }
                dst += C
                src += 1
            }
        }
    }

    /// Where depth `d = (c, r, s)`'s window starts in the padded image (`C × H' × W'`),
    /// relative to output pixel (0, 0).
    static func windowOffsets(_ g: ConvGeometry) -> [Int] {
        let (hp, wp) = paddedExtent(g)
        var offsets: [Int] = []
        offsets.reserveCapacity(g.patchSize)
        for c in 0..<g.c {
            for r in 0..<g.r {
                for s in 0..<g.s { offsets.append((c * hp + r * g.dilation) * wp + s * g.dilation) }
            }
        }
        return offsets
    }

    /// Where output pixel `d = (p, q)`'s window starts in the padded channels-last image
    /// (`H' × W' × C`).
    static func cornerOffsets(_ g: ConvGeometry) -> [Int] {
        let wp = paddedExtent(g).w
        var offsets: [Int] = []
        offsets.reserveCapacity(g.p * g.q)
        for p in 0..<g.p {
            for q in 0..<g.q { offsets.append((p * g.stride * wp + q * g.stride) * g.c) }
        }
        return offsets
    }

    /// The forward `B` operand read in place from the padded image, when it can be: stride 1
    /// and whole vectors of output pixels within a row (`Q` a multiple of the vector width,
    /// `PQ` of the panel width). Panel `j`'s two vectors are pixels `j·NR ..< j·NR + L` and
    /// the next `L`; each starts at its pixel's place in the padded image.
    static func gatheredPatches<Scalar>(
        _ g: ConvGeometry, lanes: Int, padded: UnsafePointer<Scalar>, windows: UnsafePointer<Int>
    ) -> GatheredOperand<Scalar>? {
        let nr = 2 * lanes, pq = g.p * g.q, wp = paddedExtent(g).w
        guard g.stride == 1, g.q % lanes == 0, pq % nr == 0 else { return nil }
        @inline(__always) func place(_ e: Int) -> Int { (e / g.q) * wp + e % g.q }
        let starts = (0..<(pq / nr)).map { place($0 * nr) }
        let seconds = (0..<(pq / nr)).map { place($0 * nr + lanes) - place($0 * nr) }
        return GatheredOperand(
            base: padded, panelStarts: starts, panelSeconds: seconds,
            offsets: windows)
    }

    /// The weight-gradient `B` operand (patches ordered `(r, s, c)` over pixels) read in place
    /// from the padded channels-last image, when every panel's `NR` columns are adjacent
    /// there: `C` a multiple of `NR`, or dilation 1 and `S·C` a multiple of `NR` (a window
    /// row is then one run).
    static func gatheredPatchRows<Scalar>(
        _ g: ConvGeometry, lanes: Int, padded: UnsafePointer<Scalar>, corners: UnsafePointer<Int>
    ) -> GatheredOperand<Scalar>? {
        let nr = 2 * lanes, wp = paddedExtent(g).w
        guard g.c % nr == 0 || (g.dilation == 1 && (g.s * g.c) % nr == 0) else { return nil }
        let starts = (0..<(g.patchSize / nr)).map { j in
            let first = j * nr, tap = first / g.c, c = first % g.c
            let r = tap / g.s, s = tap % g.s
            return (r * g.dilation * wp + s * g.dilation) * g.c + c
        }
        return GatheredOperand(
            base: padded, panelStarts: starts,
            panelSeconds: Array(repeating: lanes, count: starts.count),
            offsets: corners)
    }

    /// The forward `B` operand: `im2col(x)` (`CRS × PQ`) as `PQ` columns of depth `CRS`.
    /// Entry `(d = (c, r, s), j = (p, q))` is `x[c, p·stride − pad + r·dilation,
    /// q·stride − pad + s·dilation]`, or 0 outside the image; `padded` is the image inside
    /// its zero border (`copyIntoBorder`), so every read is in bounds and branch-free, and
    /// `windows` is `windowOffsets(g)`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func im2colPanels<Scalar: KernelScalar>(
        _ g: ConvGeometry, padded: UnsafePointer<Scalar>, windows: UnsafePointer<Int>,
        _ layout: PackedLayout, into packed: UnsafeMutablePointer<Scalar>
    ) {
        let wp = paddedExtent(g).w
        let P = g.p, nr = layout.width, stride = g.stride
        // Output row p fills entries p·Q ..< (p+1)·Q: the same panel runs for every depth.
        let runs = PanelRuns(rows: P, length: g.q, width: nr)
        runs.withRuns { rowRuns, rowStarts in
            for block in layout.blocks {
                let panelStride = block.count * nr
                for p in 0..<P {
                    let rowStart = padded + p * stride * wp
                    for run in rowRuns[rowStarts[p]..<rowStarts[p + 1]] {
                        // Down the depths of one panel: the writes are consecutive.
                        var dst =
                            packed + layout.panelOffset(block: block, panel: 0)
                            + run.panel * panelStride + run.lane
                        for d in block {
                            let src = rowStart + windows[d] + run.offset * stride
                            if stride == 1 {
                                copyRun(dst, src, run.count)
                            } else {
                                for t in 0..<run.count { dst[t] = src[t * stride] }
                            }
                            dst += nr
                        }
                    }
                }
                zeroPadding(layout, block, packed)
            }
        }
    }

    /// The weight-gradient `B` operand: the image's patches as `CRS` columns ordered
    /// `(r, s, c)` (channels fastest) over depth `PQ`. Entry `(d = (p, q), j = (r, s, c))` is
    /// `x[c, p·stride − pad + r·dilation, q·stride − pad + s·dilation]`, or 0 outside.
    ///
    /// `padded` is the image channels-last inside its zero border
    /// (`copyChannelsLastIntoBorder`), so each tap is one contiguous run of `C` values, and
    /// with dilation 1 a whole window row, `S · C` values, is one run; `corners` is
    /// `cornerOffsets(g)`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func patchPanels<Scalar: KernelScalar>(
        _ g: ConvGeometry, paddedChannelsLast padded: UnsafePointer<Scalar>,
        corners: UnsafePointer<Int>, _ layout: PackedLayout, into packed: UnsafeMutablePointer<Scalar>
    ) {
        let wp = paddedExtent(g).w
        let C = g.c, nr = layout.width
        let merged = g.dilation == 1
        // Each run source: window row r (merged) or tap (r, s), with its entries' start.
        let pieces = merged ? g.r : g.r * g.s
        let runs = PanelRuns(rows: pieces, length: merged ? g.s * C : C, width: nr)
        runs.withRuns { pieceRuns, pieceStarts in
            for block in layout.blocks {
                let panelStride = block.count * nr
                for piece in 0..<pieces {
                    let r = merged ? piece : piece / g.s, s = merged ? 0 : piece % g.s
                    let src = padded + (r * g.dilation * wp + s * g.dilation) * C
                    for run in pieceRuns[pieceStarts[piece]..<pieceStarts[piece + 1]] {
                        // Down the depths (pixels) of one panel: the writes are consecutive.
                        var dst =
                            packed + layout.panelOffset(block: block, panel: 0)
                            + run.panel * panelStride + run.lane
                        for d in block {
                            copyRun(dst, src + corners[d] + run.offset, run.count)
                            dst += nr
                        }
                    }
                }
                zeroPadding(layout, block, packed)
            }
        }
    }

    /// Copies a run of a few dozen values at most: vector moves inline, where the compiler's
    /// own idiom for a copy loop is a call to `memmove` that costs more than the copy.
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func copyRun<Scalar: KernelScalar>(
        _ dst: UnsafeMutablePointer<Scalar>, _ src: UnsafePointer<Scalar>, _ count: Int
    ) {
        var t = 0
        while t + 8 <= count {
            UnsafeMutableRawPointer(dst + t).storeBytes(
                of: UnsafeRawPointer(src + t).loadUnaligned(as: SIMD8<Scalar>.self), as: SIMD8<Scalar>.self)
            t += 8
        }
        if t + 4 <= count {
            UnsafeMutableRawPointer(dst + t).storeBytes(
                of: UnsafeRawPointer(src + t).loadUnaligned(as: SIMD4<Scalar>.self), as: SIMD4<Scalar>.self)
            t += 4
        }
        while t < count {
            dst[t] = src[t]
            t += 1
        }
    }

    /// `dst[0..<count] += src[0..<count]` for a short run, in vector steps.
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func addRun<Scalar: KernelScalar>(
        _ dst: UnsafeMutablePointer<Scalar>, _ src: UnsafePointer<Scalar>, _ count: Int
    ) {
        var t = 0
        while t + 8 <= count {
            let sum =
                UnsafeRawPointer(dst + t).loadUnaligned(as: SIMD8<Scalar>.self)
                + UnsafeRawPointer(src + t).loadUnaligned(as: SIMD8<Scalar>.self)
            UnsafeMutableRawPointer(dst + t).storeBytes(of: sum, as: SIMD8<Scalar>.self)
            t += 8
        }
        while t < count {
            dst[t] += src[t]
            t += 1
        }
    }

    /// Zeroes the entries past `count` in the last panel of `block`.
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func zeroPadding<Scalar: KernelScalar>(
        _ layout: PackedLayout, _ block: Range<Int>, _ packed: UnsafeMutablePointer<Scalar>
    ) {
        let used = layout.count - (layout.panels - 1) * layout.width
        if used == layout.width { return }
        let last = packed + layout.panelOffset(block: block, panel: layout.panels - 1)
        for d in 0..<block.count {
            (last + d * layout.width + used).update(repeating: 0, count: layout.width - used)
        }
    }
}

/// How consecutive rows of `length` entries (row `i` holds entries `i·length ..< (i+1)·length`)
/// fall into panels `width` wide: each row as runs that stay within one panel.
struct PanelRuns {
    struct Run {
        /// The panel and the lane within it where the run starts.
        var panel: Int, lane: Int
        /// The run's first entry within its row, and its length.
        var offset: Int, count: Int
    }
    private var runs: [Run] = []
    /// Row `i`'s runs are `runs[starts[i] ..< starts[i + 1]]`.
    private var starts: [Int] = [0]

    init(rows: Int, length: Int, width: Int) {
        for i in 0..<rows {
            var offset = 0
            while offset < length {
                let j = i * length + offset, lane = j % width
                let count = min(length - offset, width - lane)
                runs.append(Run(panel: j / width, lane: lane, offset: offset, count: count))
                offset += count
            }
            starts.append(runs.count)
        }
    }

    func withRuns<R>(_ body: (UnsafeBufferPointer<Run>, UnsafeBufferPointer<Int>) -> R) -> R {
        runs.withUnsafeBufferPointer { runs in starts.withUnsafeBufferPointer { body(runs, $0) } }
    }
}
