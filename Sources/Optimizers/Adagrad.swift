import NeuralNet
import Tensors

/// Adagrad (Duchi et al. 2011): per-weight step sizes shrink with the sum of squared gradients,
/// so the effective learning rate decays monotonically — often too fast for deep nets.
///
/// ```
/// cache₀ = initial_accumulator_value      lr_t = lr / (1 + (t − 1) · lr_decay)
/// cache ← cache + ∇w²                     w ← w − lr_t · ∇w / (√cache + ε)
/// ```
/// (PyTorch's `Adagrad(lr, lr_decay, initial_accumulator_value, eps)`; t counts from 1.)
public final class Adagrad<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var epsilon: Double
    public var learningRateDecay: Double
    public var initialAccumulator: Double

    public init(
        parameters: [Parameter<Scalar>], learningRate: Double, epsilon: Double = 1e-8, learningRateDecay: Double = 0,
        initialAccumulator: Double = 0, weightDecay: Double = 0
    ) {
        self.epsilon = epsilon
        self.learningRateDecay = learningRateDecay
        self.initialAccumulator = initialAccumulator
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["cache"])
    }
    override public var name: String { "adagrad" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + (learningRateDecay != 0 ? [("lr_decay", learningRateDecay)] : [])
            + (initialAccumulator != 0 ? [("initial_accumulator_value", initialAccumulator)] : [])
            + (epsilon != 1e-8 ? [("eps", epsilon)] : [])
    }
    override public func initialState(weights: [Scalar]) -> [[Scalar]] {
        [[Scalar](repeating: Scalar(initialAccumulator), count: weights.count)]
    }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let lr = learningRate / (1 + Double(max(0, iteration - 1)) * learningRateDecay)
        let (eps, decay) = (epsilon, weightDecay)
        TypedDispatch.run(
            &weights, gradient, &state,
            float: { rmsUpdate($0, lr: Float(lr), keep: 1, add: 1, eps: Float(eps), decay: Float(decay)) },
            double: { rmsUpdate($0, lr: lr, keep: 1, add: 1, eps: eps, decay: decay) })
    }
}

/// RMSprop (Tieleman & Hinton 2012): Adagrad with a leaky cache, so steps do not vanish;
/// `centered` (Graves 2013, PyTorch's option) divides by an estimate of the gradient's
/// variance instead of its second moment.
///
/// ```
/// cache ← ρ cache + (1 − ρ) ∇w²                 w ← w − lr · ∇w / (√cache + ε)
/// centered: ḡ ← ρ ḡ + (1 − ρ) ∇w                w ← w − lr · ∇w / (√(cache − ḡ²) + ε)
/// ```
public final class RMSprop<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var decayRate: Double
    public var epsilon: Double
    public let centered: Bool

    public init(
        parameters: [Parameter<Scalar>], learningRate: Double, decayRate: Double = 0.99,
        epsilon: Double = 1e-8, centered: Bool = false, weightDecay: Double = 0
    ) {
        self.decayRate = decayRate
        self.epsilon = epsilon
        self.centered = centered
        super.init(
            parameters: parameters, learningRate: learningRate, weightDecay: weightDecay,
            slotNames: centered ? ["cache", "grad_avg"] : ["cache"])
    }
    override public var name: String { "rmsprop" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("decay_rate", decayRate)] + (centered ? [("centered", 1)] : [])
            + (epsilon != 1e-8 ? [("eps", epsilon)] : [])
    }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let (lr, rho, eps, decay) = (learningRate, decayRate, epsilon, weightDecay)
        if centered {
            TypedDispatch.run(
                &weights, gradient, &state,
                float: { centeredRMSUpdate($0, lr: Float(lr), keep: Float(rho), add: Float(1 - rho), eps: Float(eps), decay: Float(decay)) },
                double: { centeredRMSUpdate($0, lr: lr, keep: rho, add: 1 - rho, eps: eps, decay: decay) })
        } else {
            TypedDispatch.run(
                &weights, gradient, &state,
                float: { rmsUpdate($0, lr: Float(lr), keep: Float(rho), add: Float(1 - rho), eps: Float(eps), decay: Float(decay)) },
                double: { rmsUpdate($0, lr: lr, keep: rho, add: 1 - rho, eps: eps, decay: decay) })
        }
    }
}

/// `cache ← keep·cache + add·g²; w ← w − lr·g/(√cache + ε)` with `g = ∇w + λw`.
@inline(__always)
func rmsUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, lr: S, keep: S, add: S, eps: S, decay: S) {
    let (w, g, cache) = (b.weights, b.gradient, b.slots[0])
    for i in 0..<w.count {
        let grad = g[i] + decay * w[i]
        cache[i] = keep * cache[i] + add * grad * grad
        w[i] -= lr * grad / (cache[i].squareRoot() + eps)
    }
}

/// Centered RMSprop: also `ḡ ← keep·ḡ + add·g`, and the step divides by √(cache − ḡ²) + ε.
@inline(__always)
func centeredRMSUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, lr: S, keep: S, add: S, eps: S, decay: S) {
    let (w, g, cache, average) = (b.weights, b.gradient, b.slots[0], b.slots[1])
    for i in 0..<w.count {
        let grad = g[i] + decay * w[i]
        cache[i] = keep * cache[i] + add * grad * grad
        average[i] = keep * average[i] + add * grad
        // cache − ḡ² ≥ 0 in exact arithmetic; rounding can dip below, so clamp at zero.
        let variance = max(0, cache[i] - average[i] * average[i])
        w[i] -= lr * grad / (variance.squareRoot() + eps)
    }
}
