import Foundation
import GraderFixtures
import Grading
import HomeworkKit
import NeuralNet
import Random
import Solutions
import Tensors
import Testing

// Plausible mistakes in assignments 3 (im2col), 4 and 5, each written as a wrong
// implementation built around the reference answer.

/// Batch normalization forward with one thing wrong.
enum NormForwardBug { case unbiasedVariance, momentumOnNew, batchStatisticsAtTest, epsilonOutsideRoot }
func buggyBatchnorm(_ x: T, _ gamma: T, _ beta: T, _ train: Bool, _ momentum: Double, _ eps: Double, _ running: inout RunningStatistics, _ bug: NormForwardBug) throws -> T {
    let n = Double(x.shape[0])
    if !train && bug != .batchStatisticsAtTest { return try S.batchnormForward(x: x, gamma: gamma, beta: beta, train: false, momentum: momentum, epsilon: eps, running: &running) }
    let mean = try x.mean(axes: [0])
    var variance = try x.variance(axes: [0])
    if bug == .unbiasedVariance { variance = variance * (n / (n - 1)) }
    if train {
        let keep = bug == .momentumOnNew ? 1 - momentum : momentum
        running.mean = try running.mean * keep + mean * (1 - keep)
        running.variance = try running.variance * keep + variance * (1 - keep)
    }
    let std = bug == .epsilonOutsideRoot ? variance.sqrt() + eps : try (variance + eps).sqrt()
    return try (x - mean) / std * gamma + beta
}

/// A backward pass with one thing wrong, built from the reference's.
enum NormBackwardBug { case ignoresStatistics, betaMean, gammaWithRawInput }
func buggyBackward(_ reference: @escaping ExerciseTable.NormalizationBackward, axes: [Int], _ bug: NormBackwardBug) -> ExerciseTable.NormalizationBackward {
    { d, x, gamma, eps in
        var r = try reference(d, x, gamma, eps)
        let count = Double(x.count / gamma.count)
        let shape = x.shape.count == 4 ? [1, gamma.count, 1, 1] : axes == [1] ? [gamma.count] : [1, gamma.count]
        switch bug {
        case .ignoresStatistics: r.dx = try d * gamma.reshaped(shape) / (x.variance(axes: axes, keepDims: true) + eps).sqrt()
        case .betaMean: r.dBeta = r.dBeta / count
        case .gammaWithRawInput: r.dGamma = try (d * x).sum(axes: axes == [1] ? [0] : axes).reshaped([gamma.count])
        }
        return r
    }
}

/// Spatial batch normalization that takes one mean per channel and position (over N only).
func perPixelSpatial(_ x: T, _ gamma: T, _ beta: T, _ train: Bool, _ momentum: Double, _ eps: Double, _ running: inout RunningStatistics) throws -> T {
    guard train else { return try S.spatialBatchnormForward(x: x, gamma: gamma, beta: beta, train: false, momentum: momentum, epsilon: eps, running: &running) }
    // The running averages stay right; only the output is wrong.
    _ = try S.spatialBatchnormForward(x: x, gamma: gamma, beta: beta, train: true, momentum: momentum, epsilon: eps, running: &running)
    let shape = [1, gamma.count, 1, 1]
    return try (x - x.mean(axes: [0], keepDims: true)) / (x.variance(axes: [0], keepDims: true) + eps).sqrt() * gamma.reshaped(shape) + beta.reshaped(shape)
}

/// The fully connected net with one thing wrong.
func netWithPenalty(_ factor: Double, biases: Bool) -> (FullyConnectedNet, T, [Int], Double, inout SeededGenerator) throws -> (loss: Double, grads: FullyConnectedNet) {
    { net, x, y, reg, g in
        var r = try S.fullyConnectedNetLoss(net: net, x: x, labels: y, reg: reg, generator: &g)
        for (l, w) in net.weights.enumerated() {
            r.loss += (factor - 1) * 0.5 * reg * w.scalars.reduce(0) { $0 + $1 * $1 }
            r.grads.weights[l] = try r.grads.weights[l] + w * ((factor - 1) * reg)
        }
        if biases {
            for (l, b) in net.biases.enumerated() {
                r.loss += 0.5 * reg * b.scalars.reduce(0) { $0 + $1 * $1 }
                r.grads.biases[l] = try r.grads.biases[l] + b * reg
            }
        }
        return r
    }
}

/// Dropout in the net whose backward pass forgets the 1/p.
func netDropoutBackwardUnscaled(_ net: FullyConnectedNet, _ x: T, _ y: [Int], _ reg: Double, _ g: inout SeededGenerator) throws -> (loss: Double, grads: FullyConnectedNet) {
    var r = try S.fullyConnectedNetLoss(net: net, x: x, labels: y, reg: reg, generator: &g)
    guard net.keepProbability < 1 else { return r }
    // Only the layers below a dropout see its scale: every layer but the last.
    for l in 0..<(net.weights.count - 1) {
        let data = try r.grads.weights[l] - net.weights[l] * reg
        r.grads.weights[l] = try data * net.keepProbability + net.weights[l] * reg
    }
    return r
}

/// The Solver with one thing wrong.
enum SolverBug { case decaysPerIteration, finalAsBest, freshStatePerEpoch, unknownRuleIsSGD, lossPerEpoch }
func buggySolve(_ model: SolverModel, _ data: SolverData, _ options: SolverOptions, _ bug: SolverBug) throws -> SolverResult {
    switch bug {
    case .finalAsBest:
        var r = try S.solve(model: model, data: data, options: options)
        r.bestParameters = r.finalParameters
        r.bestValAccuracy = r.valAccuracyHistory.last ?? 0
        return r
    case .unknownRuleIsSGD:
        var o = options
        if !["sgd", "sgd_momentum", "rmsprop", "adam"].contains(o.updateRule) { o.updateRule = "sgd" }
        return try S.solve(model: model, data: data, options: o)
    case .lossPerEpoch:
        var r = try S.solve(model: model, data: data, options: options)
        let per = r.lossHistory.count / max(1, options.epochs)
        r.lossHistory = stride(from: per - 1, to: r.lossHistory.count, by: max(1, per)).map { r.lossHistory[$0] }
        return r
    case .decaysPerIteration, .freshStatePerEpoch:
        // One epoch at a time, carrying the parameters over (so optimizer state restarts each
        // epoch; plain SGD, which the decay check uses, has none to lose).
        var current = model, o = options, result: SolverResult?
        let iterations = max(1, data.trainX.shape[0] / options.batchSize)
        o.epochs = 1
        var best = -1.0
        for _ in 0..<options.epochs {
            let r = try S.solve(model: current, data: data, options: o)
            current.parameters = r.finalParameters
            if result == nil {
                result = r
            } else {
                result!.finalParameters = r.finalParameters; result!.lossHistory += r.lossHistory
                result!.trainAccuracyHistory += r.trainAccuracyHistory; result!.valAccuracyHistory += r.valAccuracyHistory
                result!.learningRates += r.learningRates
            }
            if r.bestValAccuracy > best { best = r.bestValAccuracy; result!.bestParameters = r.finalParameters; result!.bestValAccuracy = best }
            o.learningRate *= bug == .decaysPerIteration ? pow(options.learningRateDecay, Double(iterations)) : options.learningRateDecay
        }
        return result!
    }
}

/// im2col with its rows ordered (r, s, c) instead of (c, r, s).
func im2colChannelsLast(_ x: T, _ r: Int, _ s: Int, _ stride: Int, _ pad: Int) throws -> T {
    let cols = try S.im2col(x: x, filterHeight: r, filterWidth: s, stride: stride, pad: pad)
    let c = x.shape[1], width = cols.shape[1]
    var out = cols
    for ci in 0..<c {
        for ri in 0..<r {
            for si in 0..<s {
                let from = (ci * r + ri) * s + si, to = (ri * s + si) * c + ci
                for j in 0..<width { out.scalars[to * width + j] = cols.scalars[from * width + j] }
            }
        }
    }
    return out
}

/// col2im that assigns instead of adding where windows overlap.
func col2imOverwriting(_ cols: T, _ shape: [Int], _ r: Int, _ s: Int, _ stride: Int, _ pad: Int) throws -> T {
    let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
    let p = (h + 2 * pad - r) / stride + 1, q = (w + 2 * pad - s) / stride + 1
    var out = try T.zeros(shape)
    for ci in 0..<c {
        for ri in 0..<r {
            for si in 0..<s {
                for ni in 0..<n {
                    for i in 0..<p {
                        for j in 0..<q {
                            let y = i * stride + ri - pad, xx = j * stride + si - pad
                            if y >= 0 && y < h && xx >= 0 && xx < w {
                                out.scalars[((ni * c + ci) * h + y) * w + xx] = cols.scalars[((ci * r + ri) * s + si) * n * p * q + (ni * p + i) * q + j]
                            }
                        }
                    }
                }
            }
        }
    }
    return out
}

/// A checkpoint of the reference architecture with untrained weights, written once.
let untrainedCheckpoint: String = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-untrained-\(getpid()).npz").path
    var g = SeededGenerator(seed: 99)
    try? (try? S.projectModel(generator: &g))?.save(to: path)
    return path
}()

let deepNetMutants: [Mutant] =
    [
        Mutant(exercise: "a3.im2col", mistake: "rows ordered (r, s, c)") { $0.im2col = im2colChannelsLast },
        Mutant(exercise: "a3.im2col", mistake: "im2col ignores the padding") { $0.im2col = { x, r, s, stride, _ in try S.im2col(x: x, filterHeight: r, filterWidth: s, stride: stride, pad: 0) } },
        Mutant(exercise: "a3.im2col", mistake: "col2im overwrites overlapping windows") { $0.col2im = col2imOverwriting },
        Mutant(exercise: "a3.im2col", mistake: "conv forgets the bias") { $0.convForwardIm2col = { x, w, b, s, p in try S.convForwardIm2col(x: x, w: w, b: b * 0, stride: s, pad: p) } },

        Mutant(exercise: "a4.batchnorm_forward", mistake: "unbiased variance") { $0.batchnormForward = { try buggyBatchnorm($0, $1, $2, $3, $4, $5, &$6, .unbiasedVariance) } },
        Mutant(exercise: "a4.batchnorm_forward", mistake: "momentum weights the new statistic (PyTorch's)") { $0.batchnormForward = { try buggyBatchnorm($0, $1, $2, $3, $4, $5, &$6, .momentumOnNew) } },
        Mutant(exercise: "a4.batchnorm_forward", mistake: "batch statistics at test time") { $0.batchnormForward = { try buggyBatchnorm($0, $1, $2, $3, $4, $5, &$6, .batchStatisticsAtTest) } },
        Mutant(exercise: "a4.batchnorm_forward", mistake: "ε outside the square root") { $0.batchnormForward = { try buggyBatchnorm($0, $1, $2, $3, $4, $5, &$6, .epsilonOutsideRoot) } }
    ]
    + [("a4.batchnorm_backward", \ExerciseTable.batchnormBackward), ("a4.batchnorm_backward_alt", \ExerciseTable.batchnormBackwardAlt)].flatMap { id, path in
        [NormBackwardBug.ignoresStatistics, .betaMean, .gammaWithRawInput].map { bug in
            Mutant(exercise: id, mistake: "\(bug)") { t in t[keyPath: path] = buggyBackward(S.batchnormBackwardAlt, axes: [0], bug) }
        }
    } + [
        Mutant(exercise: "a4.spatial_batchnorm", mistake: "statistics per channel and position") { $0.spatialBatchnormForward = perPixelSpatial },
        Mutant(exercise: "a4.spatial_batchnorm", mistake: "dβ averaged") { $0.spatialBatchnormBackward = buggyBackward(S.spatialBatchnormBackward, axes: [0, 2, 3], .betaMean) },
        Mutant(exercise: "a4.spatial_batchnorm", mistake: "backward ignores the statistics' paths") { $0.spatialBatchnormBackward = buggyBackward(S.spatialBatchnormBackward, axes: [0, 2, 3], .ignoresStatistics) },
        Mutant(exercise: "a4.spatial_batchnorm", mistake: "running averages weight the new statistic") {
            $0.spatialBatchnormForward = { x, gamma, beta, train, m, eps, running in
                try S.spatialBatchnormForward(x: x, gamma: gamma, beta: beta, train: train, momentum: 1 - m, epsilon: eps, running: &running)
            }
        },

        Mutant(exercise: "a4.layernorm", mistake: "batch statistics (axis 0)") {
            $0.layernormForward = { x, gamma, beta, eps in
                var r = try RunningStatistics(features: gamma.count)
                return try S.batchnormForward(x: x, gamma: gamma, beta: beta, train: true, momentum: 0.9, epsilon: eps, running: &r)
            }
        },
        Mutant(exercise: "a4.layernorm", mistake: "unbiased variance") {
            $0.layernormForward = { x, gamma, beta, eps in
                let d = Double(x.shape[1])
                return try (x - x.mean(axes: [1], keepDims: true)) / (x.variance(axes: [1], keepDims: true) * (d / (d - 1)) + eps).sqrt() * gamma + beta
            }
        },
        Mutant(exercise: "a4.layernorm", mistake: "backward ignores the statistics' paths") { $0.layernormBackward = buggyBackward(S.layernormBackward, axes: [1], .ignoresStatistics) },
        Mutant(exercise: "a4.layernorm", mistake: "dβ averaged") { $0.layernormBackward = buggyBackward(S.layernormBackward, axes: [1], .betaMean) },

        Mutant(exercise: "a4.fully_connected_net", mistake: "penalty without the ½") { $0.fullyConnectedNetLoss = netWithPenalty(2, biases: false) },
        Mutant(exercise: "a4.fully_connected_net", mistake: "penalizes the biases too") { $0.fullyConnectedNetLoss = netWithPenalty(1, biases: true) },
        Mutant(exercise: "a4.fully_connected_net", mistake: "dropout backward without 1/p") { $0.fullyConnectedNetLoss = netDropoutBackwardUnscaled },
        Mutant(exercise: "a4.fully_connected_net", mistake: "normalization ignored") {
            $0.fullyConnectedNetLoss = { net, x, y, reg, g in
                var plain = net
                plain.normalization = .none
                var r = try S.fullyConnectedNetLoss(net: plain, x: x, labels: y, reg: reg, generator: &g)
                r.grads.normalization = net.normalization
                r.grads.gammas = net.gammas.map { $0 * 0 }; r.grads.betas = net.betas.map { $0 * 0 }
                return r
            }
        },
        Mutant(exercise: "a4.fully_connected_net", mistake: "γ initialized to 0") {
            $0.initFullyConnectedNet = { d, h, c, norm, keep, std, g in
                var net = try S.initFullyConnectedNet(inputs: d, hidden: h, classes: c, normalization: norm, keepProbability: keep, std: std, generator: &g)
                net.gammas = net.gammas.map { $0 * 0 }
                return net
            }
        },

        Mutant(exercise: "a4.solver", mistake: "decays the rate every iteration") { $0.solve = { try buggySolve($0, $1, $2, .decaysPerIteration) } },
        Mutant(exercise: "a4.solver", mistake: "returns the last model as the best") { $0.solve = { try buggySolve($0, $1, $2, .finalAsBest) } },
        Mutant(exercise: "a4.solver", mistake: "fresh optimizer state every epoch") { $0.solve = { try buggySolve($0, $1, $2, .freshStatePerEpoch) } },
        Mutant(exercise: "a4.solver", mistake: "unknown rule runs as sgd") { $0.solve = { try buggySolve($0, $1, $2, .unknownRuleIsSGD) } },
        Mutant(exercise: "a4.solver", mistake: "records one loss per epoch") { $0.solve = { try buggySolve($0, $1, $2, .lossPerEpoch) } },

        Mutant(exercise: "a5.project", mistake: "no checkpoint committed") { $0.projectCheckpoint = "/nonexistent/project/model.npz" },
        Mutant(exercise: "a5.project", mistake: "checkpoint of an untrained model") { $0.projectCheckpoint = untrainedCheckpoint },
        Mutant(exercise: "a5.project", mistake: "architecture changed after training") {
            $0.projectModel = { g in
                Sequential([
                    try Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3, pad: 1, using: &g), ReLU(), MaxPool2d(size: 4, stride: 4),
                    Flatten(), try Linear(inputs: 8 * 8 * 8, outputs: 10, using: &g)
                ])
            }
        }
    ]
