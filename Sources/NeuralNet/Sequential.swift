import Autograd
import Random
import Tensors

/// Layers applied in order; parameters are named `index.name`.
public final class Sequential<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public private(set) var layers: [Module<Scalar>]

    public init(_ layers: [Module<Scalar>]) {
        self.layers = layers
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        var y = x
        for (i, layer) in layers.enumerated() {
            do {
                y = try layer(y)
            } catch let error as any ExplainedError {
                throw ModelError.input(layer: "layer \(i) (\(layer.summary))", detail: error.message)
            }
        }
        return y
    }

    public override var children: [(name: String, module: Module<Scalar>)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public override var stages: [Module<Scalar>] { layers }

    public static var typeName: String { "Sequential" }

    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName, layers: layers.map(\.layerDescription)) }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        Sequential(layers)
    }

    /// Each layer's output feeds the next.
    public override func outputShape(for input: [Int]) throws -> [Int] {
        try layers.reduce(input) { try $1.outputShape(for: $0) }
    }

    public override func flops(for input: [Int]) throws -> Int {
        var shape = input, total = 0
        for layer in layers {
            total += try layer.flops(for: shape)
            shape = try layer.outputShape(for: shape)
        }
        return total
    }

    public override var summary: String {
        "Sequential(\n" + layers.enumerated().map { "  \($0.offset): \($0.element.summary)" }.joined(separator: "\n") + "\n)"
    }
}
