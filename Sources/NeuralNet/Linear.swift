import Autograd
import Random
import Tensors

/// The affine layer `y = x·W + b`, with `x: N × inputs`, `W: inputs × outputs`, `b: outputs`
/// (the course's layout: one column of `W` per output unit).
public final class Linear<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let weight: Variable<Scalar>
    public let bias: Variable<Scalar>?

    public init(
        inputs: Int, outputs: Int, bias: Bool = true, initializer: Initializer = .he,
        using generator: inout SeededGenerator
    ) throws {
        weight = Variable(
            try initializer.make([inputs, outputs], fanIn: inputs, fanOut: outputs, using: &generator),
            requiresGrad: true, name: "weight")
        self.bias = bias ? Variable(try Tensor.zeros([outputs]), requiresGrad: true, name: "bias") : nil
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let flat = x.shape.count == 2 ? x : try x.flattened(from: 1)
        guard flat.shape[1] == weight.shape[0] else {
            throw ModelError.input(layer: "Linear", detail: "input has \(flat.shape[1]) features but the layer expects \(weight.shape[0]) (input shape \(x.shape))")
        }
        let y = try flat.matmul(weight)
        return try bias.map { try y + $0 } ?? y
    }

    public override var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] {
        [("weight", weight, .weight)] + (bias.map { [("bias", $0, .bias)] } ?? [])
    }

    public override var summary: String { "Linear(\(weight.shape[0]) → \(weight.shape[1]))" }

    public static var typeName: String { "Linear" }

    public override var layerDescription: LayerDescription {
        LayerDescription(Self.typeName, ["in": Double(weight.shape[0]), "out": Double(weight.shape[1]), "bias": bias == nil ? 0 : 1])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        try Linear(inputs: d.whole("in"), outputs: d.whole("out"), bias: d.flag("bias", default: true), using: &g)
    }

    /// `[inputs]` (or any shape with that many features) → `[outputs]`.
    public override func outputShape(for input: [Int]) throws -> [Int] {
        guard input.reduce(1, *) == weight.shape[0] else {
            throw ModelError.input(layer: "Linear", detail: "input has \(input.reduce(1, *)) features but the layer expects \(weight.shape[0]) (example shape \(input))")
        }
        return [weight.shape[1]]
    }

    public override func flops(for input: [Int]) throws -> Int { 2 * weight.shape[0] * weight.shape[1] }
}
