import Random
import Tensors

/// Batch normalization's running averages, kept for test time.
///
/// Convention (CS231n's `batchnorm_forward`, and the engine's `BatchNorm` layer): after each
/// training batch `running ← momentum · running + (1 − momentum) · batch statistic`, where the
/// variance is the *biased* batch variance (divide by N). The mean starts at 0 and the
/// variance at 1. (PyTorch's `momentum` weights the new statistic instead, and feeds its
/// running variance the unbiased one.)
public struct RunningStatistics: Sendable {
    public var mean: Tensor<Double>
    public var variance: Tensor<Double>
    public init(mean: Tensor<Double>, variance: Tensor<Double>) { self.mean = mean; self.variance = variance }
    /// Mean 0 and variance 1 for each of `features`.
    public init(features: Int) throws { try self.init(mean: .zeros([features]), variance: .ones([features])) }
}

/// What a hidden layer of `FullyConnectedNet` normalizes with.
public enum Normalization: String, Sendable, CaseIterable {
    case none, batchnorm, layernorm
}

/// A fully connected net of any depth: for every hidden layer
/// `affine → [batchnorm | layernorm] → relu → [dropout]`, then a last affine layer giving
/// the scores.
///
/// With hidden sizes `H₁ … H_{L−1}`, `weights[l]` is `[H_l, H_{l+1}]` (with `H₀ = D` inputs and
/// `H_L = C` classes) and `biases[l]` is `[H_{l+1}]`. With normalization, `gammas[l]` and
/// `betas[l]` (each `[H_{l+1}]`) exist for the L − 1 hidden layers; otherwise they are empty.
/// `keepProbability` is dropout's keep probability p (1: no dropout). The same type holds the
/// gradients (`normalization` and `keepProbability` copied).
public struct FullyConnectedNet: Sendable {
    public var weights: [Tensor<Double>]
    public var biases: [Tensor<Double>]
    public var gammas: [Tensor<Double>]
    public var betas: [Tensor<Double>]
    public var normalization: Normalization
    public var keepProbability: Double
    public init(
        weights: [Tensor<Double>], biases: [Tensor<Double>], gammas: [Tensor<Double>] = [], betas: [Tensor<Double>] = [],
        normalization: Normalization = .none, keepProbability: Double = 1
    ) {
        self.weights = weights; self.biases = biases; self.gammas = gammas; self.betas = betas
        self.normalization = normalization; self.keepProbability = keepProbability
    }
}

/// A model the `Solver` trains, given as its parameters and two functions of them.
public struct SolverModel {
    /// The loss on a batch and its gradient for each parameter (same order, same shapes).
    public typealias Loss = ([Tensor<Double>], Tensor<Double>, [Int]) throws -> (loss: Double, grads: [Tensor<Double>])
    /// Class scores `[N, C]` for inputs `[N, …]`.
    public typealias Scores = ([Tensor<Double>], Tensor<Double>) throws -> Tensor<Double>
    public var parameters: [Tensor<Double>]
    public var loss: Loss
    public var scores: Scores
    public init(parameters: [Tensor<Double>], loss: @escaping Loss, scores: @escaping Scores) {
        self.parameters = parameters; self.loss = loss; self.scores = scores
    }
}

/// Training and validation data for the `Solver`: inputs with their labels.
public struct SolverData {
    public var trainX: Tensor<Double>, trainLabels: [Int]
    public var valX: Tensor<Double>, valLabels: [Int]
    public init(trainX: Tensor<Double>, trainLabels: [Int], valX: Tensor<Double>, valLabels: [Int]) {
        self.trainX = trainX; self.trainLabels = trainLabels; self.valX = valX; self.valLabels = valLabels
    }
}

/// The `Solver`'s settings, named as in the course's `Solver`.
public struct SolverOptions: Sendable {
    /// `"sgd"`, `"sgd_momentum"`, `"rmsprop"` or `"adam"`: your assignment 2 update rules.
    public var updateRule = "sgd"
    public var learningRate = 1e-2
    /// Multiplies the learning rate after every epoch.
    public var learningRateDecay = 1.0
    public var epochs = 10
    public var batchSize = 100
    /// μ for `sgd_momentum`.
    public var momentum = 0.9
    /// ρ for `rmsprop`.
    public var decayRate = 0.99
    /// β₁, β₂ for `adam`.
    public var beta1 = 0.9, beta2 = 0.999
    /// ε for `rmsprop` and `adam`.
    public var epsilon = 1e-8
    public init() {}
}

/// What the `Solver` returns.
public struct SolverResult: Sendable {
    /// The parameters after the last iteration.
    public var finalParameters: [Tensor<Double>]
    /// The parameters at the end of the epoch with the best validation accuracy (the first
    /// such epoch when several tie).
    public var bestParameters: [Tensor<Double>]
    public var bestValAccuracy: Double
    /// The loss of every iteration, in order.
    public var lossHistory: [Double]
    /// Accuracy on the whole training and validation sets at the end of each epoch.
    public var trainAccuracyHistory: [Double]
    public var valAccuracyHistory: [Double]
    /// The learning rate each epoch used.
    public var learningRates: [Double]
    public init(
        finalParameters: [Tensor<Double>], bestParameters: [Tensor<Double>], bestValAccuracy: Double, lossHistory: [Double],
        trainAccuracyHistory: [Double], valAccuracyHistory: [Double], learningRates: [Double]
    ) {
        self.finalParameters = finalParameters; self.bestParameters = bestParameters; self.bestValAccuracy = bestValAccuracy
        self.lossHistory = lossHistory; self.trainAccuracyHistory = trainAccuracyHistory; self.valAccuracyHistory = valAccuracyHistory
        self.learningRates = learningRates
    }
}

/// Assignment 4: normalization, deep nets and a training driver.
///
/// Normalization inputs are `x [N, D]` with `gamma`, `beta` of `[D]`, or images
/// `[N, C, H, W]` with one `gamma`, `beta` per channel. Every variance is the biased one
/// (divide by the count), and `x̂ = (x − μ) / √(σ² + ε)`, `out = γ · x̂ + β`.
public protocol DeepNetExercises {
    /// Batch normalization over the batch (per feature). In training (`train`), normalize with
    /// the batch's mean and variance and update `running` (see `RunningStatistics` for the
    /// momentum convention); at test time normalize with `running` and leave it unchanged.
    static func batchnormForward(
        x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, train: Bool, momentum: Double, epsilon: Double,
        running: inout RunningStatistics
    ) throws -> Tensor<Double>
    /// The training-mode gradients, step by step through the computation graph
    /// (x → μ → x − μ → σ² → 1/√(σ² + ε) → x̂ → out): dx, dγ, dβ.
    static func batchnormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    /// The same gradients from the simplified closed form
    /// `dx = (γ / (N·σ)) · (N·dout − Σ dout − x̂ · Σ(dout · x̂))`, with `σ = √(σ² + ε)`.
    static func batchnormBackwardAlt(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    /// Spatial batch normalization of images `[N, C, H, W]`: one mean and variance per
    /// channel, over the batch and every position (N·H·W values); `running` holds C values.
    static func spatialBatchnormForward(
        x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, train: Bool, momentum: Double, epsilon: Double,
        running: inout RunningStatistics
    ) throws -> Tensor<Double>
    /// Its training-mode gradients; dγ and dβ have C values.
    static func spatialBatchnormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    /// Layer normalization: each example (row) normalized by its own mean and variance over
    /// its D features; the same in training and at test time.
    static func layernormForward(x: Tensor<Double>, gamma: Tensor<Double>, beta: Tensor<Double>, epsilon: Double) throws -> Tensor<Double>
    /// Its gradients.
    static func layernormBackward(dOut: Tensor<Double>, x: Tensor<Double>, gamma: Tensor<Double>, epsilon: Double) throws
        -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    /// Weights `std · N(0, 1)` drawn from `generator` layer by layer (each row-major), zero
    /// biases, and with normalization γ = 1 and β = 0 for every hidden layer.
    static func initFullyConnectedNet(
        inputs: Int, hidden: [Int], classes: Int, normalization: Normalization, keepProbability: Double, std: Double,
        generator: inout SeededGenerator
    ) throws -> FullyConnectedNet
    /// The training-mode loss and gradients: normalization with the batch's statistics
    /// (ε = 1e-5), dropout masks drawn from `generator` when `keepProbability < 1`, and
    /// loss = softmax loss + `½ · reg · Σ_l ΣW_l²` (weights only; not biases, γ or β).
    static func fullyConnectedNetLoss(net: FullyConnectedNet, x: Tensor<Double>, labels: [Int], reg: Double, generator: inout SeededGenerator) throws
        -> (loss: Double, grads: FullyConnectedNet)
    /// Trains `model` with mini-batch updates and returns the history and the best model.
    ///
    /// Each epoch runs `max(1, N / batchSize)` iterations; iteration i takes rows
    /// `i·batchSize ..< (i+1)·batchSize` of the training data (in order), computes the loss
    /// and gradients, and updates every parameter with `options.updateRule` (each parameter
    /// keeps its own optimizer state across the whole run; Adam's t counts that parameter's
    /// updates from 1). After each epoch: record the accuracy (argmax of the scores, first
    /// class on ties) on the whole training and validation sets, keep a copy of the
    /// parameters when the validation accuracy is better than every earlier epoch's, then
    /// multiply the learning rate by `learningRateDecay`. An unknown rule name is an error.
    static func solve(model: SolverModel, data: SolverData, options: SolverOptions) throws -> SolverResult
}
