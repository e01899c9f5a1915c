import Autograd
import Tensors

func registerTensorBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Tensors"
    r.register(
        "tensor", [Param("values", .tensor)], category: c,
        doc: "A tensor from a number or a nested list of numbers; every row must have the same length.",
        example: "tensor([[1, 2], [3, 4]])"
    ) { a, _ in .tensor(try a.tensor("values")) }
    r.register(
        "zeros", [Param("shape", .wholes(.count), variadic: true)], category: c, doc: "A tensor of zeros; the shape is given as sizes or as one list.",
        example: "zeros(2, 3)"
    ) { a, _ in leaf(try .zeros(try a.shape())) }
    r.register("ones", [Param("shape", .wholes(.count), variadic: true)], category: c, doc: "A tensor of ones.", example: "ones([2, 2])") { a, _ in
        leaf(try .ones(try a.shape()))
    }
    r.register("full", [Param("shape", .wholes(.count)), Param("value", .number)], category: c, doc: "A tensor filled with `value`.", example: "full([2, 3], 7)") { a, _ in
        let shape = try a.wholeList("shape")
        try Arguments.checkSize(shape, callee: "full", location: a.location)
        return leaf(try .full(shape, Float(try a.number("value"))))
    }
    r.register(
        "arange", [Param("start", .number), Param("end", .number, default: .absent), Param("step", .number, default: 1)], category: c,
        doc: "Evenly spaced values from start up to (not including) end. With one argument, counts from 0.",
        example: "arange(0, 10, step: 2)"
    ) { a, _ in
        let hasEnd = a.gave("end")
        let start = hasEnd ? try a.number("start") : 0
        let end = hasEnd ? try a.number("end") : try a.number("start")
        let step = try a.number("step")
        guard step != 0 else { throw LangError(.runtime, "arange: step must not be 0") }
        guard start.isFinite, end.isFinite, step.isFinite else { throw LangError(.runtime, "arange: start, end and step must be finite numbers") }
        return leaf(try .arange(from: start, to: end, step: step))
    }
    r.register(
        "linspace", [Param("start", .number), Param("end", .number), Param("count", .whole(.count))], category: c, doc: "`count` values from start to end inclusive.",
        example: "linspace(0, 1, 5)"
    ) { a, _ in
        let n = try a.whole("count")
        try Arguments.checkSize([n], callee: "linspace", location: a.location)
        return leaf(try .linspace(try a.number("start"), try a.number("end"), count: n))
    }
    r.register("eye", [Param("n", .whole(.count))], category: c, doc: "The n × n identity matrix.", example: "eye(3)") { a, _ in
        let n = try a.whole("n")
        try Arguments.checkSize([n, n], callee: "eye", location: a.location)
        return leaf(try .eye(n))
    }
    r.register(
        "rand", [Param("shape", .wholes(.count), variadic: true), Param("low", .number, default: 0), Param("high", .number, default: 1)], category: c,
        doc: "Uniform random values in [low, high) from the session's seeded generator (`seed(n)` restarts it).",
        example: "rand(2, 3)"
    ) { a, interp in
        let shape = try a.shape()
        return leaf(
            try .rand(
                shape, low: Float(try a.number("low")), high: Float(try a.number("high")),
                using: &interp.generator))
    }
    r.register(
        "randn", [Param("shape", .wholes(.count), variadic: true), Param("mean", .number, default: 0), Param("std", .number, default: 1)], category: c,
        doc: "Gaussian random values from the session's seeded generator. `randn(64, 3, 32, 32)` is a batch of images.",
        example: "w = randn(3, 4) * 0.01; w.shape"
    ) { a, interp in
        let shape = try a.shape()
        return leaf(
            try .randn(
                shape, mean: Float(try a.number("mean")), std: Float(try a.number("std")),
                using: &interp.generator))
    }
    r.register("shape", [Param("x", .tensor)], category: c, doc: "The sizes of x's axes as a list.", example: "shape(zeros(2, 3))") { a, _ in
        shapeValue(try a.tensor("x").shape)
    }
    r.register(
        "reshape", [Param("x", .tensor), Param("shape", .wholes(WholeNumber("a size, or -1 to infer it", -1...Arguments.maximumElements)), variadic: true)], category: c,
        doc: "The same elements in a new shape; one size may be -1 and is inferred. Differentiable.",
        example: "reshape(arange(6), 2, -1)"
    ) { a, _ in
        let x = try a.tensor("x")
        let shape = try a.wholeList("shape")
        return .tensor(try x.reshaped(shape))
    }
    r.register(
        "flatten", [Param("x", .tensor), Param("from", .whole(.axis), default: 1)], category: c, doc: "Merges the axes from `from` on into one (keeps the batch axis by default).",
        example: "flatten(zeros(2, 3, 4)).shape"
    ) { a, _ in .tensor(try a.tensor("x").flattened(from: try a.whole("from"))) }
    r.register(
        "transpose", [Param("x", .tensor)], category: c, doc: "Swaps the two axes of a matrix (`x.T` does the same).",
        example: "transpose(tensor([[1, 2, 3]]))"
    ) { a, _ in .tensor(try a.tensor("x").transposed()) }
    r.register(
        "permute", [Param("x", .tensor), Param("axes", .wholes(.axis), variadic: true)], category: c, doc: "Reorders the axes: `permute(x, 0, 2, 3, 1)` turns NCHW into NHWC.",
        example: "permute(zeros(2, 3, 4), 2, 0, 1).shape"
    ) { a, _ in
        .tensor(try a.tensor("x").permuted(try a.wholeList("axes")))
    }
    r.register(
        "concat", [Param("tensors", .tensors), Param("axis", .whole(.axis), default: 0)], category: c, doc: "Joins a list of tensors along an existing axis.",
        example: "concat([ones(1, 2), zeros(1, 2)]).shape"
    ) { a, _ in
        .tensor(try Variable.concat(try a.tensorList("tensors"), axis: try a.whole("axis")))
    }
    r.register(
        "stack", [Param("tensors", .tensors), Param("axis", .whole(.axis), default: 0)], category: c, doc: "Joins same-shaped tensors along a new axis.",
        example: "stack([ones(2), zeros(2)]).shape"
    ) { a, _ in
        let axis = try a.whole("axis")
        return .tensor(try Variable.concat(try a.tensorList("tensors").map { try $0.unsqueezedVariable(axis) }, axis: axis))
    }
    r.register(
        "one_hot", [Param("labels", .wholes(.count)), Param("classes", .whole(.positiveCount))], category: c, doc: "Rows of zeros with a 1 at each label.",
        example: "one_hot([0, 2], 3)"
    ) { a, _ in
        let l = try a.wholeList("labels"), k = try a.whole("classes")
        try Arguments.checkSize([l.count, k], callee: "one_hot", location: a.location)
        return .tensor(Variable(try .oneHot(l, classes: k)))
    }
    r.register("size", [Param("x", .value)], category: c, doc: "The number of elements of a tensor, list or string.", example: "size(zeros(3, 4))") { a, _ in
        switch a.value("x") {
        case .list(let l)?: return .number(Double(l.count))
        case .string(let s)?: return .number(Double(s.count))
        default: return .number(Double(try a.tensor("x").value.count))
        }
    }
    r.register(
        "count_zeros", [Param("x", .tensor), Param("tolerance", .number, default: 0)], category: c,
        doc: "How many elements are exactly zero (or within tolerance) — the sparsity L1 produces.",
        example: "count_zeros(tensor([0, 1, 0, 2]))"
    ) { a, _ in
        let tol = Float(try a.number("tolerance"))
        return .number(Double(try a.tensor("x").value.scalars.filter { abs($0) <= tol }.count))
    }
    r.register(
        "where", [Param("condition", .tensor), Param("a", .tensor), Param("b", .tensor)], category: c, doc: "Elementwise: a where condition is nonzero, else b (not differentiable).",
        example: "where(tensor([1, 0]), tensor([5, 5]), tensor([7, 7]))"
    ) { a, _ in
        .tensor(Variable(try .where(try a.tensor("condition").value, try a.tensor("a").value, try a.tensor("b").value)))
    }
}

extension Variable where Scalar == Float {
    /// Inserts an axis of size 1 (used by `stack`).
    func unsqueezedVariable(_ axis: Int) throws -> Variable {
        var s = shape
        let a = axis < 0 ? axis + s.count + 1 : axis
        guard a >= 0 && a <= s.count else { throw TensorError("axis \(axis) is out of range for shape \(shape)") }
        s.insert(1, at: a)
        return try reshaped(s)
    }
}
