import Autograd
import Foundation
import HomeworkKit
import NeuralNet
import Optimizers
import Random
import Tensors

/// Runs engine optimizer steps on `w` with the given gradients (the reference for the weights).
func engineStep(_ make: ([Parameter<Double>]) -> Optimizer<Double>, w: Tensor<Double>, grads: [Tensor<Double>]) throws -> [Tensor<Double>] {
    let p = Parameter(name: "w", variable: Variable(w, requiresGrad: true), role: .weight)
    let opt = make([p])
    var history: [Tensor<Double>] = []
    for g in grads {
        p.variable.grad = g
        try opt.step()
        history.append(p.variable.value)
    }
    return history
}

/// The ravine `f = ½(x² + 50y²)` from (−4, 1): f after each of `steps` engine optimizer steps.
func engineRavine(_ make: ([Parameter<Double>]) -> Optimizer<Double>, steps: Int) throws -> [Double] {
    let p = Parameter(name: "w", variable: Variable(Tensor<Double>([-4, 1]), requiresGrad: true), role: .weight)
    let opt = make([p])
    return try (0..<steps).map { _ in
        let (x, y) = (p.variable.value.scalars[0], p.variable.value.scalars[1])
        p.variable.grad = Tensor([x, 50 * y])
        try opt.step()
        let (x1, y1) = (p.variable.value.scalars[0], p.variable.value.scalars[1])
        return 0.5 * (x1 * x1 + 50 * y1 * y1)
    }
}

/// The ravine's optimizers with the hyperparameters `ravineLosses` documents.
let ravineOptimizers: [(name: String, lr: Double, make: @Sendable ([Parameter<Double>], Double) -> Optimizer<Double>)] = [
    ("sgd", 0.03, { SGD(parameters: $0, learningRate: $1) }),
    ("momentum", 0.01, { Momentum(parameters: $0, learningRate: $1, momentum: 0.9) }),
    ("rmsprop", 0.1, { RMSprop(parameters: $0, learningRate: $1, decayRate: 0.9, epsilon: 1e-8) }),
    ("adam", 0.1, { Adam(parameters: $0, learningRate: $1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8) })
]

/// A random weight tensor (not square) and `steps` random gradients of its shape.
func updateRuleInputs(_ g: inout SeededGenerator, steps: Int = 4, gradientScale: Double = 1) -> (Tensor<Double>, [Tensor<Double>], String) {
    let dims = distinctInts(2, in: 2...6, &g)
    let w = randomTensor(dims, &g)
    return (w, (0..<steps).map { _ in randomTensor(w.shape, &g, scale: gradientScale) }, "w \(w.shape) and \(steps) random gradients")
}

func sumOfSquares(_ t: Tensor<Double>) -> Double { t.scalars.reduce(0) { $0 + $1 * $1 } }

let trainingExercises: [Exercise] = {
    /// Checks each step's weights (against the engine) and state (against the stated formula).
    func stepsCheck(_ what: String, got: [Tensor<Double>], expected: [Tensor<Double>], input: String, tolerance: Double = 1e-9) throws {
        for k in expected.indices {
            try Check.tensor(
                "\(what) after step \(k + 1)", got: got[k], expected: expected[k], input: input, tolerance: tolerance,
                scaleHints: [(-1, "the update goes against the gradient")])
        }
    }
    return [
        Exercise(
            id: "a2.sample_batch", assignment: 2, title: "Sample a mini-batch",
            parts: [
                Part("size, range, distinct", points: 1) { t, g in
                    for _ in 0..<20 {
                        let n = randomInt(60...200, &g), b = randomInt(30...50, &g)
                        var gs = SeededGenerator(seed: g.next())
                        let a = try t.sampleBatch(n, b, &gs)
                        try Check.that(a.count == b, "sample_batch: asked for \(b) of \(n) indices, got \(a.count)")
                        try Check.that(a.allSatisfy { $0 >= 0 && $0 < n }, "sample_batch: indices must lie in 0..<\(n), got \(a.filter { $0 < 0 || $0 >= n }.prefix(3))")
                        try Check.that(Set(a).count == b, "sample_batch: \(b) of \(n) indices held duplicates: sample without replacement")
                    }
                },
                Part("from the generator", points: 0.5) { t, g in
                    let n = randomInt(60...200, &g), b = randomInt(5...20, &g), seed = g.next()
                    var g1 = SeededGenerator(seed: seed), g2 = SeededGenerator(seed: seed)
                    let a = try t.sampleBatch(n, b, &g1), a2 = try t.sampleBatch(n, b, &g2)
                    try Check.that(a == a2, "sample_batch: draw from the generator you are given, so the same seed gives the same batch")
                },
                Part("random", points: 0.5) { t, g in
                    let n = randomInt(60...200, &g), b = randomInt(5...20, &g)
                    var gs = SeededGenerator(seed: g.next())
                    var seen = Set<Int>()
                    for _ in 0..<50 { seen.formUnion(try t.sampleBatch(n, b, &gs)) }
                    try Check.that(seen.count > n / 2, "sample_batch: 50 batches of \(b) touched only \(seen.count) of \(n) examples; batches should be random")
                }
            ]),
        Exercise(
            id: "a2.sgd", assignment: 2, title: "SGD update",
            parts: [
                Part("update", points: 1) { t, g in
                    let (w0, grads, input) = updateRuleInputs(&g)
                    let lr = 0.01 + 0.2 * g.nextUniform()
                    var w = w0
                    let got = try grads.map {
                        try t.sgd(&w, $0, lr); return w
                    }
                    try stepsCheck("sgd (lr \(String(format: "%.3f", lr)))", got: got, expected: try engineStep({ SGD(parameters: $0, learningRate: lr) }, w: w0, grads: grads), input: input)
                }
            ]),
        Exercise(
            id: "a2.sgd_momentum", assignment: 2, title: "SGD with momentum",
            parts: {
                func run(_ t: ExerciseTable, _ g: inout SeededGenerator) throws -> (w: [Tensor<Double>], v: [Tensor<Double>], w0: Tensor<Double>, grads: [Tensor<Double>], lr: Double, mu: Double, input: String) {
                    let (w0, grads, input) = updateRuleInputs(&g)
                    let lr = 0.01 + 0.2 * g.nextUniform(), mu = 0.7 + 0.25 * g.nextUniform()
                    var w = w0, v = w0.map { _ in 0 }
                    var ws: [Tensor<Double>] = [], vs: [Tensor<Double>] = []
                    for d in grads { try t.sgdMomentum(&w, d, &v, lr, mu); ws.append(w); vs.append(v) }
                    return (ws, vs, w0, grads, lr, mu, input + String(format: ", lr %.3f, momentum %.3f", lr, mu))
                }
                return [
                    Part("weights", points: 1) { t, g in
                        let r = try run(t, &g)
                        try stepsCheck("sgd_momentum w", got: r.w, expected: try engineStep({ Momentum(parameters: $0, learningRate: r.lr, momentum: r.mu) }, w: r.w0, grads: r.grads), input: r.input)
                    },
                    Part("velocity", points: 1) { t, g in
                        let r = try run(t, &g)
                        var v = r.w0.map { _ in 0 }
                        let expected = try r.grads.map { d in
                            v = try v * r.mu - d * r.lr; return v
                        }
                        for k in expected.indices {
                            try Check.tensor(
                                "sgd_momentum velocity after step \(k + 1)", got: r.v[k], expected: expected[k], input: r.input, tolerance: 1e-9,
                                scaleHints: [(-1 / r.lr, "this exercise keeps v ← μv − lr·dw (the velocity includes −lr)")])
                        }
                    }
                ]
            }()),
        Exercise(
            id: "a2.rmsprop", assignment: 2, title: "RMSprop",
            parts: {
                func run(_ t: ExerciseTable, _ g: inout SeededGenerator) throws -> (w: [Tensor<Double>], c: [Tensor<Double>], w0: Tensor<Double>, grads: [Tensor<Double>], lr: Double, rho: Double, eps: Double, input: String) {
                    // Small gradients, so the cache is small and where ε goes matters.
                    let (w0, grads, input) = updateRuleInputs(&g, gradientScale: 0.01)
                    let lr = 0.001 + 0.01 * g.nextUniform(), rho = 0.8 + 0.19 * g.nextUniform(), eps = 1e-4
                    var w = w0, c = w0.map { _ in 0 }
                    var ws: [Tensor<Double>] = [], cs: [Tensor<Double>] = []
                    for d in grads { try t.rmsprop(&w, d, &c, lr, rho, eps); ws.append(w); cs.append(c) }
                    return (ws, cs, w0, grads, lr, rho, eps, input + String(format: ", lr %.4f, decay %.3f, ε 1e-4", lr, rho))
                }
                return [
                    Part("weights", points: 1) { t, g in
                        let r = try run(t, &g)
                        try stepsCheck("rmsprop w", got: r.w, expected: try engineStep({ RMSprop(parameters: $0, learningRate: r.lr, decayRate: r.rho, epsilon: r.eps) }, w: r.w0, grads: r.grads), input: r.input)
                    },
                    Part("cache", points: 1) { t, g in
                        let r = try run(t, &g)
                        var c = r.w0.map { _ in 0 }
                        let expected = try r.grads.map { d in
                            c = try c * r.rho + d * d * (1 - r.rho); return c
                        }
                        for k in expected.indices {
                            try Check.tensor("rmsprop cache after step \(k + 1)", got: r.c[k], expected: expected[k], input: r.input, tolerance: 1e-9)
                        }
                    }
                ]
            }()),
        Exercise(
            id: "a2.adam", assignment: 2, title: "Adam",
            parts: {
                func run(_ t: ExerciseTable, _ g: inout SeededGenerator) throws -> (w: [Tensor<Double>], m: [Tensor<Double>], v: [Tensor<Double>], w0: Tensor<Double>, grads: [Tensor<Double>], lr: Double, b1: Double, b2: Double, input: String) {
                    let (w0, grads, input) = updateRuleInputs(&g, steps: 5)
                    let lr = 0.001 + 0.05 * g.nextUniform(), b1 = 0.8 + 0.15 * g.nextUniform(), b2 = 0.95 + 0.049 * g.nextUniform()
                    var w = w0, m = w0.map { _ in 0 }, v = w0.map { _ in 0 }
                    var ws: [Tensor<Double>] = [], ms: [Tensor<Double>] = [], vs: [Tensor<Double>] = []
                    for (k, d) in grads.enumerated() {
                        try t.adam(&w, d, &m, &v, k + 1, lr, b1, b2, 1e-8)
                        ws.append(w); ms.append(m); vs.append(v)
                    }
                    return (ws, ms, vs, w0, grads, lr, b1, b2, input + String(format: ", lr %.4f, β₁ %.3f, β₂ %.4f, t = 1…5", lr, b1, b2))
                }
                return [
                    Part("weights", points: 2) { t, g in
                        let r = try run(t, &g)
                        try stepsCheck("adam w", got: r.w, expected: try engineStep({ Adam(parameters: $0, learningRate: r.lr, beta1: r.b1, beta2: r.b2, epsilon: 1e-8) }, w: r.w0, grads: r.grads), input: r.input)
                    },
                    Part("moments", points: 1) { t, g in
                        let r = try run(t, &g)
                        var m = r.w0.map { _ in 0 }, v = m
                        for (k, d) in r.grads.enumerated() {
                            m = try m * r.b1 + d * (1 - r.b1)
                            v = try v * r.b2 + d * d * (1 - r.b2)
                            try Check.tensor("adam m after step \(k + 1)", got: r.m[k], expected: m, input: r.input, tolerance: 1e-9)
                            try Check.tensor("adam v after step \(k + 1)", got: r.v[k], expected: v, input: r.input, tolerance: 1e-9)
                        }
                    }
                ]
            }()),
        Exercise(
            id: "a2.schedules", assignment: 2, title: "Step and 1/t learning-rate schedules",
            parts: [
                Part("step decay", points: 1) { t, g in
                    let lr = 0.01 + g.nextUniform(), every = randomInt(3...20, &g), factor = 0.2 + 0.6 * g.nextUniform()
                    for it in [0, every - 1, every, every + 1, 3 * every + 1] {
                        let expected = LearningRateSchedule.step(every: every, factor: factor).rate(base: lr, at: it)
                        try Check.number(
                            "step_decay at t = \(it)", got: try t.stepDecay(lr, it, every, factor), expected: expected,
                            input: String(format: "lr %.3f, every %d, factor %.3f", lr, every, factor),
                            mistakes: [("the exponent is ⌊t / every⌋, a whole number of drops", lr * pow(factor, Double(it) / Double(every)))])
                    }
                },
                Part("inverse time", points: 1) { t, g in
                    let lr = 0.01 + g.nextUniform(), k = 0.05 + 0.5 * g.nextUniform()
                    for it in [0, 1, 7, 100] {
                        try Check.number(
                            "inverse_time_decay at t = \(it)", got: try t.inverseTimeDecay(lr, it, k),
                            expected: LearningRateSchedule.inverseTime(k: k).rate(base: lr, at: it), input: String(format: "lr %.3f, k %.3f", lr, k),
                            mistakes: [("1/t decay is lr / (1 + k·t), not an exponential", lr * exp(-k * Double(it)))])
                    }
                }
            ]),
        Exercise(
            id: "a2.training_loop", assignment: 2, title: "The training loop (graded by behaviour)",
            parts: {
                func data(_ g: inout SeededGenerator, n: Int, d: Int, classes: Int) -> (Tensor<Double>, [Int]) {
                    (randomTensor([n, d], &g), (0..<n).map { _ in randomInt(0...(classes - 1), &g) })
                }
                return [
                    Part("losses", points: 1) { t, g in
                        // One loss per iteration, max(1, N / batch) iterations an epoch; the first ≈ log C at a tiny init.
                        let c = randomInt(5...10, &g), batch = randomInt(5...9, &g)
                        let (x, y) = data(&g, n: 30, d: 12, classes: c)
                        var gi = SeededGenerator(seed: g.next())
                        var p = try t.initTwoLayerNet(12, 16, c, 1e-4, &gi)
                        let losses = try t.train(&p, x, y, 3, batch, 0.1, 0, &gi)
                        let expected = 3 * max(1, 30 / batch)
                        try Check.that(losses.count == expected, "training loop: 3 epochs of 30 examples in batches of \(batch) are \(expected) iterations (max(1, N / batch) an epoch), but train returned \(losses.count) losses")
                        try Check.that(abs(losses[0] - log(Double(c))) < 0.05, "training loop (loss sanity): the first loss at a tiny initialization should be about log \(c) = \(String(format: "%.3f", log(Double(c)))), got \(String(format: "%.3f", losses[0]))")
                    },
                    Part("updates every parameter", points: 1) { t, g in
                        let (x, y) = data(&g, n: 20, d: 8, classes: 4)
                        var gi = SeededGenerator(seed: g.next())
                        let p0 = try t.initTwoLayerNet(8, 10, 4, 0.1, &gi)
                        var p = p0
                        _ = try t.train(&p, x, y, 2, 10, 0.1, 0.01, &gi)
                        for (name, before, after) in [("W1", p0.w1, p.w1), ("b1", p0.b1, p.b1), ("W2", p0.w2, p.w2), ("b2", p0.b2, p.b2)] {
                            try Check.that(before != after, "training loop: \(name) did not change in 2 epochs; apply sgd to all four parameters")
                        }
                    },
                    Part("overfits 20 examples", points: 3) { t, g in
                        let (x, y) = data(&g, n: 20, d: 10, classes: 5)
                        var gi = SeededGenerator(seed: g.next())
                        var p = try t.initTwoLayerNet(10, 50, 5, 0.1, &gi)
                        let losses = try t.train(&p, x, y, 300, 20, 0.5, 0, &gi)
                        let scores = try (try x.matmul(p.w1) + p.b1).relu().matmul(p.w2) + p.b2
                        let acc = try accuracy(scores: scores, labels: y)
                        try Check.that(acc == 1, "training loop: after 300 epochs on 20 examples the net should fit them all (got \(Int(acc * 100)) %, last loss \(String(format: "%.3g", losses.last ?? .nan))); check that every parameter is updated with fresh gradients")
                    },
                    Part("uses reg", points: 1) { t, g in
                        let (x, y) = data(&g, n: 20, d: 8, classes: 4)
                        let seed = g.next()
                        var g0 = SeededGenerator(seed: seed), g1 = SeededGenerator(seed: seed)
                        var plain = try t.initTwoLayerNet(8, 10, 4, 0.5, &g0), regularized = try t.initTwoLayerNet(8, 10, 4, 0.5, &g1)
                        _ = try t.train(&plain, x, y, 20, 10, 0.05, 0, &g0)
                        _ = try t.train(&regularized, x, y, 20, 10, 0.05, 1.0, &g1)
                        let a = sumOfSquares(plain.w1) + sumOfSquares(plain.w2), b = sumOfSquares(regularized.w1) + sumOfSquares(regularized.w2)
                        try Check.that(b < 0.5 * a, "training loop: with reg 1.0 the weights should shrink well below those trained with reg 0 (ΣW² \(String(format: "%.3g", b)) vs \(String(format: "%.3g", a))); pass reg to twoLayerNetLoss")
                    }
                ]
            }()),
        Exercise(
            id: "a2.optimizer_comparison", assignment: 2, title: "Optimizers on the ravine",
            parts: [
                Part("trajectories", points: 2) { t, g in
                    let steps = randomInt(20...40, &g)
                    for o in ravineOptimizers {
                        let expected = try engineRavine({ o.make($0, o.lr) }, steps: steps)
                        let got = try t.ravineLosses(o.name, o.lr, steps)
                        try Check.values(
                            "ravine_losses(\"\(o.name)\")", got: got, expected: expected,
                            input: "\(steps) steps at lr \(o.lr) from (−4, 1)", tolerance: 1e-8,
                            mistakes: [Mistake("record f after each step, not before it", [20.5] + expected.dropLast())])
                    }
                },
                Part("faster than SGD", points: 1) { t, _ in
                    func steps(_ name: String, _ lr: Double) throws -> Int {
                        let curve = try t.ravineLosses(name, lr, 400)
                        return (curve.firstIndex { $0 < 1e-2 } ?? 400) + 1
                    }
                    let counts = try ravineOptimizers.map { ($0.name, try steps($0.name, $0.lr)) }
                    let summary = counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                    for (name, n) in counts.dropFirst() {
                        try Check.that(n < counts[0].1, "optimizer comparison: \(name) should reach f < 1e-2 in fewer steps than SGD (steps: \(summary))")
                    }
                }
            ])
    ]
}()
