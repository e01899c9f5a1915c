import Autograd
import HomeworkKit
import NeuralNet
import Random
import Tensors

/// One normalization input: features (or channels) with means and spreads of their own, so
/// statistics over the wrong axis give visibly different answers; γ and β away from 1 and 0;
/// an ε large enough that putting it in the wrong place shows.
struct NormalizationCase {
    let x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, epsilon: Double, momentum: Double
    var input: String { "x \(x.shape), ε \(String(format: "%.3g", epsilon))" }

    /// `spatial`: images `[N, C, H, W]` with per-channel γ, β; else `[N, D]`.
    init(_ g: inout SeededGenerator, spatial: Bool = false) {
        let n = randomInt(4...7, &g), features = randomInt(3...5, &g)
        var d = features
        while d == n { d += 1 }
        let shape = spatial ? [n, d, randomInt(2...3, &g), randomInt(3...4, &g)] : [n, d]
        let perFeature = (0..<d).map { _ in (shift: 3 * g.nextNormal(), spread: 0.5 + 2 * g.nextUniform()) }
        var x = randomTensor(shape, &g)
        let plane = spatial ? shape[2] * shape[3] : 1
        for i in 0..<x.count {
            let f = (i / plane) % d
            x.scalars[i] = x.scalars[i] * perFeature[f].spread + perFeature[f].shift
        }
        self.x = x
        gamma = randomTensor([d], &g).map { $0 * 0.5 + 1.5 }
        beta = randomTensor([d], &g)
        epsilon = 0.05 + 0.2 * g.nextUniform()
        momentum = 0.6 + 0.3 * g.nextUniform()
    }

    /// The shape γ and β broadcast in against x: `[1, C, 1, 1]` for images, else `[1, D]`.
    var parameterShape: [Int] { x.shape.count == 4 ? [1, gamma.count, 1, 1] : [1, gamma.count] }

    /// `γ · (x − mean) / √(variance + ε) + β`, with `mean` and `variance` broadcast against x.
    func normalized(mean: Tensor<Double>, variance: Tensor<Double>) throws -> Tensor<Double> {
        try (x - mean) / (variance + epsilon).sqrt() * gamma.reshaped(parameterShape) + beta.reshaped(parameterShape)
    }

    /// Normalization with the statistics over `axes`, by hand (for the wrong answers).
    func normalized(over axes: [Int]) throws -> Tensor<Double> {
        try normalized(mean: x.mean(axes: axes, keepDims: true), variance: x.variance(axes: axes, keepDims: true))
    }

    /// Batch or layer normalization by the engine's autograd, with its gradients for `dOut`.
    /// `axes` are the statistics' axes: `[0]` (batch), `[0, 2, 3]` (spatial), `[1]` (layer).
    func reference(axes: [Int], dOut: Tensor<Double>? = nil) throws -> (out: Tensor<Double>, dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>) {
        let xv = Variable(x, requiresGrad: true)
        let gv = Variable(try gamma.reshaped(parameterShape), requiresGrad: true), bv = Variable(try beta.reshaped(parameterShape), requiresGrad: true)
        let out =
            axes == [1]
            ? try EngineBackend().layerNorm(xv, scale: gv, shift: bv, epsilon: epsilon)
            : try EngineBackend().batchNorm(xv, scale: gv, shift: bv, axes: axes, epsilon: epsilon).output
        guard let dOut else { return (out.value, x, gamma, beta) }
        try out.backward(dOut)
        return (out.value, xv.grad!, try gv.grad!.reshaped([gamma.count]), try bv.grad!.reshaped([beta.count]))
    }

    /// The batch statistics per feature or channel.
    func statistics(axes: [Int]) throws -> (mean: Tensor<Double>, variance: Tensor<Double>) {
        (try x.mean(axes: axes).reshaped([gamma.count]), try x.variance(axes: axes).reshaped([gamma.count]))
    }
}

/// Wrong answers a normalization forward pass is likely to give, for the failure message.
func normalizationMistakes(_ c: NormalizationCase, axes: [Int]) throws -> [Mistake] {
    let count = Double(axes.reduce(1) { $0 * c.x.shape[$1] })
    let mean = try c.x.mean(axes: axes, keepDims: true), variance = try c.x.variance(axes: axes, keepDims: true)
    let centered = try c.x - mean
    let (gamma, beta) = (try c.gamma.reshaped(c.parameterShape), try c.beta.reshaped(c.parameterShape))
    return [
        Mistake("the variance divides by N (biased), not N − 1", try c.normalized(mean: mean, variance: variance * (count / (count - 1)))),
        Mistake("ε goes inside the square root: √(σ² + ε)", try centered / (variance.sqrt() + c.epsilon) * gamma + beta),
        Mistake("scale by γ and shift by β after normalizing", try centered / (variance + c.epsilon).sqrt()),
        Mistake("γ scales and β shifts, not the other way round", try centered / (variance + c.epsilon).sqrt() * beta + gamma)
    ]
}

/// The three backward parts (dx, dγ, dβ) of a normalization exercise.
func normalizationBackwardParts(
    _ name: String, axes: [Int], spatial: Bool, points: (dx: Double, dGamma: Double, dBeta: Double),
    _ backward: @escaping (ExerciseTable) -> ExerciseTable.NormalizationBackward
) -> [Part] {
    func part(_ label: String, _ points: Double, _ pick: @escaping ((dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)) -> Tensor<Double>) -> Part {
        Part(label, points: points) { t, g in
            let c = NormalizationCase(&g, spatial: spatial)
            let dOut = randomTensor(c.x.shape, &g)
            let ref = try c.reference(axes: axes, dOut: dOut)
            let got = try backward(t)(dOut, c.x, c.gamma, c.epsilon)
            var mistakes: [Mistake] = []
            if label == "dx" {
                // Treating μ and σ² as constants: the gradient stops at x̂.
                let std = try (c.x.variance(axes: axes, keepDims: true) + c.epsilon).sqrt()
                mistakes.append(Mistake("the batch mean and variance depend on x too: add the paths through μ and σ²", try dOut * c.gamma.reshaped(c.parameterShape) / std))
            }
            if label == "dgamma" {
                mistakes.append(Mistake("dγ sums dout · x̂ (the normalized input), not dout · x", try (dOut * c.x).sum(axes: axes == [1] ? [0] : axes).reshaped([c.gamma.count])))
            }
            let reduceCount = Double(c.x.count / c.gamma.count)
            try Check.tensor(
                "\(name) \(label)", got: pick(got), expected: pick((ref.dx, ref.dGamma, ref.dBeta)), input: c.input + ", random dOut",
                scaleHints: label == "dx" ? [] : [(1 / reduceCount, "\(label == "dbeta" ? "dβ" : "dγ") sums over the batch\(spatial ? " and every position" : ""); it is not the mean")],
                mistakes: mistakes)
        }
    }
    return [part("dx", points.dx, { $0.dx }), part("dgamma", points.dGamma, { $0.dGamma }), part("dbeta", points.dBeta, { $0.dBeta })]
}

/// The forward parts of batch normalization, plain or spatial: the training output, the
/// running statistics after several batches, and test mode.
func batchnormForwardParts(_ name: String, spatial: Bool, _ forward: @escaping (ExerciseTable) -> ExerciseTable.NormalizationForward) -> [Part] {
    let axes = spatial ? [0, 2, 3] : [0]
    return [
        Part("train output", points: 2) { t, g in
            let c = NormalizationCase(&g, spatial: spatial)
            var running = try RunningStatistics(features: c.gamma.count)
            let got = try forward(t)(c.x, c.gamma, c.beta, true, c.momentum, c.epsilon, &running)
            var mistakes = try normalizationMistakes(c, axes: axes)
            if spatial {
                mistakes.append(Mistake("one mean and variance per channel, over the batch and every position (axes N, H, W)", try c.normalized(over: [0])))
            }
            try Check.tensor("\(name) (train)", got: got, expected: try c.reference(axes: axes).out, input: c.input, mistakes: mistakes)
        },
        Part("running statistics", points: 2) { t, g in
            // Three batches from different distributions, starting from given running values.
            let features = randomInt(3...5, &g)
            var running = RunningStatistics(mean: randomTensor([features], &g), variance: randomTensor([features], &g).map { abs($0) + 0.5 })
            var expected = running
            var input = "three training batches"
            for _ in 0..<3 {
                var c = NormalizationCase(&g, spatial: spatial)
                while c.gamma.count != features { c = NormalizationCase(&g, spatial: spatial) }
                _ = try forward(t)(c.x, c.gamma, c.beta, true, c.momentum, c.epsilon, &running)
                let (mean, variance) = try c.statistics(axes: axes)
                expected.mean = try expected.mean * c.momentum + mean * (1 - c.momentum)
                expected.variance = try expected.variance * c.momentum + variance * (1 - c.momentum)
                input = "three training batches (the last: \(c.input), momentum \(String(format: "%.2f", c.momentum)))"
            }
            try Check.tensor("\(name) running mean", got: running.mean, expected: expected.mean, input: input)
            try Check.tensor("\(name) running variance", got: running.variance, expected: expected.variance, input: input)
        },
        Part("test mode", points: 1) { t, g in
            let c = NormalizationCase(&g, spatial: spatial)
            let stored = RunningStatistics(mean: randomTensor([c.gamma.count], &g), variance: randomTensor([c.gamma.count], &g).map { abs($0) + 0.5 })
            var running = stored
            let got = try forward(t)(c.x, c.gamma, c.beta, false, c.momentum, c.epsilon, &running)
            let expected = try c.normalized(mean: stored.mean.reshaped(c.parameterShape), variance: stored.variance.reshaped(c.parameterShape))
            try Check.tensor(
                "\(name) (test)", got: got, expected: expected, input: c.input + ", test mode",
                mistakes: [Mistake("at test time normalize with the running mean and variance, not the batch's", try c.reference(axes: axes).out)])
            try Check.that(
                running.mean.scalars == stored.mean.scalars && running.variance.scalars == stored.variance.scalars,
                "\(name): test mode must leave the running statistics unchanged")
        }
    ]
}

let normalizationExercises: [Exercise] = [
    Exercise(id: "a4.batchnorm_forward", assignment: 4, title: "Batch normalization forward (train and test)", parts: batchnormForwardParts("batchnorm_forward", spatial: false) { $0.batchnormForward }),
    Exercise(
        id: "a4.batchnorm_backward", assignment: 4, title: "Batch normalization backward (computation graph)",
        parts: normalizationBackwardParts("batchnorm_backward", axes: [0], spatial: false, points: (2, 1, 1)) { $0.batchnormBackward }),
    Exercise(
        id: "a4.batchnorm_backward_alt", assignment: 4, title: "Batch normalization backward (simplified)",
        parts: normalizationBackwardParts("batchnorm_backward_alt", axes: [0], spatial: false, points: (2, 0.5, 0.5)) { $0.batchnormBackwardAlt }),
    Exercise(
        id: "a4.spatial_batchnorm", assignment: 4, title: "Spatial batch normalization (per channel)",
        parts: batchnormForwardParts("spatial_batchnorm_forward", spatial: true) { $0.spatialBatchnormForward }
            + normalizationBackwardParts("spatial_batchnorm_backward", axes: [0, 2, 3], spatial: true, points: (1, 0.5, 0.5)) { $0.spatialBatchnormBackward }),
    Exercise(
        id: "a4.layernorm", assignment: 4, title: "Layer normalization forward and backward",
        parts: [
            Part("forward", points: 2) { t, g in
                let c = NormalizationCase(&g)
                var mistakes = try normalizationMistakes(c, axes: [1])
                mistakes.append(Mistake("layer normalization uses each example's own statistics (over its features, axis 1), not the batch's", try c.normalized(over: [0])))
                try Check.tensor("layernorm_forward", got: try t.layernormForward(c.x, c.gamma, c.beta, c.epsilon), expected: try c.reference(axes: [1]).out, input: c.input, mistakes: mistakes)
            }
        ] + normalizationBackwardParts("layernorm_backward", axes: [1], spatial: false, points: (1, 0.5, 0.5)) { $0.layernormBackward })
]
