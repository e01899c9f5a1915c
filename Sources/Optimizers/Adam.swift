import NeuralNet
import RealModule
import Tensors

/// Adam (Kingma & Ba 2015) and AdamW (Loshchilov & Hutter 2019).
///
/// ```
/// m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
/// m̂ = m / (1 − β₁ᵗ)              v̂ = v / (1 − β₂ᵗ)
/// w ← w − lr · m̂ / (√v̂ + ε)
/// ```
/// Adam couples weight decay into the gradient (`g = ∇w + λ w`); AdamW decouples it and
/// shrinks the weights directly (`w ← w − lr·λ·w`) before the Adam step.
public final class Adam<Scalar: TensorScalar>: Optimizer<Scalar> {
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public let decoupledWeightDecay: Bool

    public init(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["m", "v"])
    }
    override public var name: String { decoupledWeightDecay ? "adamw" : "adam" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("beta1", beta1), ("beta2", beta2)]
    }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let t = Double(iteration)
        let (lr, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        let (c1, c2) = (1 - Double.pow(beta1, t), 1 - Double.pow(beta2, t))
        let coupled = decoupledWeightDecay ? 0 : weightDecay, decoupled = decoupledWeightDecay ? weightDecay : 0
        TypedDispatch.run(&weights, gradient, &state,
                          float: { adamUpdate($0, lr: Float(lr), beta1: Float(b1), beta2: Float(b2), correction1: Float(c1), correction2: Float(c2),
                                              eps: Float(eps), coupledDecay: Float(coupled), decoupledDecay: Float(decoupled)) },
                          double: { adamUpdate($0, lr: lr, beta1: b1, beta2: b2, correction1: c1, correction2: c2,
                                               eps: eps, coupledDecay: coupled, decoupledDecay: decoupled) })
    }
}

extension Adam {
    /// AdamW: Adam with decoupled weight decay (default λ = 0.01).
    public static func adamW(parameters: [Parameter<Scalar>], learningRate: Double = 1e-3,
                             beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                             weightDecay: Double = 0.01) -> Adam<Scalar> {
        Adam(parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
             weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}

@inline(__always)
func adamUpdate<S: TensorScalar>(_ b: TypedBuffers<S>, lr: S, beta1: S, beta2: S,
                                 correction1: S, correction2: S, eps: S, coupledDecay: S, decoupledDecay: S) {
    let (w, g, m, v) = (b.weights, b.gradient, b.slots[0], b.slots[1])
    for i in 0..<w.count {
        let grad = g[i] + coupledDecay * w[i]
        m[i] = beta1 * m[i] + (1 - beta1) * grad
        v[i] = beta2 * v[i] + (1 - beta2) * grad * grad
        let mHat = m[i] / correction1, vHat = v[i] / correction2
        w[i] -= lr * decoupledDecay * w[i] + lr * mHat / (vHat.squareRoot() + eps)
    }
}
