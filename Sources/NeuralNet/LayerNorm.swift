import Autograd
import Random
import Tensors

/// Layer normalization (Ba, Kiros and Hinton, 2016) over the features of each example of an
/// `N × D` input:
/// ```
/// x̂ᵢ = (xᵢ − μᵢ) / √(σ²ᵢ + ε),   yᵢ = γ · x̂ᵢ + β,   μᵢ, σ²ᵢ over row i's D features
/// ```
/// Unlike batch normalization it has no running statistics: train and eval mode compute the
/// same thing, and each example is normalized on its own (batch size 1 works). The variance
/// is the biased one (divide by D), as in PyTorch's `LayerNorm` and CS231n's
/// `layernorm_forward`; `γ` starts at 1 and `β` at 0; `ε = 1e-5`.
public final class LayerNorm<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let scale: Variable<Scalar>
    public let shift: Variable<Scalar>
    public let epsilon: Scalar

    public init(features: Int, epsilon: Scalar = 1e-5) throws {
        scale = Variable(try .ones([1, features]), requiresGrad: true, name: "scale")
        shift = Variable(try .zeros([1, features]), requiresGrad: true, name: "shift")
        self.epsilon = epsilon
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        guard x.shape.count == 2, x.shape[1] == scale.shape[1] else {
            throw ModelError.input(layer: "LayerNorm", detail: "expected input [N, \(scale.shape[1])], got \(x.shape)")
        }
        return try activeBackend.layerNorm(x, scale: scale, shift: shift, epsilon: epsilon)
    }

    public override var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] {
        [("scale", scale, .normalization), ("shift", shift, .normalization)]
    }

    public override var summary: String { "LayerNorm(\(scale.shape[1]))" }

    public static var typeName: String { "LayerNorm" }

    public override var layerDescription: LayerDescription {
        LayerDescription(Self.typeName, ["features": Double(scale.shape[1]), "eps": Double(epsilon)])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        try LayerNorm(features: d.whole("features", in: 1...SizeBudget.maximumElements), epsilon: Scalar(d.settings["eps"] ?? 1e-5))
    }
}
