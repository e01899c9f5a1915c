/// Max- and average-pooling forward and backward (see `PoolGeometry`), one `(n, c)` plane
/// per task, planes split across threads.
public enum Pooling {
    /// `y[n,c,p,q] = max over the window`; `argmax` receives the flat index within the
    /// plane (`h·W + w`) of each winner, for `maxBackward`. Ties go to the first in scan order.
    ///
    /// With `rectified`, the windows are read through the ReLU, `v > 0 ? v : 0 · v` (the
    /// engine's `relu`, signed zero and NaN included), so `y` and `argmax` are exactly those
    /// of max pooling `relu(x)`; the rectified values are held one plane at a time, in L1,
    /// instead of as a copy of `x`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>,
        argmax: UnsafeMutablePointer<Int32>, rectified: Bool = false
    ) {
        let shared = UncheckedSendable((x, y, argmax))
        forEachPlaneRange(g) { planes in
            let (x, y, argmax) = shared.value
            let size = g.h * g.w, outputs = g.p * g.q
            // Each plane is rectified into a buffer that stays in L1, and pooled from there by
            // the same loops: read through the ReLU inside the comparisons, the loop compiled
            // to branches and ran three times slower.
            let rectifiedPlane: UnsafeMutablePointer<Scalar>? = rectified ? .allocate(capacity: size) : nil
            defer { rectifiedPlane?.deallocate() }
            for plane in planes {
                var xs = UnsafePointer(x + plane * size)
                if let rectifiedPlane {
                    for i in 0..<size { rectifiedPlane[i] = xs[i] > 0 ? xs[i] : 0 * xs[i] }
                    xs = UnsafePointer(rectifiedPlane)
                }
                maxPlane(g, xs, y + plane * outputs, argmax + plane * outputs)
            }
        }
    }

    /// One plane of `maxForward`.
    @inline(__always)
    static func maxPlane<Scalar: KernelScalar>(
        _ g: PoolGeometry, _ xs: UnsafePointer<Scalar>, _ ys: UnsafeMutablePointer<Scalar>,
        _ idx: UnsafeMutablePointer<Int32>
    ) {
        // The output extents are computed properties (a division each): read them once.
        let outH = g.p, outW = g.q, width = g.w
        if g.pad == 0 && g.r == 2 && g.s == 2 && g.stride == 2 {
            // The common 2×2/2 case, branch-light.
            for p in 0..<outH {
                let top = xs + 2 * p * width, bottom = top + width
                let yRow = ys + p * outW, idxRow = idx + p * outW
                for q in 0..<outW {
                    // Comparisons turned into 0/1 integers, so no branch depends on the data
                    // (after a ReLU, ties at 0 make branches unpredictable). Ties keep the
                    // first position in row-major order.
                    let a = top[2 * q], b = top[2 * q + 1], c = bottom[2 * q], d = bottom[2 * q + 1]
                    let right = b > a, bottomRight = d > c
                    let topBest = right ? b : a, bottomBest = bottomRight ? d : c
                    let down = bottomBest > topBest
                    let topAt = Int(unsafeBitCast(right, to: UInt8.self))
                    let bottomAt = width + Int(unsafeBitCast(bottomRight, to: UInt8.self))
                    let useDown = Int(unsafeBitCast(down, to: UInt8.self))
                    yRow[q] = down ? bottomBest : topBest
                    idxRow[q] = Int32(truncatingIfNeeded: 2 * p * width + 2 * q + topAt + useDown * (bottomAt - topAt))
                }
            }
            return
        }
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
    /// `dx = x > 0 ? dx : 0 · dx`: the gradient of max pooling `relu(x)` with respect to `x`,
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
                for i in 0..<inputs { dxs[i] = xs[i] > 0 ? dxs[i] : 0 * dxs[i] }
            }
        }
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
