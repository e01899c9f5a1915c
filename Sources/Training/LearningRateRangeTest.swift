import Autograd
import Foundation
import NeuralNet
import Optimizers
import Random
import Tensors

/// The learning-rate range test: one short run whose rate grows geometrically every step,
/// from `start` to `end`, recording the loss at each rate.
///
/// Step i of n uses `lr_i = start · (end / start)^(i / (n − 1))`. The loss is smoothed with
/// an exponential moving average (weight `smoothing` on the past, bias-corrected as Adam's
/// moments are). The run stops once the smoothed loss exceeds `stopFactor` × its lowest
/// value, or is not finite. A good rate lies where the loss falls fastest, well below the
/// rate at its lowest point; `steepestRate` gives the first, `minimumRate` the second.
public struct LearningRateRangeTest: Sendable {
    public var start = 1e-7
    public var end = 10.0
    public var steps = 100
    public var batchSize = 100
    public var update: UpdateRule = .sgd
    public var smoothing = 0.9
    public var stopFactor = 4.0
    public var seed: UInt64 = 0

    public init() {}

    public struct Result: Sendable {
        public var learningRates: [Double] = []
        /// Raw mini-batch losses and their smoothed average, one per step.
        public var losses: [Double] = []
        public var smoothedLosses: [Double] = []
        /// Whether the run stopped because the loss blew up.
        public var diverged = false

        /// The rate at the lowest smoothed loss.
        public var minimumRate: Double? {
            smoothedLosses.indices.min { smoothedLosses[$0] < smoothedLosses[$1] }.map { learningRates[$0] }
        }

        /// The rate where the smoothed loss falls fastest per decade of rate (the most negative
        /// slope of loss against log10 lr, over steps before the minimum).
        public var steepestRate: Double? {
            guard let low = smoothedLosses.indices.min(by: { smoothedLosses[$0] < smoothedLosses[$1] }), low >= 2 else { return nil }
            var best: (slope: Double, index: Int)?
            for i in 1...low {
                let slope = (smoothedLosses[i] - smoothedLosses[i - 1]) / (Foundation.log10(learningRates[i]) - Foundation.log10(learningRates[i - 1]))
                if best == nil || slope < best!.slope { best = (slope, i) }
            }
            return best.map { learningRates[$0.index] }
        }
    }

    /// Runs the test on `model` (whose weights it changes: pass a fresh one) over `data`.
    public func run<Scalar: TensorScalar>(model: Module<Scalar>, data: Dataset<Scalar>, shouldStop: () -> Bool = { false }) throws -> Result {
        guard start > 0, end > start, start.isFinite, end.isFinite else {
            throw DataError.invalid("lr range test: needs 0 < start < end, both finite (got \(start) and \(end))")
        }
        guard steps >= 2 else { throw DataError.invalid("lr range test: needs at least 2 steps, got \(steps)") }
        guard data.count > 0 else { throw DataError.invalid("lr range test: the data is empty") }
        let optimizer = update.make(parameters: model.parameters, learningRate: start)
        var generator = SeededGenerator(seed: seed)
        let batches = MiniBatches(count: data.count, batchSize: batchSize, sampleBatches: true)
        var result = Result()
        var average = 0.0, lowest = Double.infinity
        model.training = true
        // In log space, so that end / start may exceed the largest Double (1e-300 to 1e300).
        let logStart = Foundation.log(start), logSpan = Foundation.log(end) - Foundation.log(start)
        var step = 0
        while step < steps && !shouldStop() {
            for idx in batches.epoch(using: &generator) where step < steps {
                let rate = Foundation.exp(logStart + logSpan * Double(step) / Double(steps - 1))
                optimizer.learningRate = rate
                let scores = try model(try data.inputs.take(idx))
                let loss = try scores.softmaxCrossEntropy(labels: idx.map { data.labels[$0] })
                let value = Double(loss.value.scalars[0])
                step += 1
                guard value.isFinite else {
                    result.diverged = true
                    return result
                }
                average = smoothing * average + (1 - smoothing) * value
                let smoothed = average / (1 - Foundation.pow(smoothing, Double(step)))
                result.learningRates.append(rate)
                result.losses.append(value)
                result.smoothedLosses.append(smoothed)
                lowest = min(lowest, smoothed)
                if smoothed > stopFactor * lowest {
                    result.diverged = true
                    return result
                }
                try loss.backward()
                try optimizer.step()
                optimizer.zeroGrad()
            }
        }
        return result
    }
}
