import NeuralNet
import RealModule
import Tensors

/// Schedule-Free SGD and Schedule-Free AdamW (Defazio et al. 2024, arXiv:2405.15682).
///
/// Three sequences replace the learning-rate schedule: gradients are taken at `y`, the base
/// step moves `z`, and `x` is a running average of `z` that is the model to evaluate.
/// ```
/// y_t     = (1 − β) z_t + β x_t
/// z_{t+1} = z_t − γ_t · d_t                  d_t = g(y_t)                 (SGD)
///                                           d_t = g / (√v̂_t + ε) + λ y_t  (AdamW)
/// x_{t+1} = (1 − c_{t+1}) x_t + c_{t+1} z_{t+1}     c_{t+1} = γ_t² / Σ_{i≤t} γ_i²
/// ```
/// `γ_t = lr · min(1, t / warmupSteps)` (AdamW also folds in √(1 − β₂ᵗ)). Without warmup,
/// `c_{t+1} = 1/(t+1)`: a uniform average. The model holds `y` while training; call
/// `prepareForEvaluation()` before measuring accuracy (it loads `x`) and
/// `prepareForTraining()` before the next step (it restores `y`).
public final class ScheduleFree<Scalar: TensorScalar>: Optimizer<Scalar> {
    public enum Base: Sendable { case sgd, adamW }
    public let base: Base
    public var beta: Double
    public var beta2: Double
    public var epsilon: Double
    public var warmupSteps: Int
    /// Whether the model currently holds the evaluation sequence `x`.
    public private(set) var isEvaluating = false

    public init(parameters: [Parameter<Scalar>], base: Base, learningRate: Double, beta: Double = 0.9,
                beta2: Double = 0.999, epsilon: Double = 1e-8, warmupSteps: Int = 0, weightDecay: Double = 0) {
        self.base = base
        self.beta = beta
        self.beta2 = beta2
        self.epsilon = epsilon
        self.warmupSteps = warmupSteps
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay,
                   slotNames: base == .sgd ? ["z", "x"] : ["z", "x", "v"])
    }

    override public var name: String { base == .sgd ? "schedule_free_sgd" : "schedule_free_adamw" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("beta", beta), ("warmup", Double(warmupSteps))]
    }

    override public func initialState(weights: [Scalar]) -> [[Scalar]] {
        base == .sgd ? [weights, weights] : [weights, weights, [Scalar](repeating: 0, count: weights.count)]
    }

    /// `γ_t` for step `t` (counting from 1).
    public func stepSize(at step: Int) -> Double {
        let t = Double(step)
        var gamma = learningRate * (warmupSteps > 0 ? min(1, t / Double(warmupSteps)) : 1)
        if base == .adamW { gamma *= (1 - Double.pow(beta2, t)).squareRoot() }
        return gamma
    }

    override public func step() throws {
        if isEvaluating { prepareForTraining() }
        let gamma = stepSize(at: iteration + 1)
        counters["lr_sq_sum", default: 0] += gamma * gamma
        try super.step()
    }

    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let gamma = stepSize(at: iteration)
        let sum = counters["lr_sq_sum", default: 0]
        let c = sum > 0 ? gamma * gamma / sum : 1
        // Move the slots out so each can be passed inout on its own, then put them back.
        var z = [Scalar](), x = [Scalar](), v = [Scalar]()
        swap(&z, &state[0]); swap(&x, &state[1])
        if base == .adamW { swap(&v, &state[2]) }
        defer {
            swap(&z, &state[0]); swap(&x, &state[1])
            if base == .adamW { swap(&v, &state[2]) }
        }
        switch base {
        case .sgd:
            scheduleFreeSGDUpdate(&weights, gradient, &z, &x, gamma: Scalar(gamma), c: Scalar(c),
                                  beta: Scalar(beta), decay: Scalar(weightDecay))
        case .adamW:
            scheduleFreeAdamWUpdate(&weights, gradient, &z, &x, &v, gamma: Scalar(gamma),
                                    c: Scalar(c), beta: Scalar(beta), beta2: Scalar(beta2), eps: Scalar(epsilon),
                                    decay: Scalar(weightDecay))
        }
    }

    override public func prepareForEvaluation() {
        guard !isEvaluating else { return }
        for (i, p) in parameters.enumerated() where !state[i].isEmpty { p.variable.value.scalars = state[i][1] }
        isEvaluating = true
    }

    override public func prepareForTraining() {
        guard isEvaluating else { return }
        let b = Scalar(beta)
        for (i, p) in parameters.enumerated() where !state[i].isEmpty {
            let z = state[i][0], x = state[i][1]
            p.variable.value.scalars = z.indices.map { (1 - b) * z[$0] + b * x[$0] }
        }
        isEvaluating = false
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func scheduleFreeSGDUpdate<S: TensorScalar>(_ y: inout [S], _ g: [S], _ z: inout [S], _ x: inout [S],
                                            gamma: S, c: S, beta: S, decay: S) {
    for i in y.indices {
        z[i] -= gamma * (g[i] + decay * y[i])
        x[i] = (1 - c) * x[i] + c * z[i]
        y[i] = (1 - beta) * z[i] + beta * x[i]
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func scheduleFreeAdamWUpdate<S: TensorScalar>(_ y: inout [S], _ g: [S], _ z: inout [S], _ x: inout [S], _ v: inout [S],
                                              gamma: S, c: S, beta: S, beta2: S, eps: S, decay: S) {
    for i in y.indices {
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
        z[i] -= gamma * (g[i] / (v[i].squareRoot() + eps) + decay * y[i])
        x[i] = (1 - c) * x[i] + c * z[i]
        y[i] = (1 - beta) * z[i] + beta * x[i]
    }
}
