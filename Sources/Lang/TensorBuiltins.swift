import Autograd
import Kernels
import Tensors

func registerTensorBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Tensors"
    r.register("tensor", "tensor(values)", category: c,
               doc: "A tensor from a number or a nested list of numbers; every row must have the same length.",
               example: "tensor([[1, 2], [3, 4]])") { a, _ in .tensor(try a.tensor(0, "values")) }
    r.register("zeros", "zeros(shape…)", category: c, doc: "A tensor of zeros; the shape is given as sizes or as one list.",
               example: "zeros(2, 3)") { a, _ in leaf(try .zeros(try a.shape(from: 0))) }
    r.register("ones", "ones(shape…)", category: c, doc: "A tensor of ones.", example: "ones([2, 2])") { a, _ in
        leaf(try .ones(try a.shape(from: 0)))
    }
    r.register("full", "full(shape, value)", category: c, doc: "A tensor filled with `value`.", example: "full([2, 3], 7)") { a, _ in
        let shape = try a.wholeList(0, "shape", .count)
        try Arguments.checkSize(shape, callee: "full", location: a.location)
        return leaf(try .full(shape, Float(try a.number(1, "value"))))
    }
    r.register("arange", "arange(start, end, step: 1)", category: c,
               doc: "Evenly spaced values from start up to (not including) end. With one argument, counts from 0.",
               example: "arange(0, 10, step: 2)") { a, _ in
        let hasEnd = a.has(1, "end")
        let start = hasEnd ? try a.number(0, "start") : 0
        let end = hasEnd ? try a.number(1, "end") : try a.number(0, "start")
        let step = try a.number(2, "step", default: 1)
        guard step != 0 else { throw LangError(.runtime, "arange: step must not be 0") }
        guard start.isFinite, end.isFinite, step.isFinite else { throw LangError(.runtime, "arange: start, end and step must be finite numbers") }
        return leaf(try .arange(from: start, to: end, step: step))
    }
    r.register("linspace", "linspace(start, end, count)", category: c, doc: "`count` values from start to end inclusive.",
               example: "linspace(0, 1, 5)") { a, _ in
        let n = try a.whole(2, "count", .count)
        try Arguments.checkSize([n], callee: "linspace", location: a.location)
        return leaf(try .linspace(try a.number(0, "start"), try a.number(1, "end"), count: n))
    }
    r.register("eye", "eye(n)", category: c, doc: "The n × n identity matrix.", example: "eye(3)") { a, _ in
        let n = try a.whole(0, "n", .count)
        try Arguments.checkSize([n, n], callee: "eye", location: a.location)
        return leaf(try .eye(n))
    }
    r.register("rand", "rand(shape…, low: 0, high: 1)", category: c,
               doc: "Uniform random values in [low, high) from the session's seeded generator (`seed(n)` restarts it).",
               example: "rand(2, 3)") { a, interp in
        let shape = try a.shape(from: 0)
        return leaf(try .rand(shape, low: Float(try a.number(-1, "low", default: 0)), high: Float(try a.number(-1, "high", default: 1)),
                              using: &interp.generator))
    }
    r.register("randn", "randn(shape…, mean: 0, std: 1)", category: c,
               doc: "Gaussian random values from the session's seeded generator. `randn(64, 3, 32, 32)` is a batch of images.",
               example: "w = randn(3, 4) * 0.01; w.shape") { a, interp in
        let shape = try a.shape(from: 0)
        return leaf(try .randn(shape, mean: Float(try a.number(-1, "mean", default: 0)), std: Float(try a.number(-1, "std", default: 1)),
                               using: &interp.generator))
    }
    r.register("shape", "shape(x)", category: c, doc: "The sizes of x's axes as a list.", example: "shape(zeros(2, 3))") { a, _ in
        shapeValue(try a.tensor(0, "x").shape)
    }
    r.register("reshape", "reshape(x, shape…)", category: c,
               doc: "The same elements in a new shape; one size may be -1 and is inferred. Differentiable.",
               example: "reshape(arange(6), 2, -1)") { a, _ in
        let x = try a.tensor(0, "x")
        let shape = try a.sizes(from: 1, "shape", WholeNumber("a size, or -1 to infer it", -1...Arguments.maximumElements))
        return .tensor(try x.reshaped(shape))
    }
    r.register("flatten", "flatten(x, from: 1)", category: c, doc: "Merges the axes from `from` on into one (keeps the batch axis by default).",
               example: "flatten(zeros(2, 3, 4)).shape") { a, _ in .tensor(try a.tensor(0, "x").flattened(from: try a.whole(1, "from", .axis, default: 1))) }
    r.register("transpose", "transpose(x)", category: c, doc: "Swaps the two axes of a matrix (`x.T` does the same).",
               example: "transpose(tensor([[1, 2, 3]]))") { a, _ in .tensor(try a.tensor(0, "x").transposed()) }
    r.register("permute", "permute(x, axes…)", category: c, doc: "Reorders the axes: `permute(x, 0, 2, 3, 1)` turns NCHW into NHWC.",
               example: "permute(zeros(2, 3, 4), 2, 0, 1).shape") { a, _ in
        .tensor(try a.tensor(0, "x").permuted(try a.shape(from: 1, "axes")))
    }
    r.register("concat", "concat(tensors, axis: 0)", category: c, doc: "Joins a list of tensors along an existing axis.",
               example: "concat([ones(1, 2), zeros(1, 2)]).shape") { a, _ in
        .tensor(try Variable.concat(try a.tensorList(0, "tensors"), axis: try a.whole(1, "axis", .axis, default: 0)))
    }
    r.register("stack", "stack(tensors, axis: 0)", category: c, doc: "Joins same-shaped tensors along a new axis.",
               example: "stack([ones(2), zeros(2)]).shape") { a, _ in
        let axis = try a.whole(1, "axis", .axis, default: 0)
        return .tensor(try Variable.concat(try a.tensorList(0, "tensors").map { try $0.unsqueezedVariable(axis) }, axis: axis))
    }
    r.register("one_hot", "one_hot(labels, classes)", category: c, doc: "Rows of zeros with a 1 at each label.",
               example: "one_hot([0, 2], 3)") { a, _ in
        let l = try a.wholeList(0, "labels", .count), k = try a.whole(1, "classes", .positiveCount)
        try Arguments.checkSize([l.count, k], callee: "one_hot", location: a.location)
        return .tensor(Variable(try .oneHot(l, classes: k)))
    }
    r.register("size", "size(x)", category: c, doc: "The number of elements of a tensor, list or string.", example: "size(zeros(3, 4))") { a, _ in
        switch a.value(0, "x") {
        case .list(let l)?: return .number(Double(l.count))
        case .string(let s)?: return .number(Double(s.count))
        default: return .number(Double(try a.tensor(0, "x").value.count))
        }
    }
    r.register("count_zeros", "count_zeros(x, tolerance: 0)", category: c,
               doc: "How many elements are exactly zero (or within tolerance) — the sparsity L1 produces.",
               example: "count_zeros(tensor([0, 1, 0, 2]))") { a, _ in
        let tol = Float(try a.number(1, "tolerance", default: 0))
        return .number(Double(try a.tensor(0, "x").value.scalars.filter { abs($0) <= tol }.count))
    }
    r.register("where", "where(condition, a, b)", category: c, doc: "Elementwise: a where condition is nonzero, else b (not differentiable).",
               example: "where(tensor([1, 0]), tensor([5, 5]), tensor([7, 7]))") { a, _ in
        .tensor(Variable(try .where(try a.tensor(0, "condition").value, try a.tensor(1, "a").value, try a.tensor(2, "b").value)))
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
