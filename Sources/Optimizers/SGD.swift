import NeuralNet
import Tensors

/// Plain stochastic gradient descent with optional coupled L2 weight decay.
///
/// ```
/// w ← w − lr · (∇w + λ w)
/// ```
public final class SGD<Scalar: TensorScalar>: Optimizer<Scalar> {
    public init(parameters: [Parameter<Scalar>], learningRate: Double, weightDecay: Double = 0) {
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: [])
    }
    override public var name: String { "sgd" }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let (lr, decay) = (learningRate, weightDecay)
        TypedDispatch.run(
            &weights, gradient, &state,
            float: { sgdUpdate($0, lr: Float(lr), decay: Float(decay)) },
            double: { sgdUpdate($0, lr: lr, decay: decay) })
    }
}

@inline(__always)
func sgdUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, lr: S, decay: S) {
    let (w, g) = (b.weights, b.gradient)
    for i in 0..<w.count { w[i] -= lr * (g[i] + decay * w[i]) }
}

/// SGD with momentum, classical or Nesterov (in the course's "look-ahead" form), with
/// PyTorch's `dampening` τ.
///
/// ```
/// classical: v ← μ v − lr (1 − τ) ∇w      w ← w + v
/// Nesterov:  v' ← μ v − lr ∇w             w ← w − μ v + (1 + μ) v'
/// ```
/// `v` starts at zero and the first step is undamped (`v ← −lr ∇w`), as PyTorch's buffer
/// starts at the first gradient: with a constant lr, `v = −lr · b` for PyTorch's buffer
/// `b ← μ b + (1 − τ) ∇w`. Nesterov needs τ = 0, as in PyTorch. `∇w` includes the coupled
/// decay `λ w`.
public final class Momentum<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var momentum: Double
    public let nesterov: Bool
    public var dampening: Double

    public init(
        parameters: [Parameter<Scalar>], learningRate: Double, momentum: Double = 0.9,
        nesterov: Bool = false, dampening: Double = 0, weightDecay: Double = 0
    ) {
        self.momentum = momentum
        self.nesterov = nesterov
        self.dampening = dampening
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["velocity"])
    }
    override public var name: String { nesterov ? "nesterov" : "momentum" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("momentum", momentum)] + (dampening != 0 ? [("dampening", dampening)] : [])
    }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        // The gradient's weight 1 − τ, derived in Double; 1 on the first step.
        let gradientWeight = iteration <= 1 ? 1 : 1 - dampening
        let (lr, mu, decay, nesterov) = (learningRate, momentum, weightDecay, nesterov)
        TypedDispatch.run(
            &weights, gradient, &state,
            float: { momentumUpdate($0, lr: Float(lr), mu: Float(mu), gradientWeight: Float(gradientWeight), decay: Float(decay), nesterov: nesterov) },
            double: { momentumUpdate($0, lr: lr, mu: mu, gradientWeight: gradientWeight, decay: decay, nesterov: nesterov) })
    }
}

@inline(__always)
func momentumUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, lr: S, mu: S, gradientWeight: S, decay: S, nesterov: Bool) {
    let (w, g, v) = (b.weights, b.gradient, b.slots[0])
    let step = lr * gradientWeight
    for i in 0..<w.count {
        let grad = g[i] + decay * w[i]
        let previous = v[i]
        v[i] = mu * previous - step * grad
        w[i] += nesterov ? -mu * previous + (1 + mu) * v[i] : v[i]
    }
}
