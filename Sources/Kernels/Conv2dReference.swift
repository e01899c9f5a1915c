/// The direct seven-loop convolution the optimized `Conv2dKernel` is tested against
/// (see `ConvGeometry` for buffer shapes).
public enum Conv2dReference {
    /// `y[n,k,p,q] = b[k] + Σ_c,r,s x[n, c, p·stride − pad + r·dil, q·stride − pad + s·dil] · W[k,c,r,s]`
    public static func forward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        bias: UnsafePointer<Scalar>?, y: UnsafeMutablePointer<Scalar>
    ) {
        for n in 0..<g.n {
            for k in 0..<g.k {
                for p in 0..<g.p {
                    for q in 0..<g.q {
                        var sum: Scalar = bias?[k] ?? 0
                        visit(g, n: n, k: k, p: p, q: q) { xi, wi in sum += x[xi] * weight[wi] }
                        y[((n * g.k + k) * g.p + p) * g.q + q] = sum
                    }
                }
            }
        }
    }

    /// Each given gradient is overwritten with the sum over every output of its share.
    public static func backward<Scalar: KernelScalar>(
        _ g: ConvGeometry, x: UnsafePointer<Scalar>, weight: UnsafePointer<Scalar>,
        dy: UnsafePointer<Scalar>, dx: UnsafeMutablePointer<Scalar>?,
        dWeight: UnsafeMutablePointer<Scalar>?, dBias: UnsafeMutablePointer<Scalar>?
    ) {
        dx?.update(repeating: 0, count: g.n * g.c * g.h * g.w)
        dWeight?.update(repeating: 0, count: g.k * g.patchSize)
        dBias?.update(repeating: 0, count: g.k)
        for n in 0..<g.n {
            for k in 0..<g.k {
                for p in 0..<g.p {
                    for q in 0..<g.q {
                        let d = dy[((n * g.k + k) * g.p + p) * g.q + q]
                        dBias?[k] += d
                        visit(g, n: n, k: k, p: p, q: q) { xi, wi in
                            dx?[xi] += weight[wi] * d
                            dWeight?[wi] += x[xi] * d
                        }
                    }
                }
            }
        }
    }

    /// Calls `body(xIndex, weightIndex)` for every in-bounds tap of output `(n, k, p, q)`.
    @inline(__always)
    static func visit(_ g: ConvGeometry, n: Int, k: Int, p: Int, q: Int, _ body: (Int, Int) -> Void) {
        for c in 0..<g.c {
            for r in 0..<g.r {
                let h = p * g.stride - g.pad + r * g.dilation
                if h < 0 || h >= g.h { continue }
                for s in 0..<g.s {
                    let w = q * g.stride - g.pad + s * g.dilation
                    if w < 0 || w >= g.w { continue }
                    body(((n * g.c + c) * g.h + h) * g.w + w, ((k * g.c + c) * g.r + r) * g.s + s)
                }
            }
        }
    }
}
