import Autograd
import Foundation
import HomeworkKit
import Random
import Tensors

/// Reference loss and gradient from the autograd engine, an implementation independent of
/// the exercise code.
func referenceLoss(_ scores: Tensor<Double>, _ labels: [Int], svm: Bool) throws -> (Double, Tensor<Double>) {
    let s = Variable(scores, requiresGrad: true)
    let l = svm ? try s.multiclassHinge(labels: labels) : try s.softmaxCrossEntropy(labels: labels)
    try l.backward()
    return (l.value.scalars[0], s.grad!)
}

/// Scores `[N, C]` with N ≠ C and N ≥ 3 (a square batch would hide a transposed gradient, a
/// batch of one a missing 1/N), and their labels.
func randomScores(_ g: inout SeededGenerator, scale: Double = 2) -> (Tensor<Double>, [Int], String) {
    let c = randomInt(3...7, &g)
    var n = randomInt(3...9, &g)
    if n == c { n += 1 }
    let s = randomTensor([n, c], &g, scale: scale)
    let y = (0..<n).map { _ in randomInt(0...(c - 1), &g) }
    return (s, y, "scores of shape [\(n), \(c)]")
}

/// Softmax probabilities / N without the −1 at the label: the gradient with that step forgotten.
func softmaxWithoutLabelTerm(_ s: Tensor<Double>) -> [Double] {
    let n = s.shape[0], c = s.shape[1]
    var out = [Double](repeating: 0, count: n * c)
    for i in 0..<n {
        let row = s.scalars[(i * c)..<((i + 1) * c)], m = row.max()!
        let sum = row.reduce(0) { $0 + exp($1 - m) }
        for j in 0..<c { out[i * c + j] = exp(s.scalars[i * c + j] - m) / sum / Double(n) }
    }
    return out
}

let lossExercises: [Exercise] = {
    typealias LossFunction = (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    func lossParts(_ pick: @escaping (ExerciseTable) -> LossFunction, svm: Bool, name: String) -> [Part] {
        let lossHints: [(Double, String)] = [(-1, "check the sign: the loss is −log of the probability")]
        let gradHints: [(Double, String)] = [(-1, "the gradient has the wrong sign")]
        var parts = [
            Part("loss", points: 2) { t, g in
                for _ in 0..<3 {
                    let (s, y, input) = randomScores(&g)
                    let (refLoss, _) = try referenceLoss(s, y, svm: svm)
                    let n = Double(s.shape[0])
                    try Check.number(
                        "\(name) loss", got: try pick(t)(s, y).loss, expected: refLoss, input: input,
                        scaleHints: [(n, "did you divide the summed loss by N (the batch size)?")] + lossHints,
                        mistakes: svm ? [("the correct class must not add its own margin of 1 (skip j = yᵢ)", refLoss + 1)] : [])
                }
            },
            Part("gradient", points: svm ? 2 : 1) { t, g in
                for _ in 0..<3 {
                    let (s, y, input) = randomScores(&g)
                    let (_, refGrad) = try referenceLoss(s, y, svm: svm)
                    let n = Double(s.shape[0])
                    try Check.tensor(
                        "\(name) gradient", got: try pick(t)(s, y).dScores, expected: refGrad, input: input,
                        scaleHints: [(n, "off by the batch size: did you average the gradient as well as the loss?")] + gradHints,
                        mistakes: svm ? [] : [Mistake("subtract 1 at each row's label: ∂L/∂s = (p − onehot(y)) / N", softmaxWithoutLabelTerm(s))])
                }
            }
        ]
        if !svm {
            parts.append(
                Part("large scores", points: 1) { t, g in
                    // Huge scores overflow exp unless each row's maximum is subtracted first. Row 0's
                    // label is its lowest score, so the loss cannot be exactly 0 (which would hide a
                    // wrong scale factor).
                    var (s, labels, _) = randomScores(&g, scale: 400)
                    var y = labels
                    let c = s.shape[1]
                    y[0] = (0..<c).min { s.scalars[$0] < s.scalars[$1] }!
                    // One score of 1000 (e^1000 overflows a Double), away from row 0's label, so
                    // exp without the row-maximum shift always fails here.
                    s.scalars[(y[0] + 1) % c] = 1000
                    let (refLoss, refGrad) = try referenceLoss(s, y, svm: svm)
                    let got = try pick(t)(s, y)
                    let input = "scores of shape \(s.shape) as large as ±1000"
                    try Check.number("\(name) loss", got: got.loss, expected: refLoss, input: input, tolerance: 1e-5)
                    try Check.tensor("\(name) gradient", got: got.dScores, expected: refGrad, input: input, tolerance: 1e-5)
                })
        }
        return parts
    }
    func regularization(_ l1: Bool) -> [Part] {
        func weights(_ g: inout SeededGenerator) -> (Tensor<Double>, Double, String) {
            var w = randomTensor([randomInt(2...6, &g), randomInt(2...6, &g)], &g)
            // Exact zeros, where L1's gradient is 0 by this exercise's convention.
            w.scalars[0] = 0
            w.scalars[w.count - 1] = 0
            let reg = 0.1 + g.nextUniform()
            return (w, reg, "W of shape \(w.shape) (with some exact zeros), reg \(String(format: "%.3f", reg))")
        }
        let name = l1 ? "L1" : "L2"
        return [
            Part("penalty", points: 1) { t, g in
                let (w, reg, input) = weights(&g)
                let got = l1 ? try t.l1Regularization(w, reg) : try t.l2Regularization(w, reg)
                let sumSquares = w.scalars.reduce(0) { $0 + $1 * $1 }, sumAbs = w.scalars.reduce(0) { $0 + abs($1) }
                // L1 is reg·Σ|W|; L2 is ½·reg·ΣW².
                let expected = l1 ? reg * sumAbs : 0.5 * reg * sumSquares
                try Check.number(
                    "\(name) penalty", got: got.loss, expected: expected, input: input,
                    scaleHints: l1 ? [] : [(2, "this course's L2 penalty is R = ½·reg·ΣW²: the ½ is missing")],
                    mistakes: [
                        ("the penalty is multiplied by reg", expected / reg),
                        (l1 ? "L1 sums |W|, not W²" : "L2 sums W², not |W|", l1 ? reg * sumSquares : 0.5 * reg * sumAbs),
                        ("the penalty is a sum over all weights, not a mean", expected / Double(w.count))
                    ])
            },
            Part("gradient", points: 1) { t, g in
                let (w, reg, input) = weights(&g)
                let got = l1 ? try t.l1Regularization(w, reg) : try t.l2Regularization(w, reg)
                let grad = w.scalars.map { l1 ? ($0 > 0 ? reg : $0 < 0 ? -reg : 0) : reg * $0 }
                try Check.values(
                    "\(name) gradient", got: got.dWeights.scalars, expected: grad, input: input,
                    scaleHints: l1 ? [(-1, "the gradient of reg·|w| is +reg where w > 0")] : [(2, "∂(½·reg·ΣW²)/∂W = reg·W: the ½ cancels the 2")],
                    mistakes: l1 ? [Mistake("sign(0) is 0 here: a weight at exactly 0 gets no L1 gradient", w.scalars.map { $0 >= 0 ? reg : -reg })] : [],
                    shape: w.shape)
            }
        ]
    }
    return [
        Exercise(
            id: "a1.softmax_loss_naive", assignment: 1, title: "Softmax loss and gradient with loops",
            parts: lossParts({ $0.softmaxLossNaive }, svm: false, name: "softmax_loss_naive")),
        Exercise(
            id: "a1.softmax_loss_vectorized", assignment: 1, title: "Softmax loss, vectorized",
            parts: lossParts({ $0.softmaxLossVectorized }, svm: false, name: "softmax_loss_vectorized")),
        Exercise(
            id: "a1.svm_loss", assignment: 1, title: "Multiclass SVM loss and gradient",
            parts: lossParts({ $0.svmLoss }, svm: true, name: "svm_loss")),
        Exercise(id: "a1.l2_regularization", assignment: 1, title: "L2 penalty and gradient", parts: regularization(false)),
        Exercise(id: "a1.l1_regularization", assignment: 1, title: "L1 penalty and gradient", parts: regularization(true)),
        Exercise(
            id: "a1.numerical_gradient", assignment: 1, title: "Numerical gradient",
            parts: [
                Part("centered differences", points: 3) { t, g in
                    for _ in 0..<2 {
                        let x = randomTensor([randomInt(2...5, &g), randomInt(2...5, &g)], &g)
                        // f(x) = Σx³ + ½(Σx)² has gradient 3x² + Σx; the coupling term catches an x
                        // left perturbed after one coordinate's differences.
                        let f: (Tensor<Double>) -> Double = { v in
                            let s = v.scalars.reduce(0, +)
                            return v.scalars.reduce(0) { $0 + $1 * $1 * $1 } + 0.5 * s * s
                        }
                        let total = x.scalars.reduce(0, +)
                        let original = x
                        let got = try t.numericalGradient(x, 1e-5, f)
                        try Check.tensor(
                            "numerical_gradient", got: got, expected: x.map { 3 * $0 * $0 + total },
                            input: "f(x) = Σx³ + ½(Σx)² at x of shape \(x.shape), h = 1e-5", tolerance: 1e-6,
                            scaleHints: [(2, "a central difference divides by 2h, not h"), (0.5, "(f(x + h) − f(x − h)) is divided by 2h, not 4h")])
                        try Check.that(x == original, "numerical_gradient: x must be left as it was given")
                    }
                }
            ]),
        Exercise(
            id: "a1.relative_error", assignment: 1, title: "Relative error",
            parts: [
                Part("largest error", points: 0.5) { t, g in
                    let a = randomTensor([7], &g)
                    var b = a.map { $0 * (1 + 1e-3) }
                    b.scalars[randomInt(0...6, &g)] *= 1.5
                    let errors = zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1e-8, abs($0) + abs($1)) }
                    try Check.number(
                        "relative_error", got: try t.relativeError(a, b), expected: errors.max()!,
                        input: "two vectors differing by 0.1 %, one element by 50 %",
                        scaleHints: [(2, "the denominator is |a| + |b|, not max(|a|, |b|)")],
                        mistakes: [("report the largest elementwise error, not the mean", errors.reduce(0, +) / Double(errors.count))])
                },
                Part("zeros", points: 0.5) { t, _ in
                    try Check.number(
                        "relative_error", got: try t.relativeError(Tensor([0, 0, 1]), Tensor([0, 0, 1])), expected: 0,
                        input: "two equal vectors with zeros (0/0 needs the max(1e-8, …) guard)")
                }
            ]),
        Exercise(
            id: "a1.affine", assignment: 1, title: "Affine layer forward and backward",
            parts: {
                func sample(_ g: inout SeededGenerator) -> (x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, dOut: Tensor<Double>, input: String) {
                    let dims = distinctInts(3, in: 2...7, &g)
                    let (n, d, m) = (dims[0], dims[1], dims[2])
                    return (randomTensor([n, d], &g), randomTensor([d, m], &g), randomTensor([m], &g), randomTensor([n, m], &g), "x [\(n), \(d)], w [\(d), \(m)]")
                }
                func backward(_ c: (x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, dOut: Tensor<Double>, input: String)) throws -> [Tensor<Double>] {
                    let xv = Variable(c.x, requiresGrad: true), wv = Variable(c.w, requiresGrad: true), bv = Variable(c.b, requiresGrad: true)
                    try (try xv.matmul(wv) + bv).backward(c.dOut)
                    return [xv.grad!, wv.grad!, bv.grad!]
                }
                return [
                    Part("forward", points: 1) { t, g in
                        let c = sample(&g)
                        try Check.tensor(
                            "affine_forward", got: try t.affineForward(c.x, c.w, c.b), expected: try c.x.matmul(c.w) + c.b, input: c.input,
                            mistakes: [Mistake("add the bias b to every row", try c.x.matmul(c.w))])
                    },
                    Part("dx", points: 1) { t, g in
                        let c = sample(&g)
                        try Check.tensor("affine_backward dx", got: try t.affineBackward(c.dOut, c.x, c.w).dx, expected: try backward(c)[0], input: c.input)
                    },
                    Part("dw", points: 1) { t, g in
                        let c = sample(&g)
                        try Check.tensor("affine_backward dw", got: try t.affineBackward(c.dOut, c.x, c.w).dw, expected: try backward(c)[1], input: c.input)
                    },
                    Part("db", points: 1) { t, g in
                        let c = sample(&g)
                        try Check.tensor(
                            "affine_backward db", got: try t.affineBackward(c.dOut, c.x, c.w).db, expected: try backward(c)[2], input: c.input,
                            scaleHints: [(1 / Double(c.x.shape[0]), "db sums dOut over the batch; it is not the mean")])
                    }
                ]
            }()),
        Exercise(
            id: "a1.relu", assignment: 1, title: "ReLU forward and backward",
            parts: [
                Part("forward", points: 1) { t, g in
                    let x = awayFromZero(randomTensor([randomInt(2...5, &g), randomInt(6...9, &g)], &g))
                    try Check.tensor(
                        "relu_forward", got: try t.reluForward(x), expected: x.relu(), input: describe(x, "x") + " with positive and negative values",
                        mistakes: [Mistake("ReLU is max(0, x): negative inputs become 0, not |x|", x.map { abs($0) })])
                },
                Part("backward", points: 1) { t, g in
                    let x = awayFromZero(randomTensor([randomInt(2...5, &g), randomInt(6...9, &g)], &g)), dOut = randomTensor(x.shape, &g)
                    let expected = try Tensor(shape: x.shape, scalars: zip(dOut.scalars, x.scalars).map { $1 > 0 ? $0 : 0 })
                    try Check.tensor(
                        "relu_backward", got: try t.reluBackward(dOut, x), expected: expected, input: describe(x, "x") + " and a random dOut",
                        mistakes: [
                            Mistake("the gate tests the forward input x > 0, not the upstream gradient", dOut.map { $0 > 0 ? $0 : 0 }),
                            Mistake("the gradient is blocked where x ≤ 0", dOut)
                        ])
                }
            ]),
        Exercise(
            id: "a1.init_two_layer_net", assignment: 1, title: "Initialize the two-layer net",
            parts: {
                func sizes(_ g: inout SeededGenerator) -> (Int, Int, Int, Double) {
                    (randomInt(100...300, &g), randomInt(20...60, &g), randomInt(3...10, &g), 1e-3 * (1 + g.nextUniform()))
                }
                return [
                    Part("shapes and zero biases", points: 1) { t, g in
                        let (d, h, c, std) = sizes(&g)
                        var g1 = SeededGenerator(seed: 5)
                        let p = try t.initTwoLayerNet(d, h, c, std, &g1)
                        try Check.that(
                            p.w1.shape == [d, h] && p.b1.shape == [h] && p.w2.shape == [h, c] && p.b2.shape == [c],
                            "init_two_layer_net: expected shapes W1 [\(d), \(h)], b1 [\(h)], W2 [\(h), \(c)], b2 [\(c)]; got \(p.w1.shape), \(p.b1.shape), \(p.w2.shape), \(p.b2.shape)")
                        try Check.that(p.b1.scalars.allSatisfy { $0 == 0 } && p.b2.scalars.allSatisfy { $0 == 0 }, "init_two_layer_net: biases must start at zero")
                    },
                    Part("weights from the generator", points: 1) { t, g in
                        let (d, h, c, std) = sizes(&g)
                        let seed = g.next()
                        var g1 = SeededGenerator(seed: seed), reference = SeededGenerator(seed: seed)
                        let p = try t.initTwoLayerNet(d, h, c, std, &g1)
                        let w1 = (0..<(d * h)).map { _ in std * reference.nextNormal() }, w2 = (0..<(h * c)).map { _ in std * reference.nextNormal() }
                        let input = "inputs \(d), hidden \(h), classes \(c), std \(String(format: "%.2e", std))"
                        let s = (p.w1.scalars.reduce(0) { $0 + $1 * $1 } / Double(max(1, p.w1.count))).squareRoot()
                        try Check.that(abs(s / std - 1) < 0.1, "init_two_layer_net: on \(input), W1's standard deviation is \(String(format: "%.3g", s)), expected about \(String(format: "%.3g", std)) (multiply N(0, 1) draws by std)")
                        try Check.values("init_two_layer_net W1", got: p.w1.scalars, expected: w1, input: input + " (draw W1 first, row by row, with generator.nextNormal())", tolerance: 1e-12, shape: p.w1.shape)
                        try Check.values("init_two_layer_net W2", got: p.w2.scalars, expected: w2, input: input + " (then W2)", tolerance: 1e-12, shape: p.w2.shape)
                    }
                ]
            }()),
        Exercise(
            id: "a1.two_layer_net_loss", assignment: 1, title: "Two-layer net loss and gradients",
            parts: {
                /// A random net, batch and reg, with the engine's loss and gradients.
                func sample(_ g: inout SeededGenerator) throws -> (p: TwoLayerParameters, x: Tensor<Double>, y: [Int], reg: Double, loss: Double, grads: [Tensor<Double>], input: String) {
                    let dims = distinctInts(4, in: 3...9, &g)
                    let (n, d, h, c) = (dims[0], dims[1], dims[2], dims[3])
                    let x = randomTensor([n, d], &g)
                    let y = (0..<n).map { _ in randomInt(0...(c - 1), &g) }
                    let p = TwoLayerParameters(
                        w1: randomTensor([d, h], &g, scale: 0.5), b1: randomTensor([h], &g, scale: 0.1),
                        w2: randomTensor([h, c], &g, scale: 0.5), b2: randomTensor([c], &g, scale: 0.1))
                    let reg = 0.05 + 0.1 * g.nextUniform()
                    let v = [p.w1, p.b1, p.w2, p.b2].map { Variable($0, requiresGrad: true) }
                    let scores = try (try Variable(x).matmul(v[0]) + v[1]).relu().matmul(v[2]) + v[3]
                    let loss = try scores.softmaxCrossEntropy(labels: y) + ((v[0] * v[0]).sum() + (v[2] * v[2]).sum()) * (0.5 * reg)
                    try loss.backward()
                    return (
                        p, x, y, reg, loss.value.scalars[0], v.map { $0.grad! },
                        "x [\(n), \(d)], hidden \(h), \(c) classes, reg \(String(format: "%.3f", reg))"
                    )
                }
                func gradientPart(_ index: Int, _ name: String) -> Part {
                    Part("d\(name)", points: 1) { t, g in
                        let s = try sample(&g)
                        let got = try t.twoLayerNetLoss(s.p, s.x, s.y, s.reg).grads
                        let value = [got.w1, got.b1, got.w2, got.b2][index]
                        let weight = [s.p.w1, s.p.b1, s.p.w2, s.p.b2][index]
                        let regTerm = index % 2 == 0 ? [Mistake("the penalty ½·reg·ΣW² has gradient reg·W, not 2·reg·W", try s.grads[index] + weight * s.reg)] : []
                        try Check.tensor("two_layer_net gradient of \(name)", got: value, expected: s.grads[index], input: s.input, mistakes: regTerm)
                    }
                }
                return [
                    Part("loss", points: 2) { t, g in
                        let s = try sample(&g)
                        let penalty = 0.5 * s.reg * (s.p.w1.scalars.reduce(0) { $0 + $1 * $1 } + s.p.w2.scalars.reduce(0) { $0 + $1 * $1 })
                        try Check.number(
                            "two_layer_net loss", got: try t.twoLayerNetLoss(s.p, s.x, s.y, s.reg).loss, expected: s.loss, input: s.input,
                            mistakes: [
                                ("add the L2 penalty ½·reg·(ΣW1² + ΣW2²) to the data loss", s.loss - penalty),
                                ("the penalty is ½·reg·ΣW²: the ½ is missing", s.loss + penalty)
                            ])
                    },
                    gradientPart(0, "W1"), gradientPart(1, "b1"), gradientPart(2, "W2"), gradientPart(3, "b2")
                ]
            }())
    ]
}()
