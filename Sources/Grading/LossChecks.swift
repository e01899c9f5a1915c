import Autograd
import Foundation
import HomeworkKit
import Kernels
import Tensors

/// Reference loss and gradient from the autograd engine, an implementation independent of
/// the exercise code.
func referenceLoss(_ scores: Tensor<Double>, _ labels: [Int], svm: Bool) throws -> (Double, Tensor<Double>) {
    let s = Variable(scores, requiresGrad: true)
    let l = svm ? try s.multiclassHinge(labels: labels) : try s.softmaxCrossEntropy(labels: labels)
    try l.backward()
    return (l.value.scalars[0], s.grad!)
}

func randomScores(_ g: inout SeededGenerator, scale: Double = 2) -> (Tensor<Double>, [Int], String) {
    let n = randomInt(3...9, &g), c = randomInt(3...7, &g)
    let s = randomTensor([n, c], &g, scale: scale)
    let y = (0..<n).map { _ in randomInt(0...(c - 1), &g) }
    return (s, y, "scores of shape [\(n), \(c)]")
}

let lossExercises: [Exercise] = {
    func lossChecks(_ pick: @escaping (ExerciseTable) -> (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>),
                    svm: Bool, name: String) -> [(ExerciseTable, inout SeededGenerator) throws -> Void] {
        [
            { t, g in
                let (s, y, input) = randomScores(&g)
                let (refLoss, _) = try referenceLoss(s, y, svm: svm)
                let got = try pick(t)(s, y)
                try Check.number("\(name) loss", got: got.loss, expected: refLoss, input: input,
                                 scaleHints: [(Double(s.shape[0]), "did you divide the summed loss by N (the batch size)?"),
                                              (-1, "check the sign: the loss is −log of the probability")])
            },
            { t, g in
                let (s, y, input) = randomScores(&g)
                let (_, refGrad) = try referenceLoss(s, y, svm: svm)
                let got = try pick(t)(s, y)
                try Check.tensor("\(name) gradient", got: got.dScores, expected: refGrad, input: input,
                                 scaleHints: [(Double(s.shape[0]), "off by the batch size: did you average the gradient as well as the loss?"),
                                              (-1, "the gradient has the wrong sign")])
            },
            { t, g in
                // Huge scores overflow exp unless each row's maximum is subtracted first. Row 0's
                // label is its lowest score, so the loss cannot be exactly 0 (which would hide a
                // wrong scale factor).
                let (s, labels, _) = randomScores(&g, scale: 400)
                var y = labels
                let c = s.shape[1]
                y[0] = (0..<c).min { s.scalars[$0] < s.scalars[$1] }!
                let (refLoss, refGrad) = try referenceLoss(s, y, svm: svm)
                let got = try pick(t)(s, y)
                try Check.number("\(name) loss", got: got.loss, expected: refLoss, input: "scores as large as ±1000", tolerance: 1e-5)
                try Check.tensor("\(name) gradient", got: got.dScores, expected: refGrad, input: "scores as large as ±1000", tolerance: 1e-5)
            },
        ]
    }
    func regularization(_ l1: Bool) -> [(ExerciseTable, inout SeededGenerator) throws -> Void] {
        [{ t, g in
            let w = randomTensor([randomInt(2...6, &g), randomInt(2...6, &g)], &g)
            let reg = 0.1 + g.nextUniform()
            let got = l1 ? try t.l1Regularization(w, reg) : try t.l2Regularization(w, reg)
            let loss = l1 ? reg * w.scalars.reduce(0) { $0 + abs($1) } : reg * w.scalars.reduce(0) { $0 + $1 * $1 }
            let grad = w.scalars.map { l1 ? ($0 > 0 ? reg : $0 < 0 ? -reg : 0) : 2 * reg * $0 }
            try Check.number(l1 ? "L1 penalty" : "L2 penalty", got: got.loss, expected: loss, input: "W of shape \(w.shape), reg \(reg)",
                             scaleHints: [(0.5, "this exercise uses R = reg·ΣW² (no ½)")])
            try Check.values(l1 ? "L1 gradient" : "L2 gradient", got: got.dWeights.scalars, expected: grad, input: "W of shape \(w.shape)",
                             scaleHints: l1 ? [] : [(0.5, "∂(reg·ΣW²)/∂W = 2·reg·W: did you forget the 2?")])
        }]
    }
    return [
        Exercise(id: "a1.softmax_loss_naive", assignment: 1, title: "Softmax loss and gradient with loops", points: 4,
                 checks: lossChecks({ $0.softmaxLossNaive }, svm: false, name: "softmax_loss_naive")),
        Exercise(id: "a1.softmax_loss_vectorized", assignment: 1, title: "Softmax loss, vectorized", points: 4,
                 checks: lossChecks({ $0.softmaxLossVectorized }, svm: false, name: "softmax_loss_vectorized")),
        Exercise(id: "a1.svm_loss", assignment: 1, title: "Multiclass SVM loss and gradient", points: 4,
                 checks: lossChecks({ $0.svmLoss }, svm: true, name: "svm_loss")),
        Exercise(id: "a1.l2_regularization", assignment: 1, title: "L2 penalty and gradient", points: 2, checks: regularization(false)),
        Exercise(id: "a1.l1_regularization", assignment: 1, title: "L1 penalty and gradient", points: 2, checks: regularization(true)),
        Exercise(id: "a1.numerical_gradient", assignment: 1, title: "Numerical gradient", points: 3, checks: [{ t, g in
            let x = randomTensor([randomInt(2...5, &g), randomInt(2...5, &g)], &g)
            // f(x) = Σ x³ + Σ x has gradient 3x² + 1.
            let got = try t.numericalGradient(x, 1e-5) { v in v.scalars.reduce(0) { $0 + $1 * $1 * $1 + $1 } }
            try Check.tensor("numerical_gradient", got: got, expected: x.map { 3 * $0 * $0 + 1 }, input: "f(x) = Σx³ + Σx at x of shape \(x.shape)",
                             tolerance: 1e-6, scaleHints: [(2, "a central difference divides by 2h, not h")])
        }]),
        Exercise(id: "a1.relative_error", assignment: 1, title: "Relative error", points: 1, checks: [{ t, g in
            let a = randomTensor([6], &g), b = a.map { $0 * (1 + 1e-3) }
            let expected = zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1e-8, abs($0) + abs($1)) }.max()!
            try Check.number("relative_error", got: try t.relativeError(a, b), expected: expected, input: "two vectors differing by 0.1 %")
            try Check.number("relative_error", got: try t.relativeError(Tensor([0, 0]), Tensor([0, 0])), expected: 0, input: "two zero vectors (avoid 0/0)")
        }]),
        Exercise(id: "a1.affine", assignment: 1, title: "Affine layer forward and backward", points: 4, checks: [
            { t, g in
                let (n, d, m) = (randomInt(2...6, &g), randomInt(2...6, &g), randomInt(2...6, &g))
                let x = randomTensor([n, d], &g), w = randomTensor([d, m], &g), b = randomTensor([m], &g)
                try Check.tensor("affine_forward", got: try t.affineForward(x, w, b), expected: try x.matmul(w) + b, input: "x \(x.shape), w \(w.shape)")
            },
            { t, g in
                let (n, d, m) = (randomInt(2...6, &g), randomInt(2...6, &g), randomInt(2...6, &g))
                let x = randomTensor([n, d], &g), w = randomTensor([d, m], &g), b = randomTensor([m], &g), dOut = randomTensor([n, m], &g)
                let xv = Variable(x, requiresGrad: true), wv = Variable(w, requiresGrad: true), bv = Variable(b, requiresGrad: true)
                try (try xv.matmul(wv) + bv).backward(dOut)
                let got = try t.affineBackward(dOut, x, w)
                let input = "x \(x.shape), w \(w.shape)"
                try Check.tensor("affine_backward dx", got: got.dx, expected: xv.grad!, input: input)
                try Check.tensor("affine_backward dw", got: got.dw, expected: wv.grad!, input: input)
                try Check.tensor("affine_backward db", got: got.db, expected: bv.grad!, input: input,
                                 scaleHints: [(1 / Double(n), "db sums dOut over the batch; it is not the mean")])
            },
        ]),
        Exercise(id: "a1.relu", assignment: 1, title: "ReLU forward and backward", points: 2, checks: [{ t, g in
            let x = randomTensor([randomInt(2...5, &g), randomInt(2...5, &g)], &g), dOut = randomTensor(x.shape, &g)
            try Check.tensor("relu_forward", got: try t.reluForward(x), expected: x.relu(), input: describe(x, "x"))
            let expected = try Tensor(shape: x.shape, scalars: zip(dOut.scalars, x.scalars).map { $1 > 0 ? $0 : 0 })
            let got = try t.reluBackward(dOut, x)
            let wrong = try Tensor(shape: x.shape, scalars: dOut.scalars.map { $0 > 0 ? $0 : 0 })
            if got == wrong && got != expected { throw GradingFailure("relu_backward: the gate must test the forward input x > 0, not the upstream gradient") }
            try Check.tensor("relu_backward", got: got, expected: expected, input: describe(x, "x"))
        }]),
        Exercise(id: "a1.init_two_layer_net", assignment: 1, title: "Initialize the two-layer net", points: 2, checks: [{ t, g in
            let (d, h, c) = (randomInt(100...300, &g), randomInt(20...60, &g), randomInt(3...10, &g))
            let std = 1e-3 * (1 + g.nextUniform())
            var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
            let p = try t.initTwoLayerNet(d, h, c, std, &g1), q = try t.initTwoLayerNet(d, h, c, std, &g2)
            try Check.that(p.w1.shape == [d, h] && p.b1.shape == [h] && p.w2.shape == [h, c] && p.b2.shape == [c],
                           "init_two_layer_net: expected shapes W1 [\(d), \(h)], b1 [\(h)], W2 [\(h), \(c)], b2 [\(c)]; got \(p.w1.shape), \(p.b1.shape), \(p.w2.shape), \(p.b2.shape)")
            try Check.that(p.b1.scalars.allSatisfy { $0 == 0 } && p.b2.scalars.allSatisfy { $0 == 0 }, "init_two_layer_net: biases must start at zero")
            try Check.that(p.w1 == q.w1, "init_two_layer_net: draw the weights from the generator you are given, so the same seed gives the same net")
            let s = (p.w1.scalars.reduce(0) { $0 + $1 * $1 } / Double(p.w1.count)).squareRoot()
            try Check.that(abs(s / std - 1) < 0.1, "init_two_layer_net: W1's standard deviation is \(s), expected about \(std) (multiply N(0, 1) draws by std)")
        }]),
        Exercise(id: "a1.two_layer_net_loss", assignment: 1, title: "Two-layer net loss and gradients", points: 6, checks: [
            { t, g in
                let (n, d, h, c) = (randomInt(3...8, &g), randomInt(3...8, &g), randomInt(4...10, &g), randomInt(3...6, &g))
                let x = randomTensor([n, d], &g)
                let y = (0..<n).map { _ in randomInt(0...(c - 1), &g) }
                let p = TwoLayerParameters(w1: randomTensor([d, h], &g, scale: 0.5), b1: randomTensor([h], &g, scale: 0.1),
                                           w2: randomTensor([h, c], &g, scale: 0.5), b2: randomTensor([c], &g, scale: 0.1))
                let reg = 0.05 + 0.1 * g.nextUniform()
                let v = [p.w1, p.b1, p.w2, p.b2].map { Variable($0, requiresGrad: true) }
                let scores = try (try Variable(x).matmul(v[0]) + v[1]).relu().matmul(v[2]) + v[3]
                let loss = try scores.softmaxCrossEntropy(labels: y) + ((v[0] * v[0]).sum() + (v[2] * v[2]).sum()) * reg
                try loss.backward()
                let got = try t.twoLayerNetLoss(p, x, y, reg)
                let input = "x \(x.shape), hidden \(h), \(c) classes, reg \(String(format: "%.3f", reg))"
                try Check.number("two_layer_net loss", got: got.loss, expected: loss.value.scalars[0], input: input)
                for (name, gotGrad, ref) in [("W1", got.grads.w1, v[0]), ("b1", got.grads.b1, v[1]), ("W2", got.grads.w2, v[2]), ("b2", got.grads.b2, v[3])] {
                    try Check.tensor("two_layer_net gradient of \(name)", got: gotGrad, expected: ref.grad!, input: input, tolerance: 1e-6)
                }
            },
        ]),
    ]
}()
