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
            runningMean = try runningMean * momentum + mean * (1 - momentum)
            runningVariance = try runningVariance * momentum + variance * (1 - momentum)
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
