import Autograd
import Random
import Tensors

/// `max(0, x)` as a layer (the free function is `x.relu()`).
public final class ReLU<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try activeBackend.relu(x)
    }
    public override var summary: String { "ReLU" }
    public static var typeName: String { "ReLU" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> { ReLU() }
}

/// `x` for `x > 0`, `slope · x` otherwise.
public final class LeakyReLU<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let slope: Scalar
    public init(slope: Scalar = 0.01) { self.slope = slope; super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.leakyRelu(slope: slope) }
    public override var summary: String { "LeakyReLU(\(slope))" }
    public static var typeName: String { "LeakyReLU" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName, ["slope": Double(slope)]) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        LeakyReLU(slope: Scalar(try d.number("slope")))
    }
}

/// `1 / (1 + e^(−x))`.
public final class Sigmoid<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.sigmoid() }
    public override var summary: String { "Sigmoid" }
    public static var typeName: String { "Sigmoid" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> { Sigmoid() }
}

/// `tanh x`.
public final class Tanh<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.tanh() }
    public override var summary: String { "Tanh" }
    public static var typeName: String { "Tanh" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> { Tanh() }
}

/// `[N, …] → [N, ∏…]`.
public final class Flatten<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { try x.flattened(from: 1) }
    public override func outputShape(for input: [Int]) throws -> [Int] { [input.reduce(1, *)] }
    public override var summary: String { "Flatten" }
    public static var typeName: String { "Flatten" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> { Flatten() }
}
