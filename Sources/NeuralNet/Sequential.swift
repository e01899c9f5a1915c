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

    /// Each layer's output feeds the next. A ReLU followed by max pooling (both computing with
    /// the same kind of backend) is handed to the backend as one `reluMaxPool2d`.
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        var y = x
        var i = 0
        while i < layers.count {
            let layer = layers[i]
            // The fused pair can only fail in the pooling, so its errors name that layer.
            let pool = i + 1 < layers.count ? Self.poolAfterReLU(layer, layers[i + 1]) : nil
            let named = pool ?? layer
            let at = pool == nil ? i : i + 1
            do {
                if let pool {
                    y = try layer.activeBackend.reluMaxPool2d(y, size: pool.size, stride: pool.stride ?? pool.size, pad: pool.pad)
                } else {
                    y = try layer(y)
                }
            } catch let error as any ExplainedError {
                throw ModelError.input(layer: "layer \(at) (\(named.summary))", detail: error.message)
            }
            i = at + 1
        }
        return y
    }

    /// `next` when `layer` is a ReLU and `next` a max pool computing with the same kind of backend.
    static func poolAfterReLU(_ layer: Module<Scalar>, _ next: Module<Scalar>) -> MaxPool2d<Scalar>? {
        guard layer is ReLU<Scalar>, let pool = next as? MaxPool2d<Scalar>,
            type(of: layer.activeBackend) == type(of: pool.activeBackend)
        else { return nil }
        return pool
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
