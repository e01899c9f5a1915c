/// Max- and average-pooling forward and backward (see `PoolGeometry`), one `(n, c)` plane
/// per task, planes split across threads.
public enum Pooling {
    /// `y[n,c,p,q] = max over the window`; `argmax` receives the flat index within the
    /// plane (`h·W + w`) of each winner, for `maxBackward`. Ties go to the first in scan order.
    ///
    /// With `rectified`, the windows are read through the ReLU, `v > 0 ? v : 0` with NaN kept
    /// (the engine's `relu`), so `y` and `argmax` are exactly those
    /// of max pooling `relu(x)`; the rectified values are held one plane at a time, in L1,
    /// instead of as a copy of `x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>,
        argmax: UnsafeMutablePointer<Int32>, rectified: Bool = false
    ) {
        let shared = UncheckedSendable((x, y, argmax))
        let halving = g.pad == 0 && g.r == 2 && g.s == 2 && g.stride == 2
        forEachPlaneRange(g) { planes in
            let (x, y, argmax) = shared.value
            let size = g.h * g.w, outputs = g.p * g.q
            // Other windows read each plane rectified into a buffer that stays in L1: read
            // through the ReLU inside their comparisons, the loop compiled to branches.
            let rectifiedPlane: UnsafeMutablePointer<Scalar>? = rectified && !halving ? .allocate(capacity: size) : nil
            defer { rectifiedPlane?.deallocate() }
            for plane in planes {
                let xs = UnsafePointer(x + plane * size), ys = y + plane * outputs, idx = argmax + plane * outputs
                if halving {
                    rectified ? maxHalving(g, xs, ys, idx, Rectified.self) : maxHalving(g, xs, ys, idx, AsIs.self)
                } else if let rectifiedPlane {
                    for i in 0..<size { rectifiedPlane[i] = Rectified.read(xs[i]) }
                    maxPlane(g, rectifiedPlane, ys, idx)
                } else {
                    maxPlane(g, xs, ys, idx)
                }
            }
        }
    }

    /// How `maxForward` reads its input: as it is, or through the ReLU.
    protocol InputRead {
        static func read<Scalar: KernelScalar>(_ v: Scalar) -> Scalar
        static func read(_ v: SIMD8<Float>) -> SIMD8<Float>
    }

    enum AsIs: InputRead {
        @inline(__always) static func read<Scalar: KernelScalar>(_ v: Scalar) -> Scalar { v }
        @inline(__always) static func read(_ v: SIMD8<Float>) -> SIMD8<Float> { v }
    }

    /// The engine's ReLU: 0 where `v ≤ 0`, else `v` (NaN, never `≤ 0`, is kept).
    enum Rectified: InputRead {
        @inline(__always) static func read<Scalar: KernelScalar>(_ v: Scalar) -> Scalar { v <= 0 ? 0 : v }
        @inline(__always) static func read(_ v: SIMD8<Float>) -> SIMD8<Float> { v.replacing(with: 0, where: v .<= 0) }
    }

    /// One plane of the 2 × 2, stride-2 max pool. Ties keep the first position in row-major
    /// order, as `maxPlane`, and no branch depends on the data (after a ReLU, ties at 0 would
    /// make branches unpredictable): `Float` planes go eight outputs at a time (`halvingRow`),
    /// the rest one at a time with the comparisons turned into 0/1 integers.
    @inline(__always)
    static func maxHalving<Scalar: KernelScalar, Read: InputRead>(
        _ g: PoolGeometry, _ xs: UnsafePointer<Scalar>, _ ys: UnsafeMutablePointer<Scalar>,
        _ idx: UnsafeMutablePointer<Int32>, _: Read.Type
    ) {
        // The output extents are computed properties (a division each): read them once.
        let outH = g.p, outW = g.q, width = g.w
        for p in 0..<outH {
            let top = xs + 2 * p * width, bottom = top + width
            let yRow = ys + p * outW, idxRow = idx + p * outW
            var q = 0
            if Scalar.self == Float.self {
                q = halvingRow(
                    UnsafeRawPointer(top).assumingMemoryBound(to: Float.self), width: width, row: p, outputs: outW,
                    UnsafeMutableRawPointer(yRow).assumingMemoryBound(to: Float.self), idxRow, Read.self)
            }
            while q < outW {
                let a = Read.read(top[2 * q]), b = Read.read(top[2 * q + 1])
                let c = Read.read(bottom[2 * q]), d = Read.read(bottom[2 * q + 1])
                let right = b > a, bottomRight = d > c
                let topBest = right ? b : a, bottomBest = bottomRight ? d : c
                let down = bottomBest > topBest
                let topAt = Int(unsafeBitCast(right, to: UInt8.self))
                let bottomAt = width + Int(unsafeBitCast(bottomRight, to: UInt8.self))
                let useDown = Int(unsafeBitCast(down, to: UInt8.self))
                yRow[q] = down ? bottomBest : topBest
                idxRow[q] = Int32(truncatingIfNeeded: 2 * p * width + 2 * q + topAt + useDown * (bottomAt - topAt))
                q += 1
            }
        }
    }

    /// Output row `row` of a `Float` 2 × 2, stride-2 max pool, eight outputs at a time: each
    /// pair of input rows is loaded as vectors and split into even and odd columns, and the
    /// comparisons are vector masks. Returns how many outputs it wrote (a multiple of eight).
    @inline(__always)
    static func halvingRow<Read: InputRead>(
        _ top: UnsafePointer<Float>, width: Int, row p: Int, outputs: Int,
        _ yRow: UnsafeMutablePointer<Float>, _ idxRow: UnsafeMutablePointer<Int32>, _: Read.Type
    ) -> Int {
        let bottom = top + width
        let evens = SIMD8<Int32>(0, 2, 4, 6, 8, 10, 12, 14)
        let one = SIMD8<Int32>(repeating: 1), zero = SIMD8<Int32>(repeating: 0)
        let below = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: width))
        var q = 0
        while q + 8 <= outputs {
            let t = UnsafeRawPointer(top + 2 * q).loadUnaligned(as: SIMD16<Float>.self)
            let u = UnsafeRawPointer(bottom + 2 * q).loadUnaligned(as: SIMD16<Float>.self)
            let a = Read.read(t.evenHalf), b = Read.read(t.oddHalf)
            let c = Read.read(u.evenHalf), d = Read.read(u.oddHalf)
            let right = b .> a, bottomRight = d .> c
            let topBest = a.replacing(with: b, where: right), bottomBest = c.replacing(with: d, where: bottomRight)
            let down = bottomBest .> topBest
            UnsafeMutableRawPointer(yRow + q).storeBytes(of: topBest.replacing(with: bottomBest, where: down), as: SIMD8<Float>.self)
            let topAt = zero.replacing(with: one, where: right)
            let bottomAt = below &+ zero.replacing(with: one, where: bottomRight)
            let at =
                SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: 2 * p * width + 2 * q)) &+ evens
                &+ topAt.replacing(with: bottomAt, where: down)
            UnsafeMutableRawPointer(idxRow + q).storeBytes(of: at, as: SIMD8<Int32>.self)
            q += 8
        }
        return q
    }

    /// One plane of `maxForward` for any window: the first of the largest, or the first NaN.
    @inline(__always)
    static func maxPlane<Scalar: KernelScalar>(
        _ g: PoolGeometry, _ xs: UnsafePointer<Scalar>, _ ys: UnsafeMutablePointer<Scalar>,
        _ idx: UnsafeMutablePointer<Int32>
    ) {
        let outH = g.p, outW = g.q, width = g.w
        for p in 0..<outH {
            for q in 0..<outW {
                var best = -Scalar.infinity, at = -1
                window(g, p, q) { h, w in
                    let v = xs[h * width + w]
                    if at < 0 || v > best || v.isNaN { best = v; at = h * width + w }
                }
                ys[p * outW + q] = best
                idx[p * outW + q] = Int32(at)
            }
        }
    }

    /// `dx` (overwritten) receives each `dy` at the position its window's maximum came from.
    ///
    /// Given `rectifiedInput` (the `x` that `maxForward` read `rectified`), each plane of `dx`
    /// then goes through the ReLU's backward while it is in cache,
    /// `dx = x > 0 ? dx : 0`: the gradient of max pooling `relu(x)` with respect to `x`,
    /// the same bits as the two steps taken apart.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxBackward<Scalar: KernelScalar>(
        _ g: PoolGeometry, dy: UnsafePointer<Scalar>, argmax: UnsafePointer<Int32>,
        dx: UnsafeMutablePointer<Scalar>, rectifiedInput: UnsafePointer<Scalar>? = nil
    ) {
        let shared = UncheckedSendable((dy, argmax, dx, rectifiedInput))
        forEachPlane(g) { plane in
            let (dy, argmax, dx, x) = shared.value
            let inputs = g.h * g.w, outputs = g.p * g.q
            let dxs = dx + plane * inputs
            dxs.update(repeating: 0, count: inputs)
            let dys = dy + plane * outputs, idx = argmax + plane * outputs
            for o in 0..<outputs { dxs[Int(idx[o])] += dys[o] }
            if let x {
                let xs = x + plane * inputs
                var i = 0
                if Scalar.self == Float.self {
                    i = maskEightsAtATime(
                        UnsafeMutableRawPointer(dxs).assumingMemoryBound(to: Float.self),
                        UnsafeRawPointer(xs).assumingMemoryBound(to: Float.self), inputs)
                }
                while i < inputs {
                    dxs[i] = xs[i] > 0 ? dxs[i] : 0
                    i += 1
                }
            }
        }
    }

    /// `d[i] = x[i] > 0 ? d[i] : 0` for the first `count` rounded down to eights, as vector
    /// selects; returns how many it did. Written as an element loop, the compiler turned the
    /// select into a store on a branch, and after a conv the signs are random: the ConvNet step
    /// went from 25 to 40 ms.
    @inline(__always)
    static func maskEightsAtATime(_ d: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ count: Int) -> Int {
        var i = 0
        while i + 8 <= count {
            let g = UnsafeRawPointer(d + i).loadUnaligned(as: SIMD8<Float>.self)
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(d + i).storeBytes(of: SIMD8(repeating: 0).replacing(with: g, where: v .> 0), as: SIMD8<Float>.self)
            i += 8
        }
        return i
    }

    /// `y[n,c,p,q] = mean of the in-bounds window entries`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func averageForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>
    ) {
        let shared = UncheckedSendable((x, y))
        forEachPlane(g) { plane in
            let (x, y) = shared.value
            let outH = g.p, outW = g.q, width = g.w
            let xs = x + plane * g.h * width, ys = y + plane * outH * outW
            for p in 0..<outH {
                for q in 0..<outW {
                    var sum: Scalar = 0, taps = 0
                    window(g, p, q) { h, w in
                        sum += xs[h * width + w]; taps += 1
                    }
                    ys[p * outW + q] = sum / Scalar(taps)
                }
            }
        }
    }

    /// `dx` (overwritten): each `dy` spread evenly over its window's in-bounds entries.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func averageBackward<Scalar: KernelScalar>(
        _ g: PoolGeometry, dy: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>
    ) {
        let shared = UncheckedSendable((dy, dx))
        forEachPlane(g) { plane in
            let (dy, dx) = shared.value
            let outH = g.p, outW = g.q, width = g.w
            let dxs = dx + plane * g.h * width, dys = dy + plane * outH * outW
            dxs.update(repeating: 0, count: g.h * width)
            for p in 0..<outH {
                for q in 0..<outW {
                    var taps = 0
                    window(g, p, q) { _, _ in taps += 1 }
                    let share = dys[p * outW + q] / Scalar(taps)
                    window(g, p, q) { h, w in dxs[h * width + w] += share }
                }
            }
        }
    }

    /// Calls `body(h, w)` for each in-bounds position of output `(p, q)`'s window.
    @inline(__always)
    static func window(_ g: PoolGeometry, _ p: Int, _ q: Int, _ body: (Int, Int) -> Void) {
        let h0 = p * g.stride - g.pad, w0 = q * g.stride - g.pad
        for h in max(0, h0)..<min(g.h, h0 + g.r) {
            for w in max(0, w0)..<min(g.w, w0 + g.s) { body(h, w) }
        }
    }

    static func forEachPlane(_ g: PoolGeometry, _ body: (Int) -> Void) {
        forEachPlaneRange(g) { planes in
            for plane in planes { body(plane) }
        }
    }

    /// The `(n, c)` planes in one run per thread (one run in all for small inputs).
    static func forEachPlaneRange(_ g: PoolGeometry, _ body: (Range<Int>) -> Void) {
        let planes = g.n * g.c
        let chunks = Parallel.split(planes, parts: planes * g.h * g.w < 1 << 14 ? 1 : Parallel.threads)
        Parallel.forEach(chunks.count) { t in body(chunks[t]) }
    }
}
