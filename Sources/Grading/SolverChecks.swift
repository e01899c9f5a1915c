import Autograd
import Foundation
import HomeworkKit
import Random
import Tensors

/// The grader's own `Solver`, written from the exercise's statement, to compare against.
enum SolverReference {
    static func accuracy(_ scores: Tensor<Double>, _ labels: [Int]) -> Double {
        let c = scores.shape[1]
        var right = 0
        for (i, label) in labels.enumerated() {
            var best = 0
            for j in 1..<c where scores.scalars[i * c + j] > scores.scalars[i * c + best] { best = j }
            if best == label { right += 1 }
        }
        return Double(right) / Double(max(1, labels.count))
    }

    static func run(_ model: SolverModel, _ data: SolverData, _ o: SolverOptions) throws -> SolverResult {
        var params = model.parameters
        var first = params.map { $0.map { _ in 0 } }, second = first
        var t = 0
        let n = data.trainX.shape[0], iterations = max(1, n / o.batchSize)
        var lr = o.learningRate
        var result = SolverResult(
            finalParameters: params, bestParameters: params, bestValAccuracy: 0, lossHistory: [], trainAccuracyHistory: [],
            valAccuracyHistory: [], learningRates: [])
        var best = -Double.infinity
        for _ in 0..<o.epochs {
            result.learningRates.append(lr)
            for i in 0..<iterations {
                let rows = Array((i * o.batchSize)..<((i + 1) * o.batchSize))
                let (loss, grads) = try model.loss(params, try data.trainX.take(rows), rows.map { data.trainLabels[$0] })
                result.lossHistory.append(loss)
                t += 1
                for p in params.indices {
                    for k in 0..<params[p].count {
                        let dw = grads[p].scalars[k]
                        switch o.updateRule {
                        case "sgd": params[p].scalars[k] -= lr * dw
                        case "sgd_momentum":
                            first[p].scalars[k] = o.momentum * first[p].scalars[k] - lr * dw
                            params[p].scalars[k] += first[p].scalars[k]
                        case "rmsprop":
                            first[p].scalars[k] = o.decayRate * first[p].scalars[k] + (1 - o.decayRate) * dw * dw
                            params[p].scalars[k] -= lr * dw / (first[p].scalars[k].squareRoot() + o.epsilon)
                        default:
                            first[p].scalars[k] = o.beta1 * first[p].scalars[k] + (1 - o.beta1) * dw
                            second[p].scalars[k] = o.beta2 * second[p].scalars[k] + (1 - o.beta2) * dw * dw
                            let mHat = first[p].scalars[k] / (1 - pow(o.beta1, Double(t))), vHat = second[p].scalars[k] / (1 - pow(o.beta2, Double(t)))
                            params[p].scalars[k] -= lr * mHat / (vHat.squareRoot() + o.epsilon)
                        }
                    }
                }
            }
            result.trainAccuracyHistory.append(accuracy(try model.scores(params, data.trainX), data.trainLabels))
            let val = accuracy(try model.scores(params, data.valX), data.valLabels)
            result.valAccuracyHistory.append(val)
            if val > best { (best, result.bestParameters, result.bestValAccuracy) = (val, params, val) }
            lr *= o.learningRateDecay
        }
        result.finalParameters = params
        return result
    }
}

/// A softmax classifier `scores = x·W + b` on random clustered data, as a `SolverModel`.
struct SolverCase {
    let model: SolverModel, data: SolverData, options: SolverOptions
    var input: String {
        "\(options.updateRule), lr \(String(format: "%.3g", options.learningRate)), decay \(String(format: "%.2f", options.learningRateDecay)), \(options.epochs) epochs, batch \(options.batchSize), \(data.trainX.shape[0]) training examples"
    }

    init(_ g: inout SeededGenerator, rule: String, epochs: Int = 2, decay: Double = 1) {
        let (d, c) = (randomInt(3...5, &g), randomInt(3...4, &g))
        let centers = randomTensor([c, d], &g, scale: 1.5)
        func sample(_ n: Int) -> (Tensor<Double>, [Int]) {
            let labels = (0..<n).map { _ in randomInt(0...(c - 1), &g) }
            var x = randomTensor([n, d], &g)
            for i in 0..<n { for j in 0..<d { x.scalars[i * d + j] += centers.scalars[labels[i] * d + j] } }
            return (x, labels)
        }
        let batch = randomInt(5...8, &g)
        let (trainX, trainLabels) = sample(batch * randomInt(3...4, &g) + randomInt(1...(batch - 1), &g))
        let (valX, valLabels) = sample(randomInt(12...20, &g))
        data = SolverData(trainX: trainX, trainLabels: trainLabels, valX: valX, valLabels: valLabels)
        model = SolverModel(
            parameters: [randomTensor([d, c], &g, scale: 0.1), randomTensor([c], &g, scale: 0.1)],
            loss: { p, x, y in
                let w = Variable(p[0], requiresGrad: true), b = Variable(p[1], requiresGrad: true)
                let loss = try (try Variable(x).matmul(w) + b).softmaxCrossEntropy(labels: y)
                try loss.backward()
                return (loss.value.scalars[0], [w.grad!, b.grad!])
            },
            scores: { p, x in try x.matmul(p[0]) + p[1] })
        var o = SolverOptions()
        o.updateRule = rule
        o.learningRate = ["sgd": 0.5, "sgd_momentum": 0.1, "rmsprop": 0.02, "adam": 0.05][rule] ?? 0.1
        o.learningRate *= 0.5 + g.nextUniform()
        o.learningRateDecay = decay
        o.epochs = epochs
        o.batchSize = batch
        o.decayRate = 0.9
        options = o
    }
}

func checkParameters(_ what: String, got: [Tensor<Double>], expected: [Tensor<Double>], input: String) throws {
    try Check.that(got.count == expected.count, "\(what): on \(input), expected \(expected.count) parameters but got \(got.count)")
    for (i, (a, b)) in zip(got, expected).enumerated() {
        try Check.tensor("\(what) \(i == 0 ? "W" : "b")", got: a, expected: b, input: input, tolerance: 1e-7)
    }
}

let solverExercises: [Exercise] = [
    Exercise(
        id: "a4.solver", assignment: 4, title: "A Solver: update rules by name, decay, history and the best model",
        parts: [
            Part("update rules", points: 3) { t, g in
                for rule in ["sgd", "sgd_momentum", "rmsprop", "adam"] {
                    let c = SolverCase(&g, rule: rule)
                    let expected = try SolverReference.run(c.model, c.data, c.options)
                    let got = try t.solve(c.model, c.data, c.options)
                    try checkParameters("solve (final parameters)", got: got.finalParameters, expected: expected.finalParameters, input: c.input)
                }
                let c = SolverCase(&g, rule: "nesterov")
                let rejected: Bool
                do { _ = try t.solve(c.model, c.data, c.options); rejected = false } catch is Unimplemented { throw Unimplemented("solve") } catch { rejected = true }
                try Check.that(rejected, "solve: an unknown update rule (\"nesterov\") must be an error, not a silent fallback to another rule")
            },
            Part("learning rate decay", points: 1) { t, g in
                let c = SolverCase(&g, rule: "sgd", epochs: 3, decay: 0.3 + 0.4 * g.nextUniform())
                let expected = try SolverReference.run(c.model, c.data, c.options)
                let got = try t.solve(c.model, c.data, c.options)
                try Check.values(
                    "solve learning rates", got: got.learningRates, expected: expected.learningRates, input: c.input,
                    mistakes: [Mistake("decay once per epoch, after it, not before the first", expected.learningRates.map { $0 * c.options.learningRateDecay })])
                try checkParameters("solve (final parameters)", got: got.finalParameters, expected: expected.finalParameters, input: c.input + " (decay the rate once per epoch, not per iteration)")
            },
            Part("history", points: 2) { t, g in
                let c = SolverCase(&g, rule: "sgd_momentum", epochs: 3, decay: 0.9)
                let expected = try SolverReference.run(c.model, c.data, c.options)
                let got = try t.solve(c.model, c.data, c.options)
                let iterations = c.data.trainX.shape[0] / c.options.batchSize
                try Check.that(got.lossHistory.count == expected.lossHistory.count, "solve: on \(c.input), the loss history should have one entry per iteration (\(c.options.epochs) epochs × \(iterations)), got \(got.lossHistory.count)")
                try Check.values("solve loss history", got: got.lossHistory, expected: expected.lossHistory, input: c.input, tolerance: 1e-7)
                try Check.values("solve training accuracy per epoch", got: got.trainAccuracyHistory, expected: expected.trainAccuracyHistory, input: c.input + " (on the whole training set, after each epoch)")
                try Check.values("solve validation accuracy per epoch", got: got.valAccuracyHistory, expected: expected.valAccuracyHistory, input: c.input + " (after each epoch)")
            },
            Part("best model", points: 2) { t, g in
                // Validation labels are what the model predicts after epoch 2, so the
                // validation accuracy peaks there and the last epoch's model is not the best.
                for _ in 0..<20 {
                    var c = SolverCase(&g, rule: "sgd", epochs: 5)
                    var two = c.options
                    two.epochs = 2
                    let middle = try SolverReference.run(c.model, c.data, two).finalParameters
                    let predicted = try c.model.scores(middle, c.data.valX)
                    let labels = (0..<c.data.valLabels.count).map { i in (0..<predicted.shape[1]).max { predicted.scalars[i * predicted.shape[1] + $0] < predicted.scalars[i * predicted.shape[1] + $1] }! }
                    c = SolverCase(model: c.model, data: SolverData(trainX: c.data.trainX, trainLabels: c.data.trainLabels, valX: c.data.valX, valLabels: labels), options: c.options)
                    let expected = try SolverReference.run(c.model, c.data, c.options)
                    guard Check.relativeError(expected.bestParameters[0].scalars, expected.finalParameters[0].scalars) > 1e-6 else { continue }
                    let got = try t.solve(c.model, c.data, c.options)
                    try Check.number("solve best validation accuracy", got: got.bestValAccuracy, expected: expected.bestValAccuracy, input: c.input)
                    try checkParameters("solve best parameters", got: got.bestParameters, expected: expected.bestParameters, input: c.input + " (keep a copy of the parameters after the epoch with the best validation accuracy)")
                    return
                }
                throw GradingFailure("solve: the grader found no run whose best epoch was not its last; please tell your instructor")
            }
        ])
]

extension SolverCase {
    init(model: SolverModel, data: SolverData, options: SolverOptions) { self.model = model; self.data = data; self.options = options }
}
