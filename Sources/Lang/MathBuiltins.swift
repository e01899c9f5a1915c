import Autograd
import Foundation
import Tensors

func registerMathBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Math"
    /// Unary functions work on numbers (giving numbers) and tensors (differentiably).
    func unary(_ name: String, _ doc: String, _ example: String, number: @escaping (Double) -> Double,
               tensor: @escaping (TensorValue) throws -> TensorValue) {
        r.register(name, "\(name)(x)", category: c, doc: doc, example: example) { a, _ in
            if case .number(let x)? = a.value(0, "x") { return .number(number(x)) }
            return .tensor(try tensor(try a.tensor(0, "x")))
        }
    }
    unary("exp", "e to the power x, elementwise.", "exp(0)", number: Foundation.exp) { $0.exp() }
    unary("log", "Natural logarithm, elementwise. `log(10)` is the softmax loss of a 10-class guess.", "log(10)", number: Foundation.log) { $0.log() }
    unary("sqrt", "Square root, elementwise.", "sqrt(tensor([4, 9]))", number: Foundation.sqrt) { $0.sqrt() }
    unary("tanh", "Hyperbolic tangent, elementwise.", "tanh(0.5)", number: Foundation.tanh) { $0.tanh() }
    unary("sigmoid", "1 / (1 + e^−x), elementwise.", "sigmoid(0)", number: { 1 / (1 + Foundation.exp(-$0)) }) { $0.sigmoid() }
    unary("relu", "max(0, x), elementwise. Its gradient is 1 where x > 0 and 0 elsewhere.", "relu(tensor([-1, 2]))",
          number: { max(0, $0) }) { $0.relu() }
    unary("abs", "Absolute value, elementwise.", "abs(-3)", number: { Swift.abs($0) }) { $0.abs() }
    r.register("leaky_relu", "leaky_relu(x, slope: 0.01)", category: c, doc: "x where x > 0, slope·x elsewhere.",
               example: "leaky_relu(tensor([-1, 2]), slope: 0.1)") { a, _ in
        .tensor(try a.tensor(0, "x").leakyRelu(slope: Float(try a.number(1, "slope", default: 0.01))))
    }
    r.register("clip", "clip(x, low, high)", category: c, doc: "Limits every element to [low, high].",
               example: "clip(tensor([-2, 0.5, 3]), 0, 1)") { a, _ in
        .tensor(try a.tensor(0, "x").clip(Float(try a.number(1, "low")), Float(try a.number(2, "high"))))
    }
    r.register("pow", "pow(x, p)", category: c, doc: "x to the power p (a number), elementwise; same as x ^ p.",
               example: "pow(tensor([2, 3]), 2)") { a, _ in
        if case .number(let x)? = a.value(0, "x") { return .number(Foundation.pow(x, try a.number(1, "p"))) }
        return .tensor(try a.tensor(0, "x").pow(Float(try a.number(1, "p"))))
    }
    r.register("round", "round(x, digits: 0)", category: c, doc: "Rounds a number to the given number of decimal digits.",
               example: "round(3.14159, digits: 2)") { a, _ in
        let p = Foundation.pow(10, try a.number(1, "digits", default: 0))
        return .number((try a.number(0, "x") * p).rounded() / p)
    }
    r.register("floor", "floor(x)", category: c, doc: "The largest whole number not above x.", example: "floor(2.7)") { a, _ in
        .number((try a.number(0, "x")).rounded(.down))
    }
    r.register("maximum", "maximum(a, b)", category: c, doc: "Elementwise larger of a and b, with broadcasting (not differentiable).",
               example: "maximum(tensor([1, 5]), 3)") { a, _ in
        .tensor(Variable(try a.tensor(0, "a").value.maximum(try a.tensor(1, "b").value)))
    }
    r.register("minimum", "minimum(a, b)", category: c, doc: "Elementwise smaller of a and b, with broadcasting (not differentiable).",
               example: "minimum(tensor([1, 5]), 3)") { a, _ in
        .tensor(Variable(try a.tensor(0, "a").value.minimum(try a.tensor(1, "b").value)))
    }

    func axes(_ a: Arguments, _ index: Int) throws -> [Int]? {
        guard a.has(index, "axis") else { return nil }
        return try a.wholeList(index, "axis", .axis)
    }
    func reduction(_ name: String, _ doc: String, _ example: String,
                   _ op: @escaping (TensorValue, [Int]?, Bool) throws -> TensorValue, numbers: (([Double]) -> Double)? = nil) {
        r.register(name, "\(name)(x, axis: none, keep_dims: false)", category: c, doc: doc, example: example) { a, _ in
            if let numbers, case .list(let items)? = a.value(0, "x"), items.allSatisfy({ if case .number = $0 { return true }; return false }) {
                return .number(numbers(items.map { if case .number(let v) = $0 { return v }; return 0 }))
            }
            return .tensor(try op(try a.tensor(0, "x"), try axes(a, 1), try a.bool(2, "keep_dims", default: false)))
        }
    }
    reduction("sum", "Sum of all elements, or along the given axis (or list of axes). Differentiable.", "sum(ones(2, 3), axis: 1)",
              { try $0.sum(axes: $1, keepDims: $2) }, numbers: { $0.reduce(0, +) })
    reduction("mean", "Mean of all elements or along axes. Differentiable.", "mean(tensor([1, 2, 3, 4]))",
              { try $0.mean(axes: $1, keepDims: $2) }, numbers: { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) })
    reduction("var", "Variance (divides by N) of all elements or along axes. Differentiable.", "var(tensor([1, 2, 3, 4]))",
              { try $0.variance(axes: $1, keepDims: $2) })
    reduction("max", "Largest element, or along axes; the gradient flows to the maximum. On a list of numbers, the largest number.",
              "max(tensor([[1, 5], [7, 2]]), axis: 1)", { try $0.max(axes: $1, keepDims: $2) }, numbers: { $0.max() ?? .nan })
    reduction("min", "Smallest element, or along axes. On a list of numbers, the smallest number.", "min([3, 1, 2])",
              { try -((-$0).max(axes: $1, keepDims: $2)) }, numbers: { $0.min() ?? .nan })
    r.register("argmax", "argmax(x, axis: none)", category: c,
               doc: "Index of the largest element (flat), or along an axis: `argmax(scores, axis: 1)` is each row's predicted class.",
               example: "argmax(tensor([[1, 5], [7, 2]]), axis: 1)") { a, _ in
        let x = try a.tensor(0, "x").value
        if a.has(1, "axis") { return .tensor(Variable(try x.argmax(axis: try a.whole(1, "axis", .axis)))) }
        return .number(Double(try x.argmax()))
    }
    r.register("matmul", "matmul(a, b)", category: c, doc: "Matrix product of two matrices; `a @ b` does the same. Differentiable.",
               example: "matmul(ones(2, 3), ones(3, 4)).shape") { a, interp in
        try interp.binary("@", .tensor(try a.tensor(0, "a")), .tensor(try a.tensor(1, "b")), at: a.location)
    }
    r.register("softmax", "softmax(x, axis: -1)", category: c,
               doc: "exp(x − max) / Σ exp(x − max) along an axis (rows by default): class probabilities. Built from differentiable pieces.",
               example: "softmax(tensor([[1, 2, 3]]))") { a, _ in
        let x = try a.tensor(0, "x")
        var axis = try a.whole(1, "axis", .axis, default: -1)
        if axis < 0 { axis += x.value.rank }
        let shifted = try x - Variable(try x.value.max(axes: [axis], keepDims: true))
        let e = shifted.exp()
        return .tensor(try e / e.sum(axes: [axis], keepDims: true))
    }
    r.register("any", "any(x)", category: c, doc: "Whether any element (of a tensor or list) is nonzero / true.", example: "any(tensor([0, 0, 1]))") { a, _ in
        if case .list(let l)? = a.value(0, "x") { return .bool(try l.contains { try $0.truth(at: a.location) }) }
        return .bool(try a.tensor(0, "x").value.scalars.contains { $0 != 0 })
    }
    r.register("all", "all(x)", category: c, doc: "Whether every element is nonzero / true.", example: "all(tensor([1, 2]) > 0)") { a, _ in
        if case .list(let l)? = a.value(0, "x") { return .bool(try l.allSatisfy { try $0.truth(at: a.location) }) }
        return .bool(try a.tensor(0, "x").value.scalars.allSatisfy { $0 != 0 })
    }
}
