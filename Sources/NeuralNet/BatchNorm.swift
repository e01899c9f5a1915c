import Autograd
import Random
import Tensors

/// Batch normalization (Ioffe and Szegedy, 2015) over `N × features` (1d) or
/// `N × C × H × W` (2d, statistics per channel):
/// ```
/// x̂ = (x − μ_B) / √(σ²_B + ε),   y = γ · x̂ + β
/// running ← momentum · running + (1 − momentum) · batch statistic
/// ```
/// Train mode normalizes with the batch's statistics (the gradient flows through them,
/// composed from differentiable mean and variance); eval mode uses the running ones.
///
/// Conventions, beside PyTorch's and CS231n's:
/// - `momentum` weights the *old* running value, as in CS231n's `batchnorm_forward`
///   (default 0.9). PyTorch's `momentum` weights the *new* batch statistic (default 0.1), so
///   PyTorch `momentum = m` is ours `1 − m`. `1 − momentum` is computed in Double.
/// - The running mean starts at 0 and the running variance at 1, as in both.
/// - The batch variance is the biased one (divide by N) both for normalizing and for the
///   running average, as in CS231n; PyTorch normalizes with the biased variance but feeds
///   the unbiased one (× N / (N − 1)) to its running average.
/// - Eval mode divides by `√(running_var + ε)`, `ε = 1e-5` as in both.
public final class BatchNorm<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let scale: Variable<Scalar>
    public let shift: Variable<Scalar>
    public private(set) var runningMean: Tensor<Scalar>
    public private(set) var runningVariance: Tensor<Scalar>
    public let momentum: Scalar, epsilon: Scalar
    public let spatial: Bool

    /// Replaces the running statistics (restoring a saved workspace); shapes must match.
    public func setRunningStatistics(mean: Tensor<Scalar>, variance: Tensor<Scalar>) throws {
        guard mean.shape == runningMean.shape, variance.shape == runningVariance.shape else {
            throw ModelError.input(layer: "BatchNorm", detail: "running statistics of shape \(mean.shape) do not fit \(runningMean.shape)")
        }
        runningMean = mean
        runningVariance = variance
    }

    /// `spatial: true` is `BatchNorm2d`: statistics per channel of NCHW input.
    public init(features: Int, spatial: Bool, momentum: Scalar = 0.9, epsilon: Scalar = 1e-5) throws {
        let shape = spatial ? [1, features, 1, 1] : [1, features]
        scale = Variable(try .ones(shape), requiresGrad: true, name: "scale")
        shift = Variable(try .zeros(shape), requiresGrad: true, name: "shift")
        runningMean = try .zeros(shape)
        runningVariance = try .ones(shape)
        self.momentum = momentum
        self.epsilon = epsilon
        self.spatial = spatial
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let expected = spatial ? 4 : 2
        guard x.shape.count == expected, x.shape[1] == scale.shape[1] else {
            throw ModelError.input(layer: "BatchNorm\(spatial ? "2d" : "1d")", detail: "expected input [N, \(scale.shape[1])\(spatial ? ", H, W" : "")], got \(x.shape)")
        }
        let axes = spatial ? [0, 2, 3] : [0]
        if training {
            let (output, mean, variance) = try activeBackend.batchNorm(x, scale: scale, shift: shift, axes: axes, epsilon: epsilon)
            let rest = Scalar(1 - Double(momentum))
            runningMean = try runningMean * momentum + mean * rest
            runningVariance = try runningVariance * momentum + variance * rest
            return output
        }
        let normalized = try (x - Variable(runningMean)) / Variable((runningVariance + epsilon).sqrt())
        return try normalized * scale + shift
    }

    public override var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] {
        [("scale", scale, .normalization), ("shift", shift, .normalization)]
    }

    public override var buffers: [(name: String, tensor: Tensor<Scalar>)] {
        [("running_mean", runningMean), ("running_var", runningVariance)]
    }

    public override func setBuffer(_ name: String, _ value: Tensor<Scalar>) throws {
        let current = name == "running_mean" ? runningMean : name == "running_var" ? runningVariance : nil
        guard let current else { return try super.setBuffer(name, value) }
        guard value.shape == current.shape || value.count == current.count else {
            throw ModelError.input(layer: "BatchNorm", detail: "\(name) needs \(current.count) values (shape \(current.shape)), got shape \(value.shape)")
        }
        let reshaped = try value.reshaped(current.shape)
        if name == "running_mean" { runningMean = reshaped } else { runningVariance = reshaped }
    }

    public static var typeName: String { "BatchNorm" }

    public override var layerDescription: LayerDescription {
        LayerDescription(
            Self.typeName,
            [
                "features": Double(scale.shape[1]), "spatial": spatial ? 1 : 0,
                "momentum": Double(momentum), "eps": Double(epsilon)
            ])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        try BatchNorm(
            features: d.whole("features", in: 1...SizeBudget.maximumElements), spatial: d.flag("spatial", default: false),
            momentum: Scalar(d.settings["momentum"] ?? 0.9), epsilon: Scalar(d.settings["eps"] ?? 1e-5))
    }

    public override var summary: String { "BatchNorm\(spatial ? "2d" : "1d")(\(scale.shape[1]))" }
}
