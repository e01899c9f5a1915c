import KernelsPortable

/// Conv2d forward and backward as GEMMs on packed panels (see `PackedLayout`).
///
/// Per image `n`, with `col = im2col(x[n])` of shape `CRS × PQ`:
/// ```
/// y[n]  = W · col + b            (K × CRS) · (CRS × PQ)
/// dW   += dy[n] · colᵀ           (K × PQ) · (PQ × CRS)
/// dx[n] = col2im(Wᵀ · dy[n])     (CRS × K) · (K × PQ)
/// db    = Σ_n,p,q dy
/// ```
/// The weights are packed once per call and shared by every image. Each image is copied
/// inside a zero border; where the shape allows (see `gatheredPatches`, `gatheredPatchRows`)
/// the gathered micro-kernel reads `col`'s rows straight from that copy through an offset
/// table, and otherwise the image is unrolled straight into packed panels (`im2colPanels`,
/// `patchPanels`), so no `col` matrix is built for the forward pass or the weight gradient.
/// For stride 1 the input gradient is a forward conv of `dy` with flipped filters
/// (`transposedGeometry`), with no `col` either. The weight gradient runs over patches with
/// channels fastest, `(r, s, c)`, because the image transposed to `H × W × C` then gives
/// each window row as one contiguous run; it is permuted back to `(c, r, s)` once at the
/// end. Images are split across threads (each with its own buffers) when there are enough
/// of them; otherwise images run in turn and each product uses every thread.
public enum Conv2dKernel {
    /// `y = conv(x, weight) + bias`. `bias` may be nil.
    public static func forward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        bias: UnsafePointer<Scalar>?, y: UnsafeMutablePointer<Scalar>,
        instructionSet: InstructionSet = .best, threads: Int = Parallel.threads
    ) {
        forward(
            g, x: x, weight: weight, bias: bias, y: y, use: .convolution(rows: g.k), instructionSet: instructionSet,
            threads: threads)
    }

    /// `forward` with the micro-kernel for `use` (the input gradient's transposed conv has its own).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func forward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        bias: UnsafePointer<Scalar>?, y: UnsafeMutablePointer<Scalar>, use: MicroKernelUse,
        instructionSet: InstructionSet, threads: Int
    ) {
        let kernel = Scalar.gemmMicroKernel(for: instructionSet, use: use)
        let pq = g.p * g.q
        let weights = PackedLayout(count: g.k, depth: g.patchSize, width: kernel.panelHeight)
        let patches = PackedLayout(count: pq, depth: g.patchSize, width: kernel.panelWidth)
        let packedW = UnsafeMutablePointer<Scalar>.allocate(capacity: weights.size)
        defer { packedW.deallocate() }
        PackedGEMM.pack(
            weights, transposed: false, source: weight, ld: g.patchSize,
            alongRows: true, into: packedW)
        let windows = windowOffsets(g)
        windows.withUnsafeBufferPointer { windows in
            let shared = UncheckedSendable((x, bias, y, packedW, windows.baseAddress!))
            forEachImageGroup(g, threads: threads) { images, threads in
                let (x, bias, y, packedW, windows) = shared.value
                let padded: UnsafeMutablePointer<Scalar> = scratch(g.c * paddedSize(g), zeroed: true)
                defer { padded.deallocate() }
                let gathered: GatheredOperand<Scalar>? = gatheredPatches(
                    g, lanes: kernel.lanes, padded: padded, windows: windows)
                let packedX: UnsafeMutablePointer<Scalar> = scratch(gathered == nil ? patches.size : 1)
                defer { packedX.deallocate() }
                for i in images {
                    copyIntoBorder(g, x + i * g.c * g.h * g.w, padded)
                    let yi = y + i * g.k * pq
                    if let bias {
                        for kk in 0..<g.k { (yi + kk * pq).update(repeating: bias[kk], count: pq) }
                    }
                    if let gathered {
                        PackedGEMM.multiply(
                            a: packedW, weights, gathered: gathered, c: yi, ldc: pq,
                            accumulate: bias != nil, kernel: kernel, threads: threads)
                    } else {
                        im2colPanels(g, padded: padded, windows: windows, patches, into: packedX)
                        PackedGEMM.multiply(
                            a: packedW, weights, b: packedX, patches, c: yi, ldc: pq,
                            accumulate: bias != nil, kernel: kernel, threads: threads)
                    }
                }
            }
        }
    }

    /// Gradients of `y = conv(x, weight) + bias` given `dy`. Each of `dx`, `dWeight`, `dBias`
    /// may be nil to skip it; those given are overwritten (not accumulated).
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func backward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        dy: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>?,
        dWeight: UnsafeMutablePointer<Scalar>?, dBias: UnsafeMutablePointer<Scalar>?,
        instructionSet: InstructionSet = .best, threads: Int = Parallel.threads
    ) {
        if let dx { inputGradient(g, weight: weight, dy: dy, dx: dx, instructionSet: instructionSet, threads: threads) }
        if let dWeight {
            // The bias sums ride along while each image's dy is in cache.
            weightGradient(g, x: x, dy: dy, dWeight: dWeight, dBias: dBias, instructionSet: instructionSet, threads: threads)
        } else if let dBias {
            biasGradient(g, dy: dy, dBias: dBias, threads: threads)
        }
    }

    /// `db[k] = Σ_n,p,q dy[n, k, p, q]`; filters are shared out across threads.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func biasGradient<Scalar: KernelScalar>(
        _ g: ConvGeometry, dy: UnsafePointer<Scalar>, dBias: UnsafeMutablePointer<Scalar>, threads: Int
    ) {
        let pq = g.p * g.q
        let shared = UncheckedSendable((dy, dBias))
        let parts = min(g.k, threads)
        Parallel.forEach(parts) { t in
            let (dy, dBias) = shared.value
            for kk in Parallel.split(g.k, parts: parts)[t] {
                var total: Scalar = 0
                for i in 0..<g.n { total += rowSum(dy + (i * g.k + kk) * pq, pq) }
                dBias[kk] = total
            }
        }
    }

    /// `sums[k] += Σ_{p,q} dyi[k, p, q]` for one image's `K` rows of `PQ` values.
    @inline(__always)
    static func addFilterSums<Scalar: KernelScalar>(
        _ dyi: UnsafePointer<Scalar>, _ k: Int, _ pq: Int, into sums: UnsafeMutablePointer<Scalar>
    ) {
        for kk in 0..<k { sums[kk] += rowSum(dyi + kk * pq, pq) }
    }

    /// `Σ row[0..<count]`, with eight running sums so the additions pipeline instead of
    /// waiting on one accumulator.
    @inline(__always)
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func rowSum<Scalar: KernelScalar>(_ row: UnsafePointer<Scalar>, _ count: Int) -> Scalar {
        var lanes = SIMD8<Scalar>(repeating: 0)
        var j = 0
        while j + 8 <= count {
            lanes += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Scalar>.self)
            j += 8
        }
        var total = lanes.sum()
        while j < count { total += row[j]; j += 1 }
        return total
    }

    /// `dx[n] = col2im(Wᵀ · dy[n])`; a pointwise conv writes the product straight into `dx`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func inputGradient<Scalar: KernelScalar>(
        _ g: ConvGeometry, weight: UnsafePointer<Scalar>, dy: UnsafePointer<Scalar>,
        dx: UnsafeMutablePointer<Scalar>, instructionSet: InstructionSet, threads: Int
    ) {
        if let transposed = transposedGeometry(g),
            padsLittle(rows: g.c, kernel: Scalar.gemmMicroKernel(for: instructionSet, use: .transposedConvolution))
        {
            // A forward conv of dy with the flipped filters: no col buffer, no col2im.
            let flipped = UnsafeMutablePointer<Scalar>.allocate(capacity: g.k * g.patchSize)
            defer { flipped.deallocate() }
            flipFilters(g, weight, into: flipped)
            forward(
                transposed, x: dy, weight: flipped, bias: nil, y: dx, use: .transposedConvolution,
                instructionSet: instructionSet, threads: threads)
            return
        }
        let crs = g.patchSize, pq = g.p * g.q
        let kernel = Scalar.gemmMicroKernel(for: instructionSet, use: .convolution(rows: crs))
        let weightsT = PackedLayout(count: crs, depth: g.k, width: kernel.panelHeight)
        let gradients = PackedLayout(count: pq, depth: g.k, width: kernel.panelWidth)
        let packedW = UnsafeMutablePointer<Scalar>.allocate(capacity: weightsT.size)
        defer { packedW.deallocate() }
        PackedGEMM.pack(
            weightsT, transposed: true, source: weight, ld: crs, alongRows: true,
            into: packedW)
        let shared = UncheckedSendable((dy, dx, packedW))
        forEachImageGroup(g, threads: threads) { images, threads in
            let (dy, dx, packedW) = shared.value
            let packedDy: UnsafeMutablePointer<Scalar> = scratch(gradients.size)
            defer { packedDy.deallocate() }
            let col: UnsafeMutablePointer<Scalar> = scratch(isPointwise(g) ? 1 : crs * pq)
            defer { col.deallocate() }
            let padded: UnsafeMutablePointer<Scalar> = scratch(isPointwise(g) ? 1 : g.c * paddedSize(g))
            defer { padded.deallocate() }
            for i in images {
                PackedGEMM.pack(
                    gradients, transposed: false, source: dy + i * g.k * pq,
                    ld: pq, alongRows: false, into: packedDy)
                let dxi = dx + i * g.c * g.h * g.w
                let target = isPointwise(g) ? dxi : col
                PackedGEMM.multiply(
                    a: packedW, weightsT, b: packedDy, gradients, c: target, ldc: pq,
                    accumulate: false, kernel: kernel, threads: threads)
                if !isPointwise(g) { col2im(g, col, dxi, padded: padded) }
            }
        }
    }

    /// For stride 1, the input gradient is itself a convolution: of `dy` (`K` channels of
    /// `P × Q`), padded by `dilation·(R − 1) − pad`, with `C` filters of `K × R × S`
    /// (`flipFilters`), giving `H × W`. Nil when the stride is not 1 or the padding exceeds
    /// the window.
    static func transposedGeometry(_ g: ConvGeometry) -> ConvGeometry? {
        let padR = g.dilation * (g.r - 1) - g.pad, padS = g.dilation * (g.s - 1) - g.pad
        guard g.stride == 1, padR >= 0, padR == padS else { return nil }
        let t = ConvGeometry(
            n: g.n, c: g.k, h: g.p, w: g.q, k: g.c, r: g.r, s: g.s,
            stride: 1, pad: padR, dilation: g.dilation)
        return t.p == g.h && t.q == g.w ? t : nil
    }

    /// `flipped[c, k, r, s] = weight[k, c, R−1−r, S−1−s]`: each filter tap turned around and
    /// input and output channels swapped.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func flipFilters<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ weight: UnsafePointer<Scalar>, into flipped: UnsafeMutablePointer<Scalar>
    ) {
        let taps = g.r * g.s
        for kk in 0..<g.k {
            for c in 0..<g.c {
                let from = weight + (kk * g.c + c) * taps, to = flipped + (c * g.k + kk) * taps
                for t in 0..<taps { to[t] = from[taps - 1 - t] }
            }
        }
    }

    /// `dW = Σ_n dy[n] · patches(x[n])`, over patches ordered `(r, s, c)`; each image group
    /// keeps a partial sum, and the partials are added in group order (reproducible for a
    /// given thread count) and permuted to `K × C × R × S`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func weightGradient<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, dy: UnsafePointer<Scalar>,
        dWeight: UnsafeMutablePointer<Scalar>, dBias: UnsafeMutablePointer<Scalar>?, instructionSet: InstructionSet, threads: Int
    ) {
        let kernel = Scalar.gemmMicroKernel(for: instructionSet, use: .convolution(rows: g.k))
        let crs = g.patchSize, pq = g.p * g.q, chw = g.c * g.h * g.w
        let gradients = PackedLayout(count: g.k, depth: pq, width: kernel.panelHeight)
        let patches = PackedLayout(count: crs, depth: pq, width: kernel.panelWidth)
        let groups = imageGroups(g, threads: threads)
        let partials = UnsafeMutablePointer<Scalar>.allocate(capacity: groups.ranges.count * g.k * crs)
        defer { partials.deallocate() }
        let biasPartials = UnsafeMutablePointer<Scalar>.allocate(capacity: groups.ranges.count * g.k)
        defer { biasPartials.deallocate() }
        biasPartials.update(repeating: 0, count: groups.ranges.count * g.k)
        // Gradients read in place when they fill whole panels and the kernel reads A in place
        // as fast as packed, else packed.
        let dyInPlace = g.k % kernel.panelHeight == 0 && kernel.readsAInPlaceWell
        let corners = cornerOffsets(g)
        corners.withUnsafeBufferPointer { corners in
            let shared = UncheckedSendable((x, dy, partials, biasPartials, corners.baseAddress!))
            Parallel.forEach(groups.ranges.count) { t in
                let (x, dy, partials, biasPartials, corners) = shared.value
                let dW = partials + t * g.k * crs
                let padded: UnsafeMutablePointer<Scalar> = scratch(g.c * paddedSize(g), zeroed: true)
                defer { padded.deallocate() }
                let gathered: GatheredOperand<Scalar>? = gatheredPatchRows(
                    g, lanes: kernel.lanes, padded: padded, corners: corners)
                let packedX: UnsafeMutablePointer<Scalar> = scratch(gathered == nil ? patches.size : 1)
                defer { packedX.deallocate() }
                let packedDy: UnsafeMutablePointer<Scalar> = scratch(dyInPlace ? 1 : gradients.size)
                defer { packedDy.deallocate() }
                for (index, i) in groups.ranges[t].enumerated() {
                    copyChannelsLastIntoBorder(g, x + i * chw, padded)
                    let dyi = dy + i * g.k * pq
                    if dBias != nil { addFilterSums(dyi, g.k, pq, into: biasPartials + t * g.k) }
                    if !dyInPlace {
                        PackedGEMM.pack(
                            gradients, transposed: false, source: dyi, ld: pq,
                            alongRows: true, into: packedDy)
                    }
                    let a = dyInPlace ? dyi : UnsafePointer(packedDy), lda = dyInPlace ? pq : nil
                    if let gathered {
                        PackedGEMM.multiply(
                            a: a, gradients, lda: lda, gathered: gathered, c: dW, ldc: crs,
                            accumulate: index > 0, kernel: kernel,
                            threads: groups.gemmThreads)
                    } else {
                        patchPanels(g, paddedChannelsLast: padded, corners: corners, patches, into: packedX)
                        PackedGEMM.multiply(
                            a: a, gradients, lda: lda, b: packedX, patches, c: dW, ldc: crs,
                            accumulate: index > 0, kernel: kernel,
                            threads: groups.gemmThreads)
                    }
                }
            }
        }
        // Sum the partials, then reorder each filter from (r, s, c) to (c, r, s).
        for t in 1..<max(1, groups.ranges.count) {
            let part = partials + t * g.k * crs
            for j in 0..<(g.k * crs) { partials[j] += part[j] }
            for kk in 0..<g.k { biasPartials[kk] += biasPartials[t * g.k + kk] }
        }
        dBias?.update(from: biasPartials, count: g.k)
        let taps = g.r * g.s
        for kk in 0..<g.k {
            let from = partials + kk * crs, to = dWeight + kk * crs
            for tap in 0..<taps {
                for c in 0..<g.c { to[c * taps + tap] = from[tap * g.c + c] }
            }
        }
    }

    /// The adjoint of im2col: adds each `col` entry (`CRS × PQ`) back to the input pixel it
    /// came from; `x` (`C × H × W`) is overwritten. `padded` is scratch for the image inside
    /// its border (`C × (H + 2·pad) × (W + 2·pad)`), so every add is in bounds and each
    /// output row's `Q` entries are one vector run.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func col2im<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ col: UnsafePointer<Scalar>, _ x: UnsafeMutablePointer<Scalar>,
        padded: UnsafeMutablePointer<Scalar>
    ) {
        let (hp, wp) = paddedExtent(g)
        let P = g.p, Q = g.q, stride = g.stride
        padded.update(repeating: 0, count: g.c * hp * wp)
        var src = col
        for c in 0..<g.c {
            for r in 0..<g.r {
                for s in 0..<g.s {
                    let window = padded + (c * hp + r * g.dilation) * wp + s * g.dilation
                    for p in 0..<P {
                        let dst = window + p * stride * wp
                        if stride == 1 {
                            addRun(dst, src, Q)
                        } else {
                            for q in 0..<Q { dst[q * stride] += src[q] }
                        }
                        src += Q
                    }
                }
            }
        }
        for c in 0..<g.c {
            for row in 0..<g.h {
                copyRun(x + (c * g.h + row) * g.w, padded + (c * hp + row + g.pad) * wp + g.pad, g.w)
            }
        }
    }

    /// Whether the rows `kernel` computes for an `A` of `rows` rows add at most a third of
    /// padding. The transposed input gradient has the image's channels as rows: 32 channels
    /// compute 32 or 34 rows, 3 channels compute 4 (a pass of four), and even so the
    /// transposed conv beats the col2im path (conv1's input gradient 11.8 → 4.8 ms at one
    /// thread, 6.5 → 2.6 ms at two, on a Zen 3 core). With 1 or 2 channels (4 rows) the
    /// micro-kernel would mostly multiply padding, and col2im is kept.
    static func padsLittle<Scalar>(rows: Int, kernel: GEMMMicroKernel<Scalar>) -> Bool {
        3 * kernel.rowsComputed(rows) <= 4 * rows
    }

    static func isPointwise(_ g: ConvGeometry) -> Bool {
        g.r == 1 && g.s == 1 && g.stride == 1 && g.pad == 0
    }

    /// Values in one padded input plane.
    static func paddedSize(_ g: ConvGeometry) -> Int {
        let (hp, wp) = paddedExtent(g)
        return hp * wp
    }

    /// Scratch memory for one image group (at least one value, so it can always be freed);
    /// `zeroed` for padded images, whose border must stay zero.
    static func scratch<Scalar: KernelScalar>(_ count: Int, zeroed: Bool = false) -> UnsafeMutablePointer<Scalar> {
        let buffer = UnsafeMutablePointer<Scalar>.allocate(capacity: max(1, count))
        if zeroed { buffer.update(repeating: 0, count: max(1, count)) }
        return buffer
    }

    /// How images are shared out: contiguous groups, one per thread, each GEMM
    /// single-threaded; or, with fewer images than threads, one group whose GEMMs use all.
    static func imageGroups(_ g: ConvGeometry, threads: Int) -> (ranges: [Range<Int>], gemmThreads: Int) {
        if g.n >= threads && threads > 1 {
            return (Parallel.split(g.n, parts: threads), 1)
        }
        return ([0..<g.n], threads)
    }

    static func forEachImageGroup(_ g: ConvGeometry, threads: Int, _ body: (Range<Int>, Int) -> Void) {
        let groups = imageGroups(g, threads: threads)
        Parallel.forEach(groups.ranges.count) { t in body(groups.ranges[t], groups.gemmThreads) }
    }
}
