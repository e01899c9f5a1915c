import Random
import Tensors

/// A layer that can describe itself and be made again from its description.
public protocol DescribedLayer {
    associatedtype Scalar: TensorScalar
    /// The name its descriptions carry: `"Linear"`, `"Conv2d"`.
    static var typeName: String { get }
    /// The layer again, from a description it gave; `layers` are its sublayers, already made.
    static func make(_ description: LayerDescription, layers: [Module<Scalar>], using generator: inout SeededGenerator) throws -> Module<Scalar>
}

/// Every layer type that checkpoints and workspaces can hold, by type name.
///
/// Adding a layer: write its file (the class, its `description`, `make` and, for layers
/// that are not shape-preserving, `outputShape` and `flops`), then add one line to `standard`.
public struct LayerCatalog<Scalar: TensorScalar> {
    typealias Maker = (LayerDescription, [Module<Scalar>], inout SeededGenerator) throws -> Module<Scalar>
    private var makers: [String: Maker] = [:]
    public private(set) var typeNames: [String] = []

    public init() {}

    public mutating func register<Layer: DescribedLayer>(_ type: Layer.Type) where Layer.Scalar == Scalar {
        precondition(makers[Layer.typeName] == nil, "layer type \(Layer.typeName) registered twice")
        makers[Layer.typeName] = { try Layer.make($0, layers: $1, using: &$2) }
        typeNames.append(Layer.typeName)
    }

    /// The course's layers.
    public static var standard: LayerCatalog {
        var c = LayerCatalog()
        c.register(Linear<Scalar>.self)
        c.register(Conv2d<Scalar>.self)
        c.register(MaxPool2d<Scalar>.self)
        c.register(AvgPool2d<Scalar>.self)
        c.register(ReLU<Scalar>.self)
        c.register(LeakyReLU<Scalar>.self)
        c.register(Sigmoid<Scalar>.self)
        c.register(Tanh<Scalar>.self)
        c.register(Flatten<Scalar>.self)
        c.register(BatchNorm<Scalar>.self)
        c.register(LayerNorm<Scalar>.self)
        c.register(Dropout<Scalar>.self)
        c.register(Sequential<Scalar>.self)
        c.register(ResidualBlock<Scalar>.self)
        return c
    }

    /// Makes a layer (and its sublayers) from a description; weights are freshly initialized
    /// from `seed` until a checkpoint's values are loaded into them.
    public func make(_ d: LayerDescription, seed: UInt64 = 0) throws -> Module<Scalar> {
        var g = SeededGenerator(seed: seed)
        return try make(d, &g, depth: 0)
    }

    private func make(_ d: LayerDescription, _ g: inout SeededGenerator, depth: Int) throws -> Module<Scalar> {
        guard depth < 100 else { throw ModelError.description(type: d.type, detail: "nested more than 100 deep") }
        guard let maker = makers[d.type] else {
            throw ModelError.description(type: d.type, detail: "unknown layer type; known: \(typeNames.joined(separator: ", "))")
        }
        let inner = try d.layers.map { try make($0, &g, depth: depth + 1) }
        return try maker(d, inner, &g)
    }
}
