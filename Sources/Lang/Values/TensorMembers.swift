import Autograd
import Tensors

/// The members of tensors and lists. Every builtin also works as a method on its first
/// argument (`x.sum()`, `x.reshape(2, -1)`), so these are only what has no builtin.
func declareTensorAndListMembers(_ r: inout BuiltinRegistry) {
    r.declareMembers(
        of: "tensor", doc: "an array of float32 numbers that can take part in autograd; every builtin is also a method: x.sum().",
        receiver: { if case .tensor(let t) = $0 { t } else { nil } }
    ) { t in
        t.property("shape", "The sizes of the axes.") { x, _ in shapeValue(x.shape) }
        t.settable(
            "grad", .tensor, "∂loss/∂x after backward (none before); can be set to a tensor of x's shape or to none.",
            get: { x, _ in x.grad.map { .tensor(Variable($0)) } ?? .none },
            set: { x, v, _ in
                if v.isNone { x.grad = nil; return }
                let grad = try Arguments.toTensor(v, callee: "grad", name: "value", location: .unknown).value
                guard grad.shape == x.shape else { throw LangError(.runtime, "x.grad must have x's shape \(x.shape), got \(grad.shape)") }
                x.grad = grad
            })
        for name in ["size", "numel"] {
            t.property(name, "The number of elements.") { x, _ in .number(Double(x.value.count)) }
        }
        for name in ["rank", "ndim"] {
            t.property(name, "The number of axes.") { x, _ in .number(Double(x.value.rank)) }
        }
        t.property("T", "The transpose of a matrix.") { x, _ in
            do { return .tensor(try x.transposed()) } catch let e as any ExplainedError { throw LangError(.runtime, e.message) }
        }
        t.property("requires_grad", "Whether gradients flow to this tensor.") { x, _ in .bool(x.requiresGrad) }
        t.property("item", "The one element of a one-element tensor, as a number.") { x, _ in
            guard x.value.count == 1 else { throw LangError(.runtime, "item needs a one-element tensor, this one has shape \(x.shape)") }
            return .number(Double(x.value.scalars[0]))
        }
    }
    r.declareMembers(
        of: "list", doc: "an ordered collection of any values.",
        receiver: { if case .list(let l) = $0 { l } else { nil } }
    ) { t in
        for name in ["length", "count"] {
            t.property(name, "The number of items.") { l, _ in .number(Double(l.count)) }
        }
        t.property("shape", "The shape the list would have as a tensor: [[1, 2], [3, 4]].shape is [2, 2].") { l, _ in
            shapeValue(try Arguments.flatten(.list(l), callee: "shape", location: .unknown).0)
        }
    }
}
