import Autograd
import Foundation
import HomeworkKit
import Kernels
import Optimizers
import NeuralNet
import Tensors

/// Runs one engine optimizer step on `w` with gradient `dw` (the reference for update rules).
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

/// Steps an update rule on the ravine f = ½(x² + 50y²) from (−4, 1) until f < target.
func stepsToTarget(_ step: (inout Tensor<Double>, Tensor<Double>, Int) throws -> Void, target: Double = 1e-2, limit: Int = 2000) throws -> Int {
    var w = Tensor<Double>([-4, 1])
    for k in 1...limit {
        let (x, y) = (w.scalars[0], w.scalars[1])
        try step(&w, Tensor([x, 50 * y]), k)
        let f = 0.5 * (w.scalars[0] * w.scalars[0] + 50 * w.scalars[1] * w.scalars[1])
        if !f.isFinite { return limit + 1 }
        if f < target { return k }
    }
    return limit + 1
}

let trainingExercises: [Exercise] = {
    func rule(_ id: String, _ title: String, points: Int,
              _ run: @escaping (ExerciseTable, Tensor<Double>, [Tensor<Double>]) throws -> [Tensor<Double>],
              _ reference: @escaping ([Parameter<Double>]) -> Optimizer<Double>) -> Exercise {
        Exercise(id: id, assignment: 2, title: title, points: points, checks: [{ t, g in
            let w = randomTensor([randomInt(2...5, &g), randomInt(2...5, &g)], &g)
            let grads = (0..<3).map { _ in randomTensor(w.shape, &g) }
            let got = try run(t, w, grads), expected = try engineStep(reference, w: w, grads: grads)
            for k in 0..<3 {
                try Check.tensor("\(id) after step \(k + 1)", got: got[k], expected: expected[k], input: "w \(w.shape) and three random gradients",
                                 tolerance: 1e-9, scaleHints: [(-1, "the update goes against the gradient")])
            }
        }])
    }
    return [
        Exercise(id: "a2.sample_batch", assignment: 2, title: "Sample a mini-batch", points: 2, checks: [{ t, g in
            let n = randomInt(50...200, &g), b = randomInt(5...20, &g)
            var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3)
            let a = try t.sampleBatch(n, b, &g1), a2 = try t.sampleBatch(n, b, &g2)
            try Check.that(a.count == b, "sample_batch: asked for \(b) indices, got \(a.count)")
            try Check.that(Set(a).count == b, "sample_batch: indices must be distinct (sample without replacement)")
            try Check.that(a.allSatisfy { $0 >= 0 && $0 < n }, "sample_batch: indices must lie in 0..<\(n)")
            try Check.that(a == a2, "sample_batch: draw from the generator you are given, so the same seed gives the same batch")
            var seen = Set<Int>()
            for _ in 0..<50 { seen.formUnion(try t.sampleBatch(n, b, &g1)) }
            try Check.that(seen.count > n / 2, "sample_batch: 50 batches touched only \(seen.count) of \(n) examples; batches should be random")
        }]),
        rule("a2.sgd", "SGD update", points: 1, { t, w, grads in
            var w = w
            return try grads.map { try t.sgd(&w, $0, 0.1); return w }
        }, { SGD(parameters: $0, learningRate: 0.1) }),
        rule("a2.sgd_momentum", "SGD with momentum", points: 2, { t, w, grads in
            var w = w, v = w.map { _ in 0 }
            return try grads.map { try t.sgdMomentum(&w, $0, &v, 0.1, 0.9); return w }
        }, { Momentum(parameters: $0, learningRate: 0.1, momentum: 0.9) }),
        rule("a2.rmsprop", "RMSprop", points: 2, { t, w, grads in
            var w = w, c = w.map { _ in 0 }
            return try grads.map { try t.rmsprop(&w, $0, &c, 0.01, 0.99, 1e-8); return w }
        }, { RMSprop(parameters: $0, learningRate: 0.01, decayRate: 0.99, epsilon: 1e-8) }),
        rule("a2.adam", "Adam", points: 3, { t, w, grads in
            var w = w, m = w.map { _ in 0 }, v = w.map { _ in 0 }
            var k = 0
            return try grads.map { k += 1; try t.adam(&w, $0, &m, &v, k, 0.01, 0.9, 0.999, 1e-8); return w }
        }, { Adam(parameters: $0, learningRate: 0.01) }),
        Exercise(id: "a2.schedules", assignment: 2, title: "Step and 1/t learning-rate schedules", points: 2, checks: [{ t, g in
            let lr = 0.01 + g.nextUniform(), every = randomInt(3...20, &g)
            for it in [0, every - 1, every, 3 * every + 1] {
                try Check.number("step_decay at t = \(it)", got: try t.stepDecay(lr, it, every, 0.5),
                                 expected: LearningRateSchedule.step(every: every, factor: 0.5).rate(base: lr, at: it), input: "lr \(lr), every \(every)")
            }
            for it in [0, 7, 100] {
                try Check.number("inverse_time_decay at t = \(it)", got: try t.inverseTimeDecay(lr, it, 0.1),
                                 expected: LearningRateSchedule.inverseTime(k: 0.1).rate(base: lr, at: it), input: "lr \(lr), k 0.1")
            }
        }]),
        Exercise(id: "a2.training_loop", assignment: 2, title: "The training loop (graded by behaviour)", points: 6, checks: [
            { t, g in
                // Loss sanity: ≈ log C at initialization, higher with regularization.
                let c = randomInt(5...10, &g)
                let x = randomTensor([30, 40], &g)
                let y = (0..<30).map { _ in randomInt(0...(c - 1), &g) }
                var gi = SeededGenerator(seed: 1)
                let p = try t.initTwoLayerNet(40, 30, c, 1e-4, &gi)
                let l0 = try t.twoLayerNetLoss(p, x, y, 0).loss
                try Check.that(abs(l0 - log(Double(c))) < 0.02, "loss sanity: at initialization the loss is \(l0) but should be about log \(c) = \(log(Double(c)))")
                let l1 = try t.twoLayerNetLoss(p, x, y, 1e4).loss
                try Check.that(l1 > l0, "loss sanity: adding regularization must raise the loss (\(l0) → \(l1))")
            },
            { t, g in
                // Overfit 20 examples: 100 % training accuracy.
                let x = randomTensor([20, 10], &g)
                let y = (0..<20).map { _ in randomInt(0...4, &g) }
                var gi = SeededGenerator(seed: 2)
                var p = try t.initTwoLayerNet(10, 50, 5, 0.1, &gi)
                let losses = try t.train(&p, x, y, 300, 20, 0.5, 0, &gi)
                let scores = try (try x.matmul(p.w1) + p.b1).relu().matmul(p.w2) + p.b2
                let acc = try accuracy(scores: scores, labels: y)
                try Check.that(losses.count >= 300, "training loop: 300 epochs of 20 examples with batch 20 should give 300 iterations, got \(losses.count)")
                try Check.that(acc == 1, "training loop: after 300 epochs on 20 examples the net should fit them all (got \(Int(acc * 100)) %); check that every parameter is updated and gradients are not stale")
            },
        ]),
        Exercise(id: "a2.optimizer_comparison", assignment: 2, title: "Optimizers on the ravine (graded by behaviour)", points: 3, checks: [{ t, _ in
            let sgdSteps = try stepsToTarget { w, dw, _ in try t.sgd(&w, dw, 0.03) }
            var v = Tensor<Double>([0, 0])
            let momentumSteps = try stepsToTarget { w, dw, _ in try t.sgdMomentum(&w, dw, &v, 0.01, 0.9) }
            var cache = Tensor<Double>([0, 0])
            let rmsSteps = try stepsToTarget { w, dw, _ in try t.rmsprop(&w, dw, &cache, 0.1, 0.9, 1e-8) }
            var m = Tensor<Double>([0, 0]), vv = Tensor<Double>([0, 0])
            let adamSteps = try stepsToTarget { w, dw, k in try t.adam(&w, dw, &m, &vv, k, 0.1, 0.9, 0.999, 1e-8) }
            let summary = "steps to f < 1e-2: sgd \(sgdSteps), momentum \(momentumSteps), rmsprop \(rmsSteps), adam \(adamSteps)"
            try Check.that(momentumSteps < sgdSteps, "optimizer comparison: momentum should need fewer steps than SGD (\(summary))")
            try Check.that(rmsSteps < sgdSteps, "optimizer comparison: RMSprop should need fewer steps than SGD (\(summary))")
            try Check.that(adamSteps < sgdSteps, "optimizer comparison: Adam should need fewer steps than SGD (\(summary))")
        }]),
    ]
}()
