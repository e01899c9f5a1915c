import Autograd
import Optimizers
import Tensors

/// An optimizer: `opt.step()`, `opt.zero_grad()`, `opt.lr`, `opt.state`.
public final class OptimizerObject: NativeObject {
    public let optimizer: Optimizer<Float>
    public init(_ optimizer: Optimizer<Float>) { self.optimizer = optimizer }
    public var typeName: String { "optimizer" }
    public var summary: String { optimizer.description }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: OptimizerObject.self, "optimizer", doc: "an update rule bound to a model's parameters.") { t in
            t.method("step", "Updates every parameter from its gradient.") { o, _, _ in
                try o.optimizer.step(); return .none
            }
            t.method("zero_grad", "Clears the parameters' gradients.") { o, _, _ in
                o.optimizer.zeroGrad(); return .none
            }
            t.method("eval", "Switches the parameters to the values to evaluate (Schedule-Free's averaged point); others do nothing.") { o, _, _ in
                o.optimizer.prepareForEvaluation(); return .none
            }
            t.method("train", "Switches back to the training point after eval().") { o, _, _ in
                o.optimizer.prepareForTraining(); return .none
            }
            t.settable(
                "lr", .nonNegative, "The learning rate used by the next step.",
                get: { o, _ in .number(o.optimizer.learningRate) }, set: { o, v, _ in o.optimizer.learningRate = v.numberValue ?? o.optimizer.learningRate })
            t.property("iteration", "How many steps have been taken.") { o, _ in .number(Double(o.optimizer.iteration)) }
            t.property("name", "The update rule's name.") { o, _ in .string(o.optimizer.name) }
            t.property("slots", "The names of the per-parameter state the rule keeps (velocity, m, v…).") { o, _ in
                .list(o.optimizer.slotNames.map { .string($0) })
            }
            t.property("state", "The per-parameter state, one list per slot, in the order of the model's params.") { o, _ in
                var fields: [(String, Value)] = []
                for slot in o.optimizer.slotNames {
                    let bySlot = o.optimizer.slot(slot)
                    fields.append((slot, .list(o.optimizer.parameters.map { p in bySlot[p.name].map { .tensor(Variable($0)) } ?? .none })))
                }
                return .object(RecordObject("optimizer state", fields))
            }
        }
    }
}
