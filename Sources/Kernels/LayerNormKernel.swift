import KernelsPortable

/// Fused layer normalization (Ba, Kiros and Hinton, 2016) of each row of a contiguous
/// `rows × features` input, with `γ` and `β` per feature. For a row of `D` values:
/// ```
/// μ = Σx / D,   σ² = Σ(x − μ)² / D (biased, as PyTorch and CS231n),   r = 1/√(σ² + ε)
/// y = (x − μ) r γ + β
/// with g = dy · γ:   ∂x = r · (g − Σg / D − (x − μ) r² Σ g (x − μ) / D)
/// ∂γ = Σ over rows of dy (x − μ) r,   ∂β = Σ over rows of dy
/// ```
/// Row sums accumulate in `Double` per block (`RunSums`, compiled per instruction set); the per-feature sums of `∂γ` and
/// `∂β` accumulate in `Double` down the rows in order. The forward pass and `∂x` are split
/// by rows, `∂γ` and `∂β` by features, so results are bit-identical across thread counts.
public enum LayerNormKernel {
    static let parallelGrain = 1 << 18

    /// Writes `y` and each row's `mean` and biased `variance`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func forward<S: KernelScalar>(
        rows: Int, features d: Int, x: UnsafePointer<S>, scale: UnsafePointer<S>, shift: UnsafePointer<S>,
        epsilon: Double, y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>, variance: UnsafeMutablePointer<S>
    ) {
        let shared = UncheckedSendable((x, scale, shift, y, mean, variance))
        forEachRange(rows, work: rows * d) { range in
            let (x, scale, shift, y, mean, variance) = shared.value
            forwardRows(range, features: d, x: x, scale: scale, shift: shift, epsilon: epsilon, y: y, mean: mean, variance: variance)
        }
    }

    /// `forward` for the rows in `range`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func forwardRows<S: KernelScalar>(
        _ range: Range<Int>, features d: Int, x: UnsafePointer<S>, scale: UnsafePointer<S>, shift: UnsafePointer<S>,
        epsilon: Double, y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>, variance: UnsafeMutablePointer<S>
    ) {
        let loops = S.normalizationLoops(for: .best)
        for row in range {
            let p = x + row * d
            let mu = loops.sum(p, d) / Double(d)
            let center = S(mu)
            let shiftOfCenter = mu - Double(center)
            let v = max(0, loops.squaredDeviation(p, d, center) / Double(d) - shiftOfCenter * shiftOfCenter)
            mean[row] = center
            variance[row] = S(v)
            loops.normalizeRow(p, d, center, S(1 / (v + epsilon).squareRoot()), scale, shift, y + row * d)
        }
    }

    /// Backward of `forward`: `dScale` and `dShift` always, `dx` when given.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func backward<S: KernelScalar>(
        rows: Int, features d: Int, x: UnsafePointer<S>, dy: UnsafePointer<S>, scale: UnsafePointer<S>,
        mean: UnsafePointer<S>, variance: UnsafePointer<S>, epsilon: Double,
        dx: UnsafeMutablePointer<S>?, dScale: UnsafeMutablePointer<S>, dShift: UnsafeMutablePointer<S>
    ) {
        let shared = UncheckedSendable((x, dy, scale, mean, variance, dx, dScale, dShift))
        forEachRange(d, work: rows * d) { features in
            let (x, dy, _, mean, variance, _, dScale, dShift) = shared.value
            featureSums(
                features, rows: rows, features: d, x: x, dy: dy, mean: mean, variance: variance, epsilon: epsilon,
                dScale: dScale, dShift: dShift)
        }
        guard dx != nil else { return }
        forEachRange(rows, work: rows * d) { range in
            let (x, dy, scale, mean, variance, dx, _, _) = shared.value
            guard let dx else { return }
            inputGradientRows(range, features: d, x: x, dy: dy, scale: scale, mean: mean, variance: variance, epsilon: epsilon, dx: dx)
        }
    }

    /// `∂γ` and `∂β` for the features in `features`, summed down all rows in order.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func featureSums<S: KernelScalar>(
        _ features: Range<Int>, rows: Int, features d: Int, x: UnsafePointer<S>, dy: UnsafePointer<S>,
        mean: UnsafePointer<S>, variance: UnsafePointer<S>, epsilon: Double,
        dScale: UnsafeMutablePointer<S>, dShift: UnsafeMutablePointer<S>
    ) {
        var weighted = [Double](repeating: 0, count: features.count), plain = weighted
        let scales = (0..<rows).map { S(1 / (Double(variance[$0]) + epsilon).squareRoot()) }
        scales.withUnsafeBufferPointer { r in
            S.normalizationLoops(for: .best).columnSums(
                rows, d, features, dy, x, nil, mean, r.baseAddress!, false, &plain, &weighted)
        }
        for j in features {
            dScale[j] = S(weighted[j - features.lowerBound])
            dShift[j] = S(plain[j - features.lowerBound])
        }
    }

    /// `∂x` for the rows in `range`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func inputGradientRows<S: KernelScalar>(
        _ range: Range<Int>, features d: Int, x: UnsafePointer<S>, dy: UnsafePointer<S>, scale: UnsafePointer<S>,
        mean: UnsafePointer<S>, variance: UnsafePointer<S>, epsilon: Double, dx: UnsafeMutablePointer<S>
    ) {
        let loops = S.normalizationLoops(for: .best)
        for row in range {
            let p = x + row * d, g = dy + row * d
            let center = mean[row]
            let r = 1 / (Double(variance[row]) + epsilon).squareRoot()
            // Σ dy γ and Σ dy γ (x − μ), then ∂x in one more pass over the row.
            let sums = loops.gradientSums(g, scale, p, d, center)
            loops.rowGradient(
                g, scale, p, d, center, S(r), S(-r * r * r * sums.weighted / Double(d)), S(-r * sums.plain / Double(d)),
                dx + row * d)
        }
    }

    /// Runs `body` over contiguous parts of `0..<count`, one per thread when `work` is large.
    static func forEachRange(_ count: Int, work: Int, _ body: (Range<Int>) -> Void) {
        let ranges = Parallel.split(count, parts: work < parallelGrain ? 1 : Parallel.threads)
        Parallel.forEach(ranges.count) { body(ranges[$0]) }
    }
}
