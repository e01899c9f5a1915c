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

    public init(
        parameters: [Parameter<Scalar>], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
        epsilon: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false
    ) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decoupledWeightDecay = decoupledWeightDecay
        super.init(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, slotNames: ["m", "v"])
    }
    override public var name: String { decoupledWeightDecay ? "adamw" : "adam" }
    override public var hyperparameters: [(String, Double)] {
        super.hyperparameters + [("beta1", beta1), ("beta2", beta2)] + (epsilon != 1e-8 ? [("eps", epsilon)] : [])
    }
    override public func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        let t = Double(iteration)
        let (lr, b1, b2, eps) = (learningRate, beta1, beta2, epsilon)
        let (c1, c2) = (1 - Double.pow(beta1, t), 1 - Double.pow(beta2, t))
        let coupled = decoupledWeightDecay ? 0 : weightDecay, decoupled = decoupledWeightDecay ? weightDecay : 0
        TypedDispatch.run(
            &weights, gradient, &state,
            float: {
                adamUpdate(
                    $0, lr: Float(lr), beta1: Float(b1), beta2: Float(b2),
                    oneMinusBeta1: Float(1 - b1), oneMinusBeta2: Float(1 - b2),
                    correction1: Float(c1), correction2: Float(c2),
                    eps: Float(eps), coupledDecay: Float(coupled), decoupledDecay: Float(decoupled))
            },
            double: {
                adamUpdate(
                    $0, lr: lr, beta1: b1, beta2: b2, oneMinusBeta1: 1 - b1, oneMinusBeta2: 1 - b2,
                    correction1: c1, correction2: c2,
                    eps: eps, coupledDecay: coupled, decoupledDecay: decoupled)
            })
    }
}

extension Adam {
    /// AdamW: Adam with decoupled weight decay (default λ = 0.01).
    public static func adamW(
        parameters: [Parameter<Scalar>], learningRate: Double = 1e-3,
        beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
        weightDecay: Double = 0.01
    ) -> Adam<Scalar> {
        Adam(
            parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            weightDecay: weightDecay, decoupledWeightDecay: true)
    }
}

/// One Adam step over a parameter's buffers. `1 − β₁`, `1 − β₂` and the bias corrections
/// `1 − βᵗ` arrive computed in Double and rounded once: in Float32, `1 − Float(0.999)` is
/// 0.00099998713, 1.3e-5 away from the 0.001 the formula means.
@inline(__always)
func adamUpdate<S: TensorScalar>(
    _ b: TypedBuffers<S>, lr: S, beta1: S, beta2: S, oneMinusBeta1: S, oneMinusBeta2: S,
    correction1: S, correction2: S, eps: S, coupledDecay: S, decoupledDecay: S
) {
    let (w, g, m, v) = (b.weights, b.gradient, b.slots[0], b.slots[1])
    // Eight weights at a time in SIMD registers: the buffers may alias as far as the compiler
    // knows, so it would not vectorize the divide and square root by itself.
    let n = w.count
    var i = 0
    if n >= 8, let wp = w.baseAddress, let gp = g.baseAddress, let mp = m.baseAddress, let vp = v.baseAddress {
        let raw = (UnsafeMutableRawPointer(wp), UnsafeRawPointer(gp), UnsafeMutableRawPointer(mp), UnsafeMutableRawPointer(vp))
        let stride = MemoryLayout<S>.stride
        while i + 8 <= n {
            let offset = i * stride
            let wv = raw.0.loadUnaligned(fromByteOffset: offset, as: SIMD8<S>.self)
            let grad = raw.1.loadUnaligned(fromByteOffset: offset, as: SIMD8<S>.self) + coupledDecay * wv
            let mv = beta1 * raw.2.loadUnaligned(fromByteOffset: offset, as: SIMD8<S>.self) + oneMinusBeta1 * grad
            let vv = beta2 * raw.3.loadUnaligned(fromByteOffset: offset, as: SIMD8<S>.self) + oneMinusBeta2 * grad * grad
            let step = lr * (mv / correction1) / ((vv / correction2).squareRoot() + eps)
            raw.2.storeBytes(of: mv, toByteOffset: offset, as: SIMD8<S>.self)
            raw.3.storeBytes(of: vv, toByteOffset: offset, as: SIMD8<S>.self)
            raw.0.storeBytes(of: wv - lr * decoupledDecay * wv - step, toByteOffset: offset, as: SIMD8<S>.self)
            i += 8
        }
    }
    for i in i..<n {
        let grad = g[i] + coupledDecay * w[i]
        m[i] = beta1 * m[i] + oneMinusBeta1 * grad
        v[i] = beta2 * v[i] + oneMinusBeta2 * grad * grad
        let mHat = m[i] / correction1, vHat = v[i] / correction2
        w[i] -= lr * decoupledDecay * w[i] + lr * mHat / (vHat.squareRoot() + eps)
    }
}
