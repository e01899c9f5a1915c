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
/// x_{t+1} = (1 − c_{t+1}) x_t + c_{t+1} z_{t+1}     c_{t+1} = ω_t / Σ_{i≤t} ω_i
/// ω_t = t^r · (max_{i≤t} γ_i)^p
/// ```
/// `γ_t = lr · min(1, t / warmupSteps)` (AdamW also folds in √(1 − β₂ᵗ)). The defaults are
/// the reference implementation's: `r = 0`, `p = weight_lr_power = 2`. Without warmup (and
/// for SGD) every ω is equal, so `c_{t+1} = 1/(t+1)`: a uniform average; `r > 0` weights
/// later iterates more. The model holds `y` while training; call
/// `prepareForEvaluation()` before measuring accuracy (it loads `x`) and
/// `prepareForTraining()` before the next step (it restores `y`).
public final class ScheduleFree<Scalar: TensorScalar>: Optimizer<Scalar> {
    public enum Base: Sendable { case sgd, adamW }
    public let base: Base
    public var beta: Double
    public var beta2: Double
    public var epsilon: Double
    public var warmupSteps: Int
    /// The exponent of t in the averaging weight ω_t (0: no polynomial weighting).
    public var r: Double
    /// The exponent of the largest step size so far in ω_t.
    public var weightLearningRatePower: Double
    /// Whether the model currently holds the evaluation sequence `x`.
    public private(set) var isEvaluating = false

    public init(
        parameters: [Parameter<Scalar>], base: Base, learningRate: Double, beta: Double = 0.9,
        beta2: Double = 0.999, epsilon: Double = 1e-8, warmupSteps: Int = 0, r: Double = 0,
        weightLearningRatePower: Double = 2, weightDecay: Double = 0
    ) {
        self.r = r
        self.weightLearningRatePower = weightLearningRatePower
        self.base = base
        self.beta = beta
        self.beta2 = beta2
        self.epsilon = epsilon
        self.warmupSteps = warmupSteps
        super.init(
            parameters: parameters, learningRate: learningRate, weightDecay: weightDecay,
            slotNames: base == .sgd ? ["z", "x"] : ["z", "x", "v"])
    }

    override public var name: String { base == .sgd ? "schedule_free_sgd" : "schedule_free_adamw" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("beta", beta), ("warmup", Double(warmupSteps))]
            + (r != 0 ? [("r", r)] : []) + (weightLearningRatePower != 2 ? [("weight_lr_power", weightLearningRatePower)] : [])
            + (epsilon != 1e-8 ? [("eps", epsilon)] : [])
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
        let t = iteration + 1
        let largest = max(counters["lr_max", default: 0], stepSize(at: t))
        let weight = Double.pow(Double(t), r) * Double.pow(largest, weightLearningRatePower)
        counters["lr_max"] = largest
        counters["weight_sum", default: 0] += weight
        let sum = counters["weight_sum", default: 0]
        counters["c"] = sum > 0 ? weight / sum : 1
        try super.step()
    }

    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let gamma = stepSize(at: iteration)
        let c = counters["c", default: 1]
        let k = ScheduleFreeConstants(gamma: gamma, c: c, beta: beta, beta2: beta2, epsilon: epsilon, decay: weightDecay)
        switch base {
        case .sgd:
            TypedDispatch.run(
                &weights, gradient, &state,
                float: { scheduleFreeSGDUpdate($0, ScheduleFreeConstants<Float>(k)) },
                double: { scheduleFreeSGDUpdate($0, k) })
        case .adamW:
            TypedDispatch.run(
                &weights, gradient, &state,
                float: { scheduleFreeAdamWUpdate($0, ScheduleFreeConstants<Float>(k)) },
                double: { scheduleFreeAdamWUpdate($0, k) })
        }
    }

    override public func prepareForEvaluation() {
        guard !isEvaluating else { return }
        for (i, p) in parameters.enumerated() where !state[i].isEmpty { p.variable.value.scalars = state[i][1] }
        isEvaluating = true
    }

    override public func prepareForTraining() {
        guard isEvaluating else { return }
        let b = Scalar(beta), oneMinusB = Scalar(1 - beta)
        for (i, p) in parameters.enumerated() where !state[i].isEmpty {
            let z = state[i][0], x = state[i][1]
            p.variable.value.scalars = z.indices.map { oneMinusB * z[$0] + b * x[$0] }
        }
        isEvaluating = false
    }
}

/// One step's constants, each derived in Double and rounded once to the element type
/// (`1 − c`, `1 − β`, `1 − β₂` in Float32 arithmetic would be off by up to 1e-4 relative).
struct ScheduleFreeConstants<S: TensorScalar> {
    let gamma, c, oneMinusC, beta, oneMinusBeta, beta2, oneMinusBeta2, epsilon, decay: S

    init(gamma: Double, c: Double, beta: Double, beta2: Double, epsilon: Double, decay: Double) where S == Double {
        self.gamma = gamma; self.c = c; oneMinusC = 1 - c; self.beta = beta; oneMinusBeta = 1 - beta
        self.beta2 = beta2; oneMinusBeta2 = 1 - beta2; self.epsilon = epsilon; self.decay = decay
    }

    init(_ k: ScheduleFreeConstants<Double>) {
        gamma = S(k.gamma); c = S(k.c); oneMinusC = S(k.oneMinusC); beta = S(k.beta); oneMinusBeta = S(k.oneMinusBeta)
        beta2 = S(k.beta2); oneMinusBeta2 = S(k.oneMinusBeta2); epsilon = S(k.epsilon); decay = S(k.decay)
    }
}

@inline(__always)
func scheduleFreeSGDUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, _ k: ScheduleFreeConstants<S>) {
    let (y, g, z, x) = (b.weights, b.gradient, b.slots[0], b.slots[1])
    for i in 0..<y.count {
        z[i] -= k.gamma * (g[i] + k.decay * y[i])
        x[i] = k.oneMinusC * x[i] + k.c * z[i]
        y[i] = k.oneMinusBeta * z[i] + k.beta * x[i]
    }
}

@inline(__always)
func scheduleFreeAdamWUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, _ k: ScheduleFreeConstants<S>) {
    let (y, g, z, x, v) = (b.weights, b.gradient, b.slots[0], b.slots[1], b.slots[2])
    for i in 0..<y.count {
        v[i] = k.beta2 * v[i] + k.oneMinusBeta2 * g[i] * g[i]
        z[i] -= k.gamma * (g[i] / (v[i].squareRoot() + k.epsilon) + k.decay * y[i])
        x[i] = k.oneMinusC * x[i] + k.c * z[i]
        y[i] = k.oneMinusBeta * z[i] + k.beta * x[i]
    }
}
