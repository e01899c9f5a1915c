import KernelsPortable

/// The shape a normalization kernel sees: `outer × channels × inner`, contiguous. Batch
/// normalization of `N × C × H × W` is `N × C × HW` (statistics per channel); of `N × D` it is
/// `N × D × 1`.
public struct NormalizationLayout: Sendable, Equatable {
    public let outer: Int, channels: Int, inner: Int

    public init(outer: Int, channels: Int, inner: Int) {
        self.outer = outer
        self.channels = channels
        self.inner = inner
    }

    /// Elements behind one channel's statistics.
    public var perChannel: Int { outer * inner }
    public var count: Int { outer * channels * inner }
}

/// Fused batch normalization in training mode (Ioffe and Szegedy, 2015), per channel `c` over
/// the `M = outer · inner` elements `x` of that channel:
/// ```
/// μ = Σx / M,   σ² = Σ(x − μ)² / M (biased, as PyTorch and CS231n normalize),   r = 1/√(σ² + ε)
/// y = (x − μ) · (γ r) + β
/// ∂β = Σ dy,   ∂γ = r · Σ dy (x − μ)
/// ∂x = γ r · (dy − ∂β / M − (x − μ) r² Σ dy (x − μ) / M)
/// ```
/// The backward formula is the closed form of the composed graph's gradient (the mean and
/// the variance both depend on `x`). Sums accumulate in `Double` per block (`RunSums`);
/// coefficients (`γ r`, `r²`, the `1/M` terms) are derived in `Double`.
///
/// Work is split by channel, so every sum is taken in one order whatever the thread count:
/// results are bit-identical across `Parallel.threads`.
///
/// Every pass walks a thread's channels in memory order. Long contiguous runs (`inner ≥ 16`,
/// the 2-d case) are summed run by run; short runs (the 1-d case, `inner = 1`) are summed
/// down the columns of each row, so the reads stay contiguous. (Walking one channel at a time
/// instead reads runs a power-of-two distance apart, which share cache sets, and measured two
/// to three times slower.) The loops themselves are compiled per instruction set
/// (`NormalizationLoops`).
public enum BatchNormKernel {
    /// Below this many elements the work runs on one thread.
    static let parallelGrain = 1 << 18
    static let longRun = 16

    /// Training-mode forward: writes `y`, and each channel's batch `mean` and biased
    /// `variance` (for the running averages and the backward pass).
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func forward<S: KernelScalar>(
        _ l: NormalizationLayout, x: UnsafePointer<S>, scale: UnsafePointer<S>, shift: UnsafePointer<S>,
        epsilon: Double, y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>, variance: UnsafeMutablePointer<S>
    ) {
        let shared = UncheckedSendable((x, scale, shift, y, mean, variance))
        forEachChannelGroup(l) { channels in
            let (x, scale, shift, y, mean, variance) = shared.value
            forwardGroup(l, channels, x: x, scale: scale, shift: shift, epsilon: epsilon, y: y, mean: mean, variance: variance)
        }
    }

    /// `forward` for one group of channels. (The threads' closures call this specialized
    /// function, so the loops below are compiled for the concrete element type.)
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func forwardGroup<S: KernelScalar>(
        _ l: NormalizationLayout, _ channels: Range<Int>, x: UnsafePointer<S>, scale: UnsafePointer<S>,
        shift: UnsafePointer<S>, epsilon: Double, y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>,
        variance: UnsafeMutablePointer<S>
    ) {
        let m = Double(l.perChannel)
        let means = channelSums(l, channels, a: x, b: nil).plain.map { $0 / m }
        let centers = means.map { S($0) }
        let deviations = channelSums(l, channels, a: x, b: x, centers: centers, centerBoth: true).weighted
        var gains = [S](repeating: 0, count: channels.count)
        for (i, c) in channels.enumerated() {
            // The squares were taken about the mean rounded to S; Σ(x − c)²/M = σ² + (μ − c)².
            let shiftOfCenter = means[i] - Double(centers[i])
            let v = max(0, deviations[i] / m - shiftOfCenter * shiftOfCenter)
            mean[c] = centers[i]
            variance[c] = S(v)
            gains[i] = S(Double(scale[c]) / (v + epsilon).squareRoot())
        }
        let shifts = channels.map { shift[$0] }
        let zeros = [S](repeating: 0, count: channels.count)
        // y = (x − center) · gain + shift: `apply` without its first term.
        apply(l, channels, first: nil, second: x, centers: centers, a: zeros, k: gains, b: shifts, out: y)
    }

    /// Backward of the training-mode forward: `dScale` and `dShift` always, `dx` when given.
    /// `mean` and `variance` are what `forward` wrote.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public static func backward<S: KernelScalar>(
        _ l: NormalizationLayout, x: UnsafePointer<S>, dy: UnsafePointer<S>, scale: UnsafePointer<S>,
        mean: UnsafePointer<S>, variance: UnsafePointer<S>, epsilon: Double,
        dx: UnsafeMutablePointer<S>?, dScale: UnsafeMutablePointer<S>, dShift: UnsafeMutablePointer<S>
    ) {
        let shared = UncheckedSendable((x, dy, scale, mean, variance, dx, dScale, dShift))
        forEachChannelGroup(l) { channels in
            let (x, dy, scale, mean, variance, dx, dScale, dShift) = shared.value
            backwardGroup(
                l, channels, x: x, dy: dy, scale: scale, mean: mean, variance: variance, epsilon: epsilon,
                dx: dx, dScale: dScale, dShift: dShift)
        }
    }

    /// `backward` for one group of channels.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func backwardGroup<S: KernelScalar>(
        _ l: NormalizationLayout, _ channels: Range<Int>, x: UnsafePointer<S>, dy: UnsafePointer<S>,
        scale: UnsafePointer<S>, mean: UnsafePointer<S>, variance: UnsafePointer<S>, epsilon: Double,
        dx: UnsafeMutablePointer<S>?, dScale: UnsafeMutablePointer<S>, dShift: UnsafeMutablePointer<S>
    ) {
        let m = Double(l.perChannel)
        let centers = channels.map { mean[$0] }
        let (plain, weighted) = channelSums(l, channels, a: dy, b: x, centers: centers)
        var gains: [S] = [], slopes: [S] = [], offsets: [S] = []
        for (i, c) in channels.enumerated() {
            let r = 1 / (Double(variance[c]) + epsilon).squareRoot()
            dShift[c] = S(plain[i])
            dScale[c] = S(weighted[i] * r)
            let gain = Double(scale[c]) * r
            gains.append(S(gain))
            slopes.append(S(-gain * r * r * weighted[i] / m))
            offsets.append(S(-gain * plain[i] / m))
        }
        guard let dx else { return }
        apply(l, channels, first: dy, second: x, centers: centers, a: gains, k: slopes, b: offsets, out: dx)
    }

    /// Per channel of `channels`: `Σ a` and `Σ (a − c′)(b − c)` over the channel's elements,
    /// `c` the channel's entry of `centers` and `c′` it when `centerBoth`, else 0 (`weighted`
    /// is zero when `b` is nil). Long runs are summed run by run (`RunSums`); short ones down
    /// the columns of the `outer × (channels · inner)` rows, then folded per channel.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func channelSums<S: KernelScalar>(
        _ l: NormalizationLayout, _ channels: Range<Int>, a: UnsafePointer<S>, b: UnsafePointer<S>?,
        centers: [S] = [], centerBoth: Bool = false
    ) -> (plain: [Double], weighted: [Double]) {
        let loops = S.normalizationLoops(for: .best)
        var plain = [Double](repeating: 0, count: channels.count), weighted = plain
        if l.inner >= longRun {
            for n in 0..<l.outer {
                for (i, c) in channels.enumerated() {
                    let run = (n * l.channels + c) * l.inner
                    if let b {
                        if centerBoth {
                            weighted[i] += loops.squaredDeviation(b + run, l.inner, centers[i])
                        } else {
                            let sums = loops.gradientSums(a + run, nil, b + run, l.inner, centers[i])
                            plain[i] += sums.plain
                            weighted[i] += sums.weighted
                        }
                    } else {
                        plain[i] += loops.sum(a + run, l.inner)
                    }
                }
            }
            return (plain, weighted)
        }
        let columns = (channels.lowerBound * l.inner)..<(channels.upperBound * l.inner)
        var columnPlain = [Double](repeating: 0, count: columns.count), columnWeighted = columnPlain
        let columnCenters = columns.map { centers.isEmpty ? S(0) : centers[$0 / l.inner - channels.lowerBound] }
        columnCenters.withUnsafeBufferPointer { c in
            loops.columnSums(
                l.outer, l.channels * l.inner, columns, a, b, c.baseAddress! - columns.lowerBound, nil, nil, centerBoth,
                &columnPlain, &columnWeighted)
        }
        for i in plain.indices {
            for t in 0..<l.inner {
                plain[i] += columnPlain[i * l.inner + t]
                weighted[i] += columnWeighted[i * l.inner + t]
            }
        }
        return (plain, weighted)
    }

    /// `out = first · a + (second − center) · k + b`, with `center`, `a`, `k`, `b` per channel
    /// of `channels`; without the first term when `first` is nil.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    static func apply<S: KernelScalar>(
        _ l: NormalizationLayout, _ channels: Range<Int>, first: UnsafePointer<S>?, second: UnsafePointer<S>,
        centers: [S], a: [S], k: [S], b: [S], out: UnsafeMutablePointer<S>
    ) {
        let loops = S.normalizationLoops(for: .best)
        if l.inner >= longRun {
            for n in 0..<l.outer {
                for (i, c) in channels.enumerated() {
                    let offset = (n * l.channels + c) * l.inner
                    loops.affine(first.map { $0 + offset }, second + offset, l.inner, a[i], centers[i], k[i], b[i], out + offset)
                }
            }
            return
        }
        // Short runs: the coefficients spread over the columns, then each row at once.
        let columns = (channels.lowerBound * l.inner)..<(channels.upperBound * l.inner)
        func spread(_ v: [S]) -> [S] { columns.map { v[$0 / l.inner - channels.lowerBound] } }
        let (cs, As, ks, bs) = (spread(centers), spread(a), spread(k), spread(b))
        let width = l.channels * l.inner
        for n in 0..<l.outer {
            let at = n * width + columns.lowerBound
            loops.affineColumns(first.map { $0 + at }, second + at, columns.count, As, cs, ks, bs, out + at)
        }
    }

    /// Runs `body` over disjoint groups of channels, one group per thread for large inputs.
    static func forEachChannelGroup(_ l: NormalizationLayout, _ body: (Range<Int>) -> Void) {
        let parts = l.count < parallelGrain ? 1 : Parallel.threads
        let ranges = Parallel.split(l.channels, parts: parts)
        Parallel.forEach(ranges.count) { part in
            body(ranges[part])
        }
    }
}
