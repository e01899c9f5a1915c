import Autograd
import Foundation
import Random
import Tensors

func registerAutogradBuiltins(_ r: inout BuiltinRegistry) {
    let c = "Autograd"
    r.register(
        "backward", [Param("loss", .tensor)], category: c,
        doc: "Accumulates ∂loss/∂x into `x.grad` for every tensor the loss was computed from, then frees the loss's graph: a second backward on the same loss is an error (compute the loss again, as PyTorch does without retain_graph), and values computed before the first pass then act as leaves holding their own gradient. Gradients add up across calls: clear them with `zero_grad`.",
        example: "w = randn(3); loss = sum(w * w); backward(loss); w.grad"
    ) { a, _ in
        let loss = try a.tensor("loss")
        guard loss.requiresGrad else {
            throw LangError(.runtime, "backward: this value does not depend on anything that takes a gradient (was it made inside no_grad, or from a dataset?)")
        }
        try loss.backward()
        return .none
    }
    r.register(
        "zero_grad", [Param("x", .value, variadic: true)], category: c,
        doc: "Clears the gradients of tensors, lists of tensors, models or optimizers.",
        example: "w = randn(2); backward(sum(w)); zero_grad(w); w.grad"
    ) { a, _ in
        func clear(_ v: Value) {
            switch v {
            case .tensor(let t): t.zeroGrad()
            case .list(let l): l.forEach(clear)
            case .object(let o as ModelObject): o.module.zeroGrad()
            case .object(let o as OptimizerObject): o.optimizer.zeroGrad()
            default: break
            }
        }
        a.values("x").forEach(clear)
        return .none
    }
    r.register(
        "detach", [Param("x", .tensor)], category: c, doc: "The same values cut from the graph: no gradient flows through.",
        example: "detach(randn(2)).requires_grad"
    ) { a, _ in .tensor(try a.tensor("x").detached()) }
    r.register(
        "param", [Param("x", .tensor)], category: c,
        doc: "A fresh leaf copy of x that receives gradients (use it to start a parameter from a computed value).",
        example: "w = param(randn(2, 2) * 0.01); w.requires_grad"
    ) { a, _ in leaf(try a.tensor("x").value) }
    r.register(
        "numerical_gradient", [Param("f", .function), Param("x", .tensor), Param("h", .number, default: 0.001)], category: c,
        doc: "Central differences (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every element of x, where f returns a number or one-element tensor. Slow: one pair of evaluations per element.",
        example: "numerical_gradient(fn(v) = sum(v * v), tensor([1, 2]))"
    ) { a, interp in
        let f = try a.function("f"), x = try a.tensor("x")
        let h = try a.number("h")
        return .tensor(Variable(try numericalGradient(f, x.value, h: h, interp, a)))
    }
    r.register(
        "gradcheck", [Param("f", .function), Param("x", .tensor), Param("h", .number, default: 0.001), Param("samples", .whole(.positiveCount), default: 20)], category: c,
        doc: "Compares backward's gradient of f at x with central differences at `samples` random entries and reports the largest relative error |a − n| / max(|a|, |n|). The language computes in float32, where a correct gradient usually gives 1e-4 or less; above 1e-2 the gradient is probably wrong.",
        example: "gradcheck(fn(v) = sum(tanh(v)), randn(5)).max_rel_error < 1e-2"
    ) { a, interp in
        let f = try a.function("f"), x0 = try a.tensor("x")
        let h = try a.number("h")
        let samples = try a.whole("samples")
        let x = Variable(x0.value, requiresGrad: true)
        let out = try Arguments.toTensor(
            try interp.call(f, Arguments(positional: [.tensor(x)], location: a.location, callee: f.name)),
            callee: "gradcheck", name: "f(x)", location: a.location)
        guard out.value.count == 1 else { throw LangError(.runtime, "gradcheck: f must return one number (e.g. sum(...)), got shape \(out.shape)") }
        try out.backward()
        let analytic = try x.grad ?? Tensor<Float>.zeros(x.shape)
        var g = SeededGenerator(seed: interp.seedValue &+ 17)
        let count = x0.value.count
        let picked = Array(shuffledFirst(count, min(samples, count), &g)).sorted()
        let numeric = try numericalGradient(f, x0.value, h: h, interp, a, only: picked)
        var worst = 0.0
        var rows: [Value] = []
        for i in picked {
            let an = Double(analytic.scalars[i]), nu = Double(numeric.scalars[i])
            let denom = max(abs(an), abs(nu))
            let rel = denom == 0 ? 0 : abs(an - nu) / denom
            worst = max(worst, rel)
            rows.append(.list([.number(Double(i)), .number(an), .number(nu), .number(rel)]))
        }
        let verdict = worst < 1e-4 ? "agrees (float32)" : worst < 1e-2 ? "probably right; look closer if layers are deep" : "probably wrong"
        return .object(
            RecordObject(
                "gradcheck",
                [
                    ("max_rel_error", .number(worst)), ("entries", .list(rows)),
                    ("verdict", .string(verdict))
                ],
                summary: "gradcheck: max relative error \(formatNumber(worst)) over \(picked.count) entries: \(verdict)"))
    }
}

func shuffledFirst(_ n: Int, _ k: Int, _ g: inout SeededGenerator) -> [Int] {
    var idx = Array(0..<n)
    for i in 0..<k {
        let j = i + Int(g.nextUniform() * Double(n - i))
        idx.swapAt(i, min(j, n - 1))
    }
    return Array(idx.prefix(k))
}

func numericalGradient(_ f: Callable, _ x: Tensor<Float>, h: Double, _ interp: Interpreter, _ a: Arguments, only: [Int]? = nil) throws -> Tensor<Float> {
    var grad = try Tensor<Float>.zeros(x.shape)
    func value(_ t: Tensor<Float>) throws -> Double {
        let v = try withoutGradient {
            try interp.call(f, Arguments(positional: [.tensor(Variable(t))], location: a.location, callee: f.name))
        }
        switch v {
        case .number(let n): return n
        case .tensor(let t) where t.value.count == 1: return Double(t.value.scalars[0])
        default: throw LangError(.runtime, "the function must return one number, got a \(v.typeName)")
        }
    }
    for i in only ?? Array(0..<x.count) {
        if interp.interrupt.isRaised { throw Interrupted() }
        var plus = x, minus = x
        plus.scalars[i] += Float(h)
        minus.scalars[i] -= Float(h)
        grad.scalars[i] = Float((try value(plus) - value(minus)) / (2 * h))
    }
    return grad
}
