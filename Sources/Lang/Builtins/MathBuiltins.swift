import Autograd
import Foundation
import NeuralNet
import Tensors

func registerMathBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Math"
    /// Unary functions work on numbers (giving numbers) and tensors (differentiably).
    func unary(
        _ name: String, _ doc: String, _ example: String, number: @escaping (Double) -> Double,
        tensor: @escaping (TensorValue) throws -> TensorValue
    ) {
        r.register(name, [Param("x", .tensor)], category: c, doc: doc, example: example) { a, _ in
            if case .number(let x)? = a.value("x") { return .number(number(x)) }
            return .tensor(try tensor(try a.tensor("x")))
        }
    }
    unary("exp", "e to the power x, elementwise.", "exp(0)", number: Foundation.exp) { $0.exp() }
    unary("log", "Natural logarithm, elementwise. `log(10)` is the softmax loss of a 10-class guess.", "log(10)", number: Foundation.log) { $0.log() }
    unary("sqrt", "Square root, elementwise.", "sqrt(tensor([4, 9]))", number: Foundation.sqrt) { $0.sqrt() }
    unary("tanh", "Hyperbolic tangent, elementwise.", "tanh(0.5)", number: Foundation.tanh) { $0.tanh() }
    unary("sigmoid", "1 / (1 + e^−x), elementwise.", "sigmoid(0)", number: { 1 / (1 + Foundation.exp(-$0)) }) { $0.sigmoid() }
    r.register(
        "relu", [Param("x", .tensor)], category: c, doc: "max(0, x), elementwise. Its gradient is 1 where x > 0 and 0 elsewhere.",
        example: "relu(tensor([-1, 2]))"
    ) { a, interp in
        if case .number(let x)? = a.value("x") { return .number(max(0, x)) }
        return .tensor(try interp.backend.relu(try a.tensor("x")))
    }
    unary("abs", "Absolute value, elementwise.", "abs(-3)", number: { Swift.abs($0) }) { $0.abs() }
    r.register(
        "leaky_relu", [Param("x", .tensor), Param("slope", .number, default: 0.01)], category: c, doc: "x where x > 0, slope·x elsewhere.",
        example: "leaky_relu(tensor([-1, 2]), slope: 0.1)"
    ) { a, _ in
        .tensor(try a.tensor("x").leakyRelu(slope: Float(try a.number("slope"))))
    }
    r.register(
        "clip", [Param("x", .tensor), Param("low", .number), Param("high", .number)], category: c, doc: "Limits every element to [low, high].",
        example: "clip(tensor([-2, 0.5, 3]), 0, 1)"
    ) { a, _ in
        .tensor(try a.tensor("x").clip(Float(try a.number("low")), Float(try a.number("high"))))
    }
    r.register(
        "pow", [Param("x", .tensor), Param("p", .number)], category: c, doc: "x to the power p (a number), elementwise; same as x ^ p.",
        example: "pow(tensor([2, 3]), 2)"
    ) { a, _ in
        if case .number(let x)? = a.value("x") { return .number(Foundation.pow(x, try a.number("p"))) }
        return .tensor(try a.tensor("x").pow(Float(try a.number("p"))))
    }
    r.register(
        "round", [Param("x", .number), Param("digits", .number, default: 0)], category: c, doc: "Rounds a number to the given number of decimal digits.",
        example: "round(3.14159, digits: 2)"
    ) { a, _ in
        let p = Foundation.pow(10, try a.number("digits"))
        return .number((try a.number("x") * p).rounded() / p)
    }
    r.register("floor", [Param("x", .number)], category: c, doc: "The largest whole number not above x.", example: "floor(2.7)") { a, _ in
        .number((try a.number("x")).rounded(.down))
    }
    r.register(
        "maximum", [Param("a", .tensor), Param("b", .tensor)], category: c, doc: "Elementwise larger of a and b, with broadcasting (not differentiable).",
        example: "maximum(tensor([1, 5]), 3)"
    ) { a, _ in
        .tensor(Variable(try a.tensor("a").value.maximum(try a.tensor("b").value)))
    }
    r.register(
        "minimum", [Param("a", .tensor), Param("b", .tensor)], category: c, doc: "Elementwise smaller of a and b, with broadcasting (not differentiable).",
        example: "minimum(tensor([1, 5]), 3)"
    ) { a, _ in
        .tensor(Variable(try a.tensor("a").value.minimum(try a.tensor("b").value)))
    }

    func axes(_ a: Arguments) throws -> [Int]? {
        a.has("axis") ? try a.wholeList("axis") : nil
    }
    func reduction(
        _ name: String, _ doc: String, _ example: String,
        _ op: @escaping (TensorValue, [Int]?, Bool) throws -> TensorValue, numbers: (([Double]) -> Double)? = nil
    ) {
        r.register(
            name, [Param("x", .tensor), Param("axis", .wholes(.axis), default: .absent, doc: "one axis or a list of axes"), Param("keep_dims", .flag, default: false)],
            category: c, doc: doc, example: example
        ) { a, _ in
            if let numbers, case .list(let items)? = a.value("x"),
                items.allSatisfy({
                    if case .number = $0 { return true }; return false
                })
            {
                return .number(
                    numbers(
                        items.map {
                            if case .number(let v) = $0 { return v }; return 0
                        }))
            }
            return .tensor(try op(try a.tensor("x"), try axes(a), try a.bool("keep_dims")))
        }
    }
    reduction(
        "sum", "Sum of all elements, or along the given axis (or list of axes). Differentiable.", "sum(ones(2, 3), axis: 1)",
        { try $0.sum(axes: $1, keepDims: $2) }, numbers: { $0.reduce(0, +) })
    reduction(
        "mean", "Mean of all elements or along axes. Differentiable.", "mean(tensor([1, 2, 3, 4]))",
        { try $0.mean(axes: $1, keepDims: $2) }, numbers: { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) })
    reduction(
        "var", "Variance (divides by N) of all elements or along axes. Differentiable.", "var(tensor([1, 2, 3, 4]))",
        { try $0.variance(axes: $1, keepDims: $2) })
    reduction(
        "max", "Largest element, or along axes; the gradient flows to the maximum. On a list of numbers, the largest number.",
        "max(tensor([[1, 5], [7, 2]]), axis: 1)", { try $0.max(axes: $1, keepDims: $2) }, numbers: { $0.max() ?? .nan })
    reduction(
        "min", "Smallest element, or along axes. On a list of numbers, the smallest number.", "min([3, 1, 2])",
        { try -((-$0).max(axes: $1, keepDims: $2)) }, numbers: { $0.min() ?? .nan })
    r.register(
        "argmax", [Param("x", .tensor), Param("axis", .whole(.axis), default: .absent)], category: c,
        doc: "Index of the largest element (flat), or along an axis: `argmax(scores, axis: 1)` is each row's predicted class.",
        example: "argmax(tensor([[1, 5], [7, 2]]), axis: 1)"
    ) { a, _ in
        let x = try a.tensor("x").value
        if a.has("axis") { return .tensor(Variable(try x.argmax(axis: try a.whole("axis")))) }
        return .number(Double(try x.argmax()))
    }
    r.register(
        "matmul", [Param("a", .tensor), Param("b", .tensor)], category: c, doc: "Matrix product of two matrices; `a @ b` does the same. Differentiable.",
        example: "matmul(ones(2, 3), ones(3, 4)).shape"
    ) { a, interp in
        try interp.binary("@", .tensor(try a.tensor("a")), .tensor(try a.tensor("b")), at: a.location)
    }
    r.register(
        "softmax", [Param("x", .tensor), Param("axis", .whole(.axis), default: -1)], category: c,
        doc: "exp(x − max) / Σ exp(x − max) along an axis (rows by default): class probabilities. Built from differentiable pieces.",
        example: "softmax(tensor([[1, 2, 3]]))"
    ) { a, _ in
        let x = try a.tensor("x")
        var axis = try a.whole("axis")
        if axis < 0 { axis += x.value.rank }
        let shifted = try x - Variable(try x.value.max(axes: [axis], keepDims: true))
        let e = shifted.exp()
        return .tensor(try e / e.sum(axes: [axis], keepDims: true))
    }
    r.register("any", [Param("x", .tensor)], category: c, doc: "Whether any element (of a tensor or list) is nonzero / true.", example: "any(tensor([0, 0, 1]))") { a, _ in
        if case .list(let l)? = a.value("x") { return .bool(try l.contains { try $0.truth(at: a.location) }) }
        return .bool(try a.tensor("x").value.scalars.contains { $0 != 0 })
    }
    r.register("all", [Param("x", .tensor)], category: c, doc: "Whether every element is nonzero / true.", example: "all(tensor([1, 2]) > 0)") { a, _ in
        if case .list(let l)? = a.value("x") { return .bool(try l.allSatisfy { try $0.truth(at: a.location) }) }
        return .bool(try a.tensor("x").value.scalars.allSatisfy { $0 != 0 })
    }
}
