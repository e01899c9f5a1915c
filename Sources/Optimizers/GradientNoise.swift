import Random
import RealModule
import Tensors

/// Annealed Gaussian gradient noise (Neelakantan et al. 2015, "Adding Gradient Noise
/// Improves Learning for Very Deep Networks"): noise on its own decaying schedule, which can
/// help deep nets escape poor regions early in training. Unlike SGLD (Welling and Teh 2011),
/// whose noise variance is tied to the step size so that the iterates sample a posterior,
/// this noise is independent of the learning rate and fades to zero.
///
/// ```
/// g ← g + N(0, σₜ²)      σₜ² = η / (1 + t)^γ
/// ```
/// `η` is typically 0.01, 0.3 or 1 and `γ = 0.55`. The noise stream is seeded, so runs repeat.
public struct GradientNoise: Sendable {
    public var eta: Double
    public var gamma: Double
    var generator: SeededGenerator

    public init(eta: Double = 0.01, gamma: Double = 0.55, seed: UInt64 = 0) {
        self.eta = eta
        self.gamma = gamma
        self.generator = SeededGenerator(seed: seed)
    }

    /// The noise standard deviation at step `t` (counting from 1).
    public func standardDeviation(at t: Int) -> Double {
        (eta / Double.pow(1 + Double(t), gamma)).squareRoot()
    }

    mutating func perturb<Scalar: TensorScalar>(_ g: inout [Scalar], iteration: Int) {
        let sigma = standardDeviation(at: iteration)
        for i in g.indices { g[i] += Scalar(sigma * generator.nextNormal()) }
    }
}
