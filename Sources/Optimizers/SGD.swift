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
        sgdUpdate(&weights, gradient, lr: Scalar(learningRate), decay: Scalar(weightDecay))
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func sgdUpdate<S: TensorScalar>(_ w: inout [S], _ g: [S], lr: S, decay: S) {
    for i in w.indices { w[i] -= lr * (g[i] + decay * w[i]) }
}

/// SGD with momentum, classical or Nesterov (in the course's "look-ahead" form).
///
/// ```
/// classical: v ← μ v − lr ∇w            w ← w + v
/// Nesterov:  v' ← μ v − lr ∇w           w ← w − μ v + (1 + μ) v'
/// ```
/// `v` starts at zero; `∇w` includes the coupled decay `λ w`.
public final class Momentum<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var momentum: Double
    public let nesterov: Bool

    public init(parameters: [Parameter<Scalar>], learningRate: Double, momentum: Double = 0.9,
                nesterov: Bool = false, weightDecay: Double = 0) {
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["velocity"])
    }
    override public var name: String { nesterov ? "nesterov" : "momentum" }
    override public var hyperparameters: [(String, Double)] { super.hyperparameters + [("momentum", momentum)] }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        momentumUpdate(&weights, gradient, &state[0], lr: Scalar(learningRate), mu: Scalar(momentum),
                       decay: Scalar(weightDecay), nesterov: nesterov)
    }
}

@_specialize(where S == Float)
@_specialize(where S == Double)
func momentumUpdate<S: TensorScalar>(_ w: inout [S], _ g: [S], _ v: inout [S], lr: S, mu: S, decay: S, nesterov: Bool) {
    for i in w.indices {
        let grad = g[i] + decay * w[i]
        let previous = v[i]
        v[i] = mu * previous - lr * grad
        w[i] += nesterov ? -mu * previous + (1 + mu) * v[i] : v[i]
    }
}
