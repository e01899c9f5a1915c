import HomeworkKit
import Tensors

// Assignment 4, part 1: batch and layer normalization. `x̂ = (x − μ) / √(σ² + ε)`,
// `out = γ · x̂ + β`, every variance the biased one (divide by the count).

extension Submission {
    public static func batchnormForward(
        x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, train: Bool, momentum: Double, epsilon: Double,
        running: inout RunningStatistics
    ) throws -> Tensor<Double> {
        // Hint: x.mean(axes: [0]) and x.variance(axes: [0]) give one value per feature.
        // BEGIN SOLUTION
        guard train else { return try (x - running.mean) / (running.variance + epsilon).sqrt() * gamma + beta }
        let mean = try x.mean(axes: [0]), variance = try x.variance(axes: [0])
        running.mean = try running.mean * momentum + mean * (1 - momentum)
        running.variance = try running.variance * momentum + variance * (1 - momentum)
        return try (x - mean) / (variance + epsilon).sqrt() * gamma + beta
        // END SOLUTION
    }

    public static func batchnormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    {
        // Hint: redo the forward pass one step at a time, then walk back through the steps.
        // BEGIN SOLUTION
        let n = Double(x.shape[0])
        let mean = try x.mean(axes: [0])
        let centered = try x - mean
        let variance = try (centered * centered).mean(axes: [0])
        let std = try (variance + epsilon).sqrt()
        let inverse = std.map { 1 / $0 }
        let normalized = try centered * inverse
        let dBeta = try dOut.sum(axes: [0])
        let dGamma = try (dOut * normalized).sum(axes: [0])
        let dNormalized = try dOut * gamma
        let dInverse = try (dNormalized * centered).sum(axes: [0])
        let dVariance = try dInverse * (inverse * inverse * inverse) * -0.5
        let dCentered = try dNormalized * inverse + centered * dVariance * (2 / n)
        let dMean = try dCentered.sum(axes: [0]) * -1
        return (try dCentered + dMean / n, dGamma, dBeta)
        // END SOLUTION
    }

    public static func batchnormBackwardAlt(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    {
        // BEGIN SOLUTION
        let n = Double(x.shape[0])
        let std = try (x.variance(axes: [0]) + epsilon).sqrt()
        let normalized = try (x - x.mean(axes: [0])) / std
        let dBeta = try dOut.sum(axes: [0]), dGamma = try (dOut * normalized).sum(axes: [0])
        let dx = try (gamma / std / n) * (dOut * n - dBeta - normalized * dGamma)
        return (dx, dGamma, dBeta)
        // END SOLUTION
    }

    public static func spatialBatchnormForward(
        x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, train: Bool, momentum: Double, epsilon: Double,
        running: inout RunningStatistics
    ) throws -> Tensor<Double> {
        // Hint: move the channels last and flatten: [N, C, H, W] → [N·H·W, C] is a batch for batchnormForward.
        // BEGIN SOLUTION
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let rows = try x.permuted([0, 2, 3, 1]).reshaped([n * h * w, c])
        let out = try batchnormForward(x: rows, gamma: gamma, beta: beta, train: train, momentum: momentum, epsilon: epsilon, running: &running)
        return try out.reshaped([n, h, w, c]).permuted([0, 3, 1, 2])
        // END SOLUTION
    }

    public static func spatialBatchnormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    {
        // BEGIN SOLUTION
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        func rows(_ t: Tensor<Double>) throws -> Tensor<Double> { try t.permuted([0, 2, 3, 1]).reshaped([n * h * w, c]) }
        let r = try batchnormBackwardAlt(dOut: rows(dOut), x: rows(x), gamma: gamma, epsilon: epsilon)
        return (try r.dx.reshaped([n, h, w, c]).permuted([0, 3, 1, 2]), r.dGamma, r.dBeta)
        // END SOLUTION
    }

    public static func layernormForward(x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, epsilon: Double) throws -> Tensor<Double> {
        // Hint: the statistics are per row: mean(axes: [1], keepDims: true).
        // BEGIN SOLUTION
        let mean = try x.mean(axes: [1], keepDims: true), variance = try x.variance(axes: [1], keepDims: true)
        return try (x - mean) / (variance + epsilon).sqrt() * gamma + beta
        // END SOLUTION
    }

    public static func layernormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    {
        // Hint: batch normalization's simplified backward, with the sums taken along each row.
        // BEGIN SOLUTION
        let d = Double(x.shape[1])
        let std = try (x.variance(axes: [1], keepDims: true) + epsilon).sqrt()
        let normalized = try (x - x.mean(axes: [1], keepDims: true)) / std
        let dNormalized = try dOut * gamma
        let dx =
            try
            (dNormalized * d - dNormalized.sum(axes: [1], keepDims: true)
            - normalized * (dNormalized * normalized).sum(axes: [1], keepDims: true)) / std / d
        return (dx, try (dOut * normalized).sum(axes: [0]), try dOut.sum(axes: [0]))
        // END SOLUTION
    }
}
