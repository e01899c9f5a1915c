import Autograd
import Tensors

/// `max(0, x)` as a layer (the free function is `x.relu()`).
public final class ReLU<Scalar: TensorScalar>: Module<Scalar> {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try LayerOverrides.apply(x, \.relu) ?? x.relu()
    }
    public override var summary: String { "ReLU" }
}

/// `x` for `x > 0`, `slope · x` otherwise.
public final class LeakyReLU<Scalar: TensorScalar>: Module<Scalar> {
    public let slope: Scalar
    public init(slope: Scalar = 0.01) { self.slope = slope; super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.leakyRelu(slope: slope) }
    public override var summary: String { "LeakyReLU(\(slope))" }
}

/// `1 / (1 + e^(−x))`.
public final class Sigmoid<Scalar: TensorScalar>: Module<Scalar> {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.sigmoid() }
    public override var summary: String { "Sigmoid" }
}

/// `tanh x`.
public final class Tanh<Scalar: TensorScalar>: Module<Scalar> {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { x.tanh() }
    public override var summary: String { "Tanh" }
}

/// `[N, …] → [N, ∏…]`.
public final class Flatten<Scalar: TensorScalar>: Module<Scalar> {
    public override init() { super.init() }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> { try x.flattened(from: 1) }
    public override var summary: String { "Flatten" }
}
