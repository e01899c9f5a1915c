import NeuralNet
import Tensors

/// Adagrad (Duchi et al. 2011): per-weight step sizes shrink with the sum of squared gradients,
/// so the effective learning rate decays monotonically — often too fast for deep nets.
///
/// ```
/// cache ← cache + ∇w²        w ← w − lr · ∇w / (√cache + ε)
/// ```
public final class Adagrad<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var epsilon: Double

    public init(parameters: [Parameter<Scalar>], learningRate: Double, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.epsilon = epsilon
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["cache"])
    }
    override public var name: String { "adagrad" }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let (lr, eps, decay) = (learningRate, epsilon, weightDecay)
        TypedDispatch.run(&weights, gradient, &state,
                          float: { rmsUpdate($0, lr: Float(lr), keep: 1, add: 1, eps: Float(eps), decay: Float(decay)) },
                          double: { rmsUpdate($0, lr: lr, keep: 1, add: 1, eps: eps, decay: decay) })
    }
}

/// RMSprop (Tieleman & Hinton 2012): Adagrad with a leaky cache, so steps do not vanish.
///
/// ```
/// cache ← ρ cache + (1 − ρ) ∇w²        w ← w − lr · ∇w / (√cache + ε)
/// ```
public final class RMSprop<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var decayRate: Double
    public var epsilon: Double

    public init(parameters: [Parameter<Scalar>], learningRate: Double, decayRate: Double = 0.99,
                epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.decayRate = decayRate
        self.epsilon = epsilon
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["cache"])
    }
    override public var name: String { "rmsprop" }
    override public var hyperparameters: [(String, Double)] { super.hyperparameters + [("decay_rate", decayRate)] }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let (lr, rho, eps, decay) = (learningRate, decayRate, epsilon, weightDecay)
        TypedDispatch.run(&weights, gradient, &state,
                          float: { rmsUpdate($0, lr: Float(lr), keep: Float(rho), add: Float(1 - rho), eps: Float(eps), decay: Float(decay)) },
                          double: { rmsUpdate($0, lr: lr, keep: rho, add: 1 - rho, eps: eps, decay: decay) })
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
