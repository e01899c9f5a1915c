/// Conv2d forward and backward by im2col + GEMM (see `ConvGeometry` for buffer shapes).
///
/// Per image `n`, with `col = im2col(x[n])` of shape `CRS × PQ`:
/// ```
/// y[n]  = W · col + b            (K × CRS) · (CRS × PQ)
/// dW   += dy[n] · colᵀ           (K × PQ) · (PQ × CRS)
/// dx[n] = col2im(Wᵀ · dy[n])     (CRS × K) · (K × PQ)
/// db    = Σ_n,p,q dy
/// ```
/// A 1×1, stride-1, unpadded conv skips im2col: `x[n]` already is `col`. Images are split
/// across threads (each with its own `col` buffer and single-threaded GEMMs) when there are
/// enough of them; otherwise images run in turn and each GEMM uses every thread.
public enum Conv2D {
    /// `y = conv(x, weight) + bias`. `bias` may be nil.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func forward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        bias: UnsafePointer<Scalar>?, y: UnsafeMutablePointer<Scalar>
    ) {
        let crs = g.patchSize, pq = g.p * g.q
        let shared = UncheckedSendable((x, weight, bias, y))
        forEachImageGroup(g) { images, gemmThreads in
            let (x, weight, bias, y) = shared.value
            withColumnBuffer(g, Scalar.self) { col in
                for i in images {
                    let xi = x + i * g.c * g.h * g.w
                    let source = im2colIfNeeded(g, xi, col)
                    let yi = y + i * g.k * pq
                    gemm(m: g.k, n: pq, k: crs, a: weight, lda: crs, b: source, ldb: pq,
                         beta: 0, c: yi, ldc: pq, threads: gemmThreads)
                    if let bias {
                        for kk in 0..<g.k {
                            let row = yi + kk * pq, bk = bias[kk]
                            for j in 0..<pq { row[j] += bk }
                        }
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
        dWeight: UnsafeMutablePointer<Scalar>?, dBias: UnsafeMutablePointer<Scalar>?
    ) {
        let crs = g.patchSize, pq = g.p * g.q
        if let dBias {
            // Eight running sums per filter, so the additions pipeline instead of waiting on
            // one accumulator; filters are shared out across threads.
            let shared = UncheckedSendable((dy, dBias))
            Parallel.forEach(min(g.k, Parallel.threads)) { t in
                let (dy, dBias) = shared.value
                for kk in Parallel.split(g.k, parts: min(g.k, Parallel.threads))[t] {
                    var lanes = SIMD8<Scalar>(repeating: 0)
                    var tail: Scalar = 0
                    for i in 0..<g.n {
                        let row = dy + (i * g.k + kk) * pq
                        var j = 0
                        while j + 8 <= pq {
                            lanes += UnsafeRawPointer(row + j).loadUnaligned(as: SIMD8<Scalar>.self)
                            j += 8
                        }
                        while j < pq { tail += row[j]; j += 1 }
                    }
                    dBias[kk] = lanes.sum() + tail
                }
            }
        }
        if dx == nil && dWeight == nil { return }
        let groups = imageGroups(g)
        // One partial dW per group, summed in group order so results are reproducible.
        let partials = dWeight == nil ? nil
            : UnsafeMutablePointer<Scalar>.allocate(capacity: groups.ranges.count * g.k * crs)
        defer { partials?.deallocate() }
        let shared = UncheckedSendable((x, weight, dy, dx, partials))
        Parallel.forEach(groups.ranges.count) { t in
            let (x, weight, dy, dx, partials) = shared.value
            let images = groups.ranges[t]
            withColumnBuffer(g, Scalar.self) { col in
                let dW = partials.map { $0 + t * g.k * crs }
                dW?.update(repeating: 0, count: g.k * crs)
                for i in images {
                    let dyi = dy + i * g.k * pq
                    if let dW {
                        let xi = x + i * g.c * g.h * g.w
                        let source = im2colIfNeeded(g, xi, col)
                        gemm(transB: true, m: g.k, n: crs, k: pq, a: dyi, lda: pq, b: source,
                             ldb: pq, beta: 1, c: dW, ldc: crs, threads: groups.gemmThreads)
                    }
                    if let dx {
                        let dxi = dx + i * g.c * g.h * g.w
                        if isPointwise(g) {
                            gemm(transA: true, m: crs, n: pq, k: g.k, a: weight, lda: crs,
                                 b: dyi, ldb: pq, beta: 0, c: dxi, ldc: pq,
                                 threads: groups.gemmThreads)
                        } else {
                            gemm(transA: true, m: crs, n: pq, k: g.k, a: weight, lda: crs,
                                 b: dyi, ldb: pq, beta: 0, c: col, ldc: pq,
                                 threads: groups.gemmThreads)
                            col2im(g, col, dxi)
                        }
                    }
                }
            }
        }
        if let dWeight, let partials {
            dWeight.update(from: partials, count: g.k * crs)
            for t in 1..<max(1, groups.ranges.count) {
                let part = partials + t * g.k * crs
                for j in 0..<(g.k * crs) { dWeight[j] += part[j] }
            }
        }
    }

    /// Unrolls one image `C × H × W` into `col`, `CRS × PQ`: row `(c, r, s)`, column `(p, q)`
    /// holds `x[c, p·stride − pad + r·dilation, q·stride − pad + s·dilation]`, or 0 outside.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func im2col<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ x: UnsafePointer<Scalar>, _ col: UnsafeMutablePointer<Scalar>
    ) {
        let P = g.p, Q = g.q
        var out = col
        for c in 0..<g.c {
            let plane = x + c * g.h * g.w
            for r in 0..<g.r {
                for s in 0..<g.s {
                    let dh = r * g.dilation - g.pad, dw = s * g.dilation - g.pad
                    let (q0, q1) = validRange(offset: dw, stride: g.stride, extent: g.w, count: Q)
                    for p in 0..<P {
                        let row = p * g.stride + dh
                        let dst = out + p * Q
                        if row < 0 || row >= g.h {
                            dst.update(repeating: 0, count: Q)
                            continue
                        }
                        if q0 > 0 { dst.update(repeating: 0, count: q0) }
                        let src = plane + row * g.w + dw
                        if g.stride == 1 {
                            (dst + q0).update(from: src + q0, count: q1 - q0)
                        } else {
                            for q in q0..<q1 { dst[q] = src[q * g.stride] }
                        }
                        if q1 < Q { (dst + q1).update(repeating: 0, count: Q - q1) }
                    }
                    out += P * Q
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each `col` entry back to the input pixel it came from;
    /// `x` (`C × H × W`) is overwritten.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func col2im<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ col: UnsafePointer<Scalar>, _ x: UnsafeMutablePointer<Scalar>
    ) {
        let P = g.p, Q = g.q
        x.update(repeating: 0, count: g.c * g.h * g.w)
        var src = col
        for c in 0..<g.c {
            let plane = x + c * g.h * g.w
            for r in 0..<g.r {
                for s in 0..<g.s {
                    let dh = r * g.dilation - g.pad, dw = s * g.dilation - g.pad
                    let (q0, q1) = validRange(offset: dw, stride: g.stride, extent: g.w, count: Q)
                    for p in 0..<P {
                        let row = p * g.stride + dh
                        if row < 0 || row >= g.h { continue }
                        let dst = plane + row * g.w + dw
                        let line = src + p * Q
                        if g.stride == 1 {
                            for q in q0..<q1 { dst[q] += line[q] }
                        } else {
                            for q in q0..<q1 { dst[q * g.stride] += line[q] }
                        }
                    }
                    src += P * Q
                }
            }
        }
    }

    /// The output columns `q0..<q1` whose input column `q·stride + offset` lies in `0..<extent`.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, extent: Int, count: Int) -> (Int, Int) {
        // q·stride + offset ≥ 0  ⇔  q ≥ ceil(−offset / stride)
        let lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        // q·stride + offset ≤ extent − 1  ⇔  q ≤ floor((extent − 1 − offset) / stride)
        let last = extent - 1 - offset
        let hi = last < 0 ? 0 : last / stride + 1
        let q0 = min(lo, count), q1 = max(q0, min(hi, count))
        return (q0, q1)
    }

    static func isPointwise(_ g: ConvGeometry) -> Bool {
        g.r == 1 && g.s == 1 && g.stride == 1 && g.pad == 0
    }

    /// `x[n]` itself for pointwise convs, else `col` after unrolling into it.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    @inline(__always)
    static func im2colIfNeeded<Scalar: KernelScalar>(
        _ g: ConvGeometry, _ x: UnsafePointer<Scalar>, _ col: UnsafeMutablePointer<Scalar>
    ) -> UnsafePointer<Scalar> {
        if isPointwise(g) { return x }
        im2col(g, x, col)
        return UnsafePointer(col)
    }

    static func withColumnBuffer<Scalar, R>(
        _ g: ConvGeometry, _: Scalar.Type, _ body: (UnsafeMutablePointer<Scalar>) -> R
    ) -> R {
        let count = max(g.patchSize * g.p * g.q, g.c * g.h * g.w)
        let col = UnsafeMutablePointer<Scalar>.allocate(capacity: count)
        defer { col.deallocate() }
        return body(col)
    }

    /// How images are shared out: contiguous groups, one per thread, each GEMM
    /// single-threaded; or, with fewer images than threads, one group whose GEMMs use all.
    static func imageGroups(_ g: ConvGeometry) -> (ranges: [Range<Int>], gemmThreads: Int) {
        let threads = Parallel.threads
        if g.n >= threads && threads > 1 {
            return (Parallel.split(g.n, parts: threads), 1)
        }
        return ([0..<g.n], threads)
    }

    static func forEachImageGroup(_ g: ConvGeometry, _ body: (Range<Int>, Int) -> Void) {
        let groups = imageGroups(g)
        Parallel.forEach(groups.ranges.count) { t in body(groups.ranges[t], groups.gemmThreads) }
    }
}
