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

    /// The backend this module and its sublayers compute with; nil uses the task's
    /// (`LayerBackends.active`). Set on a model, it applies to every sublayer.
    public var backend: (any LayerBackend)? {
        didSet { children.forEach { $0.module.backend = backend } }
    }

    /// The backend the forward pass uses now.
    public var activeBackend: any LayerBackend { backend ?? LayerBackends.active }

    public init() {}

    /// The forward pass.
    open func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        fatalError("\(type(of: self)) must override callAsFunction")
    }

    /// This module's own parameters (not its children's), with their roles.
    open var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] { [] }

    /// Named tensors the layer keeps but does not train (running statistics), saved in
    /// checkpoints beside the parameters.
    open var buffers: [(name: String, tensor: Tensor<Scalar>)] { [] }

    /// Tensors the layer shows for inspection but does not save (the last dropout mask).
    open var inspectable: [(name: String, tensor: Tensor<Scalar>)] { [] }

    /// Replaces a buffer (restoring a checkpoint, `bn.running_mean = …` at the prompt); the
    /// shape must match.
    open func setBuffer(_ name: String, _ value: Tensor<Scalar>) throws {
        throw ModelError.input(layer: summary, detail: "has no buffer named \(name)")
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

    /// What the layer is, as data (`LayerCatalog` makes it again from this).
    open var layerDescription: LayerDescription { LayerDescription(String(describing: type(of: self))) }

    /// The shape of one example's output for one example's input shape (no batch axis).
    /// Layers that keep the shape (activations, dropout, normalization) need not override it.
    open func outputShape(for input: [Int]) throws -> [Int] { input }

    /// Forward floating-point operations for one example (2 per multiply-add), counting the
    /// affine and convolution layers' products, as the course's tables do.
    open func flops(for input: [Int]) throws -> Int { 0 }

    /// The layers applied one after another, for per-layer tables and activations: a
    /// `Sequential`'s layers, or the module itself.
    open var stages: [Module<Scalar>] { [self] }

    /// Every buffer of this module and its sublayers, named by path (`3.running_mean`).
    public var allBuffers: [(name: String, tensor: Tensor<Scalar>)] {
        var out = buffers
        for (name, child) in children { out += child.allBuffers.map { ("\(name).\($0.name)", $0.tensor) } }
        return out
    }

    /// Sets the buffer at a dotted path (`3.running_mean`).
    public func setBuffer(atPath path: String, _ value: Tensor<Scalar>) throws {
        if let dot = path.firstIndex(of: "."), let child = children.first(where: { $0.name == path[..<dot] }) {
            return try child.module.setBuffer(atPath: String(path[path.index(after: dot)...]), value)
        }
        try setBuffer(path, value)
    }

    /// Convenience for a plain tensor input (no gradient to the input).
    public func callAsFunction(_ x: Tensor<Scalar>) throws -> Variable<Scalar> {
        try self(Variable(x))
    }
}
