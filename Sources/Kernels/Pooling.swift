/// Max- and average-pooling forward and backward (see `PoolGeometry`), one `(n, c)` plane
/// per task, planes split across threads.
public enum Pooling {
    /// `y[n,c,p,q] = max over the window`; `argmax` receives the flat index within the
    /// plane (`h·W + w`) of each winner, for `maxBackward`. Ties go to the first in scan order.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>,
        argmax: UnsafeMutablePointer<Int32>
    ) {
        let shared = UncheckedSendable((x, y, argmax))
        forEachPlane(g) { plane in
            let (x, y, argmax) = shared.value
            let xs = x + plane * g.h * g.w, ys = y + plane * g.p * g.q
            let idx = argmax + plane * g.p * g.q
            if g.pad == 0 && g.r == 2 && g.s == 2 && g.stride == 2 {
                // The common 2×2/2 case, branch-light.
                for p in 0..<g.p {
                    let top = xs + 2 * p * g.w, bottom = top + g.w
                    for q in 0..<g.q {
                        // Comparisons turned into 0/1 integers, so no branch depends on the data
                        // (after a ReLU, ties at 0 make branches unpredictable). Ties keep the
                        // first position in row-major order.
                        let a = top[2 * q], b = top[2 * q + 1], c = bottom[2 * q], d = bottom[2 * q + 1]
                        let right = b > a, bottomRight = d > c
                        let topBest = right ? b : a, bottomBest = bottomRight ? d : c
                        let down = bottomBest > topBest
                        let topAt = Int(unsafeBitCast(right, to: UInt8.self))
                        let bottomAt = g.w + Int(unsafeBitCast(bottomRight, to: UInt8.self))
                        let useDown = Int(unsafeBitCast(down, to: UInt8.self))
                        ys[p * g.q + q] = down ? bottomBest : topBest
                        idx[p * g.q + q] = Int32(truncatingIfNeeded: 2 * p * g.w + 2 * q + topAt + useDown * (bottomAt - topAt))
                    }
                }
                return
            }
            for p in 0..<g.p {
                for q in 0..<g.q {
                    var best = -Scalar.infinity, at = -1
                    window(g, p, q) { h, w in
                        let v = xs[h * g.w + w]
                        if at < 0 || v > best || v.isNaN { best = v; at = h * g.w + w }
                    }
                    ys[p * g.q + q] = best
                    idx[p * g.q + q] = Int32(at)
                }
            }
        }
    }

    /// `dx` (overwritten) receives each `dy` at the position its window's maximum came from.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func maxBackward<Scalar: KernelScalar>(
        _ g: PoolGeometry, dy: UnsafePointer<Scalar>, argmax: UnsafePointer<Int32>,
        dx: UnsafeMutablePointer<Scalar>
    ) {
        let shared = UncheckedSendable((dy, argmax, dx))
        forEachPlane(g) { plane in
            let (dy, argmax, dx) = shared.value
            let dxs = dx + plane * g.h * g.w
            dxs.update(repeating: 0, count: g.h * g.w)
            let dys = dy + plane * g.p * g.q, idx = argmax + plane * g.p * g.q
            for o in 0..<(g.p * g.q) { dxs[Int(idx[o])] += dys[o] }
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
            let xs = x + plane * g.h * g.w, ys = y + plane * g.p * g.q
            for p in 0..<g.p {
                for q in 0..<g.q {
                    var sum: Scalar = 0, taps = 0
                    window(g, p, q) { h, w in
                        sum += xs[h * g.w + w]; taps += 1
                    }
                    ys[p * g.q + q] = sum / Scalar(taps)
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
            let dxs = dx + plane * g.h * g.w, dys = dy + plane * g.p * g.q
            dxs.update(repeating: 0, count: g.h * g.w)
            for p in 0..<g.p {
                for q in 0..<g.q {
                    var taps = 0
                    window(g, p, q) { _, _ in taps += 1 }
                    let share = dys[p * g.q + q] / Scalar(taps)
                    window(g, p, q) { h, w in dxs[h * g.w + w] += share }
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
        let planes = g.n * g.c
        let chunks = Parallel.split(planes, parts: planes * g.h * g.w < 1 << 14 ? 1 : Parallel.threads)
        Parallel.forEach(chunks.count) { t in
            for plane in chunks[t] { body(plane) }
        }
    }
}
