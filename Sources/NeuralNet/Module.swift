import Autograd
import Tensors

/// What a parameter is for, which decides whether regularizers apply to it by default.
public enum ParameterRole: Sendable {
    /// Weights of affine and conv layers: regularized.
    case weight
    /// Biases: not regularized unless asked (they do not interact multiplicatively with inputs).
    case bias
    /// BatchNorm's scale and shift: not regularized unless asked.
    case normalization
}

/// A trainable tensor of a module, with its dotted name (`layers.0.weight`).
public struct Parameter<Scalar: TensorScalar> {
    public let name: String
    public let variable: Variable<Scalar>
    public let role: ParameterRole

    public init(name: String, variable: Variable<Scalar>, role: ParameterRole) {
        self.name = name
        self.variable = variable
        self.role = role
    }
}

/// A layer or a model: a function of one input variable with named parameters and a
/// train/eval mode. Subclasses declare their own parameters and sublayers; one mechanism
/// (`parameters`) collects them recursively.
open class Module<Scalar: TensorScalar> {
    /// Train mode (dropout active, batch statistics) or eval mode. Set on a model, it
    /// applies to every sublayer.
    public var training: Bool = true {
        didSet { children.forEach { $0.module.training = training } }
    }

    public init() {}

    /// The forward pass.
    open func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        fatalError("\(type(of: self)) must override callAsFunction")
    }

    /// This module's own parameters (not its children's), with their roles.
    open var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] { [] }

    /// Named tensors the layer keeps but does not train (running statistics, the last
    /// dropout mask), saved in checkpoints beside the parameters.
    open var buffers: [(name: String, tensor: Tensor<Scalar>)] { [] }

    /// Replaces a buffer (restoring a checkpoint, `bn.running_mean = …` at the prompt); the
    /// shape must match.
    open func setBuffer(_ name: String, _ value: Tensor<Scalar>) throws {
        throw TensorError("\(summary) has no buffer named \(name)")
    }

    /// Named sublayers.
    open var children: [(name: String, module: Module<Scalar>)] { [] }

    /// Every parameter of this module and its sublayers, named by path.
    public var parameters: [Parameter<Scalar>] {
        var out = ownParameters.map { Parameter(name: $0.name, variable: $0.variable, role: $0.role) }
        for (name, child) in children {
            out += child.parameters.map { Parameter(name: "\(name).\($0.name)", variable: $0.variable, role: $0.role) }
        }
        return out
    }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }

    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.variable.zeroGrad() } }

    /// One line per layer, for printing a model.
    open var summary: String { String(describing: type(of: self)) }

    /// Convenience for a plain tensor input (no gradient to the input).
    public func callAsFunction(_ x: Tensor<Scalar>) throws -> Variable<Scalar> {
        try self(Variable(x))
    }
}
