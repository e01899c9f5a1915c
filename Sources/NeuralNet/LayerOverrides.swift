import Autograd
import Kernels
import Tensors

/// Replacement computations for layers, in force for one scope: the prompt's `:use homework`
/// runs a student's ReLU, convolution, max pooling and dropout inside models too, so
/// `net(x)` and `fit` exercise the same code as the `relu`, `conv2d`, `max_pool2d` and
/// `dropout` builtins.
///
/// Only `Float` layers consult it (the prompt's models are `Float`); a layer whose settings a
/// replacement cannot express (pooling with padding, test-time-scaling dropout) keeps the
/// engine's computation.
public struct LayerOverrides: Sendable {
    public typealias Activation = @Sendable (Variable<Float>) throws -> Variable<Float>
    /// `(x, weight, bias, stride, pad)`.
    public typealias Convolution = @Sendable (
        Variable<Float>, Variable<Float>, Variable<Float>?, Int, Int
    ) throws -> Variable<Float>
    /// `(x, size, stride)`.
    public typealias Pooling = @Sendable (Variable<Float>, Int, Int) throws -> Variable<Float>
    /// Inverted dropout in training: `(x, keep probability, the layer's generator)` →
    /// `(output, mask of 1 kept / 0 dropped)`.
    public typealias Dropping = @Sendable (Variable<Float>, Double, inout SeededGenerator) throws
        -> (Variable<Float>, Tensor<Float>)

    public var relu: Activation?
    public var conv2d: Convolution?
    public var maxPool2d: Pooling?
    public var dropout: Dropping?

    public init(relu: Activation? = nil, conv2d: Convolution? = nil, maxPool2d: Pooling? = nil,
                dropout: Dropping? = nil) {
        self.relu = relu
        self.conv2d = conv2d
        self.maxPool2d = maxPool2d
        self.dropout = dropout
    }

    /// The overrides of the running task; nil uses the engine everywhere.
    @TaskLocal public static var current: LayerOverrides?

    /// `replacement(x)` when `x` is `Float` and a replacement is installed, else nil.
    static func apply<Scalar>(
        _ x: Variable<Scalar>, _ pick: (LayerOverrides) -> ((Variable<Float>) throws -> Variable<Float>)?
    ) throws -> Variable<Scalar>? {
        guard let overrides = current, let f = pick(overrides), let xf = x as? Variable<Float> else {
            return nil
        }
        return try f(xf) as? Variable<Scalar>
    }
}
