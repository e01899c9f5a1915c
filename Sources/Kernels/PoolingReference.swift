/// Plain pooling loops over the whole 4-D index space, the twins `Pooling` is tested against.
public enum PoolingReference {
    public static func maxForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>
    ) {
        each(g) { plane, p, q, taps in
            y[(plane * g.p + p) * g.q + q] = taps.map { x[plane * g.h * g.w + $0] }.max()!
        }
    }

    public static func maxBackward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, dy: UnsafePointer<Scalar>,
        dx: UnsafeMutablePointer<Scalar>
    ) {
        dx.update(repeating: 0, count: g.n * g.c * g.h * g.w)
        each(g) { plane, p, q, taps in
            let values = taps.map { x[plane * g.h * g.w + $0] }
            let winner = taps[values.firstIndex(of: values.max()!)!]
            dx[plane * g.h * g.w + winner] += dy[(plane * g.p + p) * g.q + q]
        }
    }

    public static func averageForward<Scalar: KernelScalar>(
        _ g: PoolGeometry, x: UnsafePointer<Scalar>, y: UnsafeMutablePointer<Scalar>
    ) {
        each(g) { plane, p, q, taps in
            let sum = taps.reduce(Scalar(0)) { $0 + x[plane * g.h * g.w + $1] }
            y[(plane * g.p + p) * g.q + q] = sum / Scalar(taps.count)
        }
    }

    public static func averageBackward<Scalar: KernelScalar>(
        _ g: PoolGeometry, dy: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>
    ) {
        dx.update(repeating: 0, count: g.n * g.c * g.h * g.w)
        each(g) { plane, p, q, taps in
            for t in taps { dx[plane * g.h * g.w + t] += dy[(plane * g.p + p) * g.q + q] / Scalar(taps.count) }
        }
    }

    /// Calls `body(plane, p, q, taps)` with the in-bounds flat positions of each window.
    static func each(_ g: PoolGeometry, _ body: (Int, Int, Int, [Int]) -> Void) {
        for plane in 0..<(g.n * g.c) {
            for p in 0..<g.p {
                for q in 0..<g.q {
                    var taps: [Int] = []
                    for r in 0..<g.r {
                        for s in 0..<g.s {
                            let h = p * g.stride - g.pad + r, w = q * g.stride - g.pad + s
                            if h >= 0 && h < g.h && w >= 0 && w < g.w { taps.append(h * g.w + w) }
                        }
                    }
                    body(plane, p, q, taps)
                }
            }
        }
    }
}
