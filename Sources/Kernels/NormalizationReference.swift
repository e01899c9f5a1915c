/// Plain loops in `Double` over the textbook formulas, the twins `BatchNormKernel` and
/// `LayerNormKernel` are tested against. Each statistic is a direct sum of its own elements;
/// each gradient is written as in CS231n's `batchnorm_backward`: through `x̂` and the
/// gradients of the variance and the mean, not the closed form the kernels use.
public enum NormalizationReference {
    /// Training-mode batch normalization: `(y, mean, variance)` with statistics per channel.
    public static func batchNormForward(
        _ l: NormalizationLayout, x: [Double], scale: [Double], shift: [Double], epsilon: Double
    ) -> (y: [Double], mean: [Double], variance: [Double]) {
        var y = [Double](repeating: 0, count: l.count)
        var means: [Double] = [], variances: [Double] = []
        for c in 0..<l.channels {
            let indices = channelIndices(l, c)
            let mu = indices.reduce(0) { $0 + x[$1] } / Double(indices.count)
            let v = indices.reduce(0) { $0 + (x[$1] - mu) * (x[$1] - mu) } / Double(indices.count)
            for i in indices { y[i] = scale[c] * (x[i] - mu) / (v + epsilon).squareRoot() + shift[c] }
            means.append(mu)
            variances.append(v)
        }
        return (y, means, variances)
    }

    /// `(dx, dScale, dShift)` of `batchNormForward`.
    public static func batchNormBackward(
        _ l: NormalizationLayout, x: [Double], dy: [Double], scale: [Double], epsilon: Double
    ) -> (dx: [Double], dScale: [Double], dShift: [Double]) {
        var dx = [Double](repeating: 0, count: l.count)
        var dScale: [Double] = [], dShift: [Double] = []
        for c in 0..<l.channels {
            let indices = channelIndices(l, c)
            let (d, s, b) = normalizeBackward(indices.map { x[$0] }, indices.map { dy[$0] }, gain: { _ in scale[c] }, epsilon: epsilon)
            for (k, i) in indices.enumerated() { dx[i] = d[k] }
            dScale.append(s.reduce(0, +))
            dShift.append(b.reduce(0, +))
        }
        return (dx, dScale, dShift)
    }

    /// Layer normalization of each row: `(y, mean, variance)` with statistics per row.
    public static func layerNormForward(
        rows: Int, features d: Int, x: [Double], scale: [Double], shift: [Double], epsilon: Double
    ) -> (y: [Double], mean: [Double], variance: [Double]) {
        var y = [Double](repeating: 0, count: rows * d)
        var means: [Double] = [], variances: [Double] = []
        for row in 0..<rows {
            let values = Array(x[(row * d)..<((row + 1) * d)])
            let mu = values.reduce(0, +) / Double(d)
            let v = values.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(d)
            for j in 0..<d { y[row * d + j] = scale[j] * (values[j] - mu) / (v + epsilon).squareRoot() + shift[j] }
            means.append(mu)
            variances.append(v)
        }
        return (y, means, variances)
    }

    /// `(dx, dScale, dShift)` of `layerNormForward`.
    public static func layerNormBackward(
        rows: Int, features d: Int, x: [Double], dy: [Double], scale: [Double], epsilon: Double
    ) -> (dx: [Double], dScale: [Double], dShift: [Double]) {
        var dx: [Double] = []
        var dScale = [Double](repeating: 0, count: d), dShift = [Double](repeating: 0, count: d)
        for row in 0..<rows {
            let range = (row * d)..<((row + 1) * d)
            let (rowDx, s, b) = normalizeBackward(Array(x[range]), Array(dy[range]), gain: { scale[$0] }, epsilon: epsilon)
            dx += rowDx
            for j in 0..<d {
                dScale[j] += s[j]
                dShift[j] += b[j]
            }
        }
        return (dx, dScale, dShift)
    }

    /// The backward pass of `y = gain(k) · x̂ + β` over one group of values `x` normalized
    /// together, step by step: `∂x̂`, `∂σ²`, `∂μ`, then `∂x`. Returns `∂x` and each element's
    /// terms of `∂γ` (`dy · x̂`) and `∂β` (`dy`).
    static func normalizeBackward(_ x: [Double], _ dy: [Double], gain: (Int) -> Double, epsilon: Double)
        -> ([Double], [Double], [Double])
    {
        let m = Double(x.count)
        let mu = x.reduce(0, +) / m
        let v = x.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / m
        let std = (v + epsilon).squareRoot()
        let xhat = x.map { ($0 - mu) / std }
        let dxhat = dy.indices.map { dy[$0] * gain($0) }
        var dVariance = 0.0, dMean = 0.0, centeredSum = 0.0
        for k in x.indices {
            dVariance += dxhat[k] * (x[k] - mu)
            dMean -= dxhat[k] / std
            centeredSum -= 2 * (x[k] - mu)
        }
        dVariance *= -0.5 / (std * std * std)
        dMean += dVariance * centeredSum / m
        var dx: [Double] = []
        for k in x.indices {
            let throughVariance: Double = dVariance * 2 * (x[k] - mu) / m
            dx.append(dxhat[k] / std + throughVariance + dMean / m)
        }
        return (dx, dy.indices.map { dy[$0] * xhat[$0] }, dy)
    }

    static func channelIndices(_ l: NormalizationLayout, _ c: Int) -> [Int] {
        var indices: [Int] = []
        for n in 0..<l.outer {
            let start = (n * l.channels + c) * l.inner
            indices += start..<(start + l.inner)
        }
        return indices
    }
}
