import Autograd
import NeuralNet
import Tensors

/// A model or layer at the prompt; calling it runs the forward pass: `net(x)`.
public final class ModelObject: NativeObject, Callable {
    public let module: Module<Float>
    public init(_ module: Module<Float>) { self.module = module }
    public var typeName: String { "model" }
    public var name: String { "model" }

    public var summary: String {
        var lines = ["model: \(module.summary), \(module.parameterCount) parameters"]
        for (name, child) in module.children { lines.append("  \(name): \(child.summary)") }
        return lines.joined(separator: "\n")
    }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let a = try args.binding(to: [Param("x", .tensor)])
        return .tensor(try module(try a.tensor("x")))
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: ModelObject.self, "model", doc: "a layer or a whole network; `net(x)` runs the forward pass.") { t in
            t.property("params", "The parameter tensors, in the order of param_names; their .grad fill after backward.") { m, _ in
                .list(m.module.parameters.map { .tensor($0.variable) })
            }
            t.property("param_names", "Each parameter's dotted name, e.g. 0.weight.") { m, _ in
                .list(m.module.parameters.map { .string($0.name) })
            }
            t.property("grads", "Each parameter's gradient, or none before backward.") { m, _ in
                .list(m.module.parameters.map { p in p.variable.grad.map { .tensor(Variable($0)) } ?? .none })
            }
            t.property("layers", "The sublayers, each a model.") { m, _ in .list(m.module.children.map { .object(ModelObject($0.module)) }) }
            t.property("parameter_count", "How many learnable numbers the model has.") { m, _ in .number(Double(m.module.parameterCount)) }
            t.settable(
                "training", .flag, "Train mode (dropout active, batch statistics) when true; set it on a model and every layer follows.",
                get: { m, _ in .bool(m.module.training) }, set: { m, v, _ in if case .bool(let b) = v { m.module.training = b } })
            for (name, doc) in [
                ("weight", "The layer's weight (Linear, Conv2d)."), ("bias", "The layer's bias, or none when it has none."),
                ("scale", "A normalization layer's learned scale γ."), ("shift", "A normalization layer's learned shift β.")
            ] {
                t.property(name, doc) { m, _ in
                    if let p = m.module.ownParameters.first(where: { $0.name == name }) { return .tensor(p.variable) }
                    if name == "bias", m.module.ownParameters.contains(where: { $0.name == "weight" }) { return .none }
                    throw LangError(.type, "\(m.module.summary) has no \(name)")
                }
            }
            for (name, doc) in [
                ("running_mean", "A batch-norm layer's running mean, used in eval mode; settable."),
                ("running_var", "A batch-norm layer's running variance, used in eval mode; settable.")
            ] {
                t.settable(
                    name, .tensor, doc, get: { m, _ in try buffer(m, name) },
                    set: { m, v, _ in
                        let x = try Arguments.toTensor(v, callee: "model.\(name)", name: name, location: .unknown)
                        try m.module.setBuffer(name, x.value)
                    })
            }
            t.property("mask", "A dropout layer's mask from its last training forward pass (1 kept, 0 dropped), or none.") { m, _ in
                m.module.inspectable.first { $0.name == "mask" }.map { .tensor(Variable($0.tensor)) } ?? .none
            }
        }
    }

    static func buffer(_ m: ModelObject, _ name: String) throws -> Value {
        guard let b = m.module.buffers.first(where: { $0.name == name }) else { throw LangError(.type, "\(m.module.summary) has no \(name)") }
        return .tensor(Variable(b.tensor))
    }
}
