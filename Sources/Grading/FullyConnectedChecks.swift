import Autograd
import HomeworkKit
import NeuralNet
import Random
import Tensors

/// A random fully connected net (1 to 3 hidden layers), batch and reg.
struct NetCase {
    let net: FullyConnectedNet, x: Tensor<Double>, labels: [Int], reg: Double
    var input: String {
        let hidden = net.weights.dropLast().map { String($0.shape[1]) }.joined(separator: ", ")
        return "x \(x.shape), hidden [\(hidden)], \(net.weights.last!.shape[1]) classes, \(net.normalization.rawValue), keep \(String(format: "%.2f", net.keepProbability)), reg \(String(format: "%.3f", reg))"
    }

    init(_ g: inout SeededGenerator, normalization: Normalization, keep: Double = 1, depth: ClosedRange<Int> = 1...3) {
        let n = randomInt(5...8, &g), d = randomInt(3...6, &g), classes = randomInt(3...5, &g)
        let sizes = [d] + (0..<randomInt(depth, &g)).map { _ in randomInt(3...7, &g) } + [classes]
        var net = FullyConnectedNet(weights: [], biases: [], normalization: normalization, keepProbability: keep)
        for l in 0..<(sizes.count - 1) {
            net.weights.append(randomTensor([sizes[l], sizes[l + 1]], &g, scale: 0.6))
            net.biases.append(randomTensor([sizes[l + 1]], &g, scale: 0.1))
            if normalization != .none && l < sizes.count - 2 {
                net.gammas.append(randomTensor([sizes[l + 1]], &g, scale: 0.2).map { $0 + 1 })
                net.betas.append(randomTensor([sizes[l + 1]], &g, scale: 0.2))
            }
        }
        self.net = net
        x = randomTensor([n, d], &g, scale: 2)
        labels = (0..<n).map { _ in randomInt(0...(classes - 1), &g) }
        reg = 0.02 + 0.1 * g.nextUniform()
    }

    /// The engine's loss and gradients (no dropout), in the same layout.
    func reference() throws -> (loss: Double, grads: FullyConnectedNet) {
        let weights = net.weights.map { Variable($0, requiresGrad: true) }, biases = net.biases.map { Variable($0, requiresGrad: true) }
        let gammas = net.gammas.map { Variable($0, requiresGrad: true) }, betas = net.betas.map { Variable($0, requiresGrad: true) }
        var h = Variable(x)
        for l in 0..<(weights.count - 1) {
            var a = try h.matmul(weights[l]) + biases[l]
            switch net.normalization {
            case .batchnorm: a = try EngineBackend().batchNorm(a, scale: gammas[l], shift: betas[l], axes: [0], epsilon: 1e-5).output
            case .layernorm: a = try EngineBackend().layerNorm(a, scale: gammas[l], shift: betas[l], epsilon: 1e-5)
            case .none: break
            }
            h = a.relu()
        }
        var loss = try (try h.matmul(weights.last!) + biases.last!).softmaxCrossEntropy(labels: labels)
        for w in weights { loss = try loss + (w * w).sum() * (0.5 * reg) }
        try loss.backward()
        var grads = net
        grads.weights = weights.map { $0.grad! }; grads.biases = biases.map { $0.grad! }
        grads.gammas = gammas.map { $0.grad! }; grads.betas = betas.map { $0.grad! }
        return (loss.value.scalars[0], grads)
    }
}

/// Every gradient of `got` against `expected`, named by layer.
func checkNetGradients(_ what: String, got: FullyConnectedNet, expected: FullyConnectedNet, net: FullyConnectedNet, reg: Double, input: String, tolerance: Double = 1e-6) throws {
    let groups: [(String, [Tensor<Double>], [Tensor<Double>])] = [
        ("W", got.weights, expected.weights), ("b", got.biases, expected.biases), ("gamma", got.gammas, expected.gammas), ("beta", got.betas, expected.betas)
    ]
    for (name, mine, theirs) in groups {
        try Check.that(mine.count == theirs.count, "\(what): on \(input), expected \(theirs.count) gradients for \(name) but got \(mine.count)")
        for (l, (a, b)) in zip(mine, theirs).enumerated() {
            let mistakes = name == "W" ? [Mistake("the penalty ½·reg·ΣW² has gradient reg·W, not 2·reg·W", try b + net.weights[l] * reg)] : []
            try Check.tensor("\(what) d\(name)\(l + 1)", got: a, expected: b, input: input, tolerance: tolerance, mistakes: mistakes)
        }
    }
}

/// The loss and every gradient of a net against the engine's.
func netLossPart(_ name: String, points: Double, normalization: Normalization) -> Part {
    Part(name, points: points) { t, g in
        let c = NetCase(&g, normalization: normalization)
        let ref = try c.reference()
        var dropoutGenerator = SeededGenerator(seed: g.next())
        let got = try t.fullyConnectedNetLoss(c.net, c.x, c.labels, c.reg, &dropoutGenerator)
        let penalty = c.net.weights.reduce(0.0) { $0 + $1.scalars.reduce(0) { $0 + $1 * $1 } } * 0.5 * c.reg
        let biasPenalty = c.net.biases.reduce(0.0) { $0 + $1.scalars.reduce(0) { $0 + $1 * $1 } } * 0.5 * c.reg
        try Check.number(
            "fully_connected_net loss", got: got.loss, expected: ref.loss, input: c.input,
            mistakes: [
                ("add ½·reg·ΣW² for every layer's weights", ref.loss - penalty), ("the penalty is ½·reg·ΣW²: the ½ is missing", ref.loss + penalty),
                ("the penalty covers weights only, not biases", ref.loss + biasPenalty)
            ])
        try checkNetGradients("fully_connected_net", got: got.grads, expected: ref.grads, net: c.net, reg: c.reg, input: c.input)
    }
}

let fullyConnectedExercises: [Exercise] = [
    Exercise(
        id: "a4.fully_connected_net", assignment: 4, title: "A fully connected net of any depth",
        parts: [
            Part("init", points: 1) { t, g in
                let d = randomInt(3...6, &g), classes = randomInt(3...5, &g)
                let hidden = (0..<randomInt(2...3, &g)).map { _ in randomInt(3...6, &g) }
                let std = 0.01 + 0.1 * g.nextUniform()
                for normalization in [Normalization.none, .batchnorm] {
                    let seed = g.next()
                    var mine = SeededGenerator(seed: seed), reference = SeededGenerator(seed: seed)
                    let net = try t.initFullyConnectedNet(d, hidden, classes, normalization, 0.8, std, &mine)
                    let sizes = [d] + hidden + [classes]
                    let input = "inputs \(d), hidden \(hidden), classes \(classes), \(normalization.rawValue), std \(String(format: "%.3g", std))"
                    try Check.that(net.weights.count == sizes.count - 1 && net.biases.count == sizes.count - 1, "init_fully_connected_net: on \(input), expected \(sizes.count - 1) weight matrices and bias vectors, got \(net.weights.count) and \(net.biases.count)")
                    for l in 0..<(sizes.count - 1) {
                        let expected = (0..<(sizes[l] * sizes[l + 1])).map { _ in std * reference.nextNormal() }
                        try Check.that(net.weights[l].shape == [sizes[l], sizes[l + 1]], "init_fully_connected_net: on \(input), W\(l + 1) should be \([sizes[l], sizes[l + 1]]), got \(net.weights[l].shape)")
                        try Check.values("init_fully_connected_net W\(l + 1)", got: net.weights[l].scalars, expected: expected, input: input + " (draw the layers in order, each row by row)", tolerance: 1e-12, shape: net.weights[l].shape)
                        try Check.that(net.biases[l].shape == [sizes[l + 1]] && net.biases[l].scalars.allSatisfy { $0 == 0 }, "init_fully_connected_net: on \(input), b\(l + 1) should be \(sizes[l + 1]) zeros")
                    }
                    let normalized = normalization != .none
                    try Check.that(net.gammas.count == (normalized ? hidden.count : 0) && net.betas.count == net.gammas.count, "init_fully_connected_net: on \(input), expected \(normalized ? hidden.count : 0) γ and β vectors (one per hidden layer\(normalized ? "" : ", none without normalization")), got \(net.gammas.count) and \(net.betas.count)")
                    for (l, (gamma, beta)) in zip(net.gammas, net.betas).enumerated() {
                        try Check.that(gamma.shape == [hidden[l]] && gamma.scalars.allSatisfy { $0 == 1 } && beta.shape == [hidden[l]] && beta.scalars.allSatisfy { $0 == 0 }, "init_fully_connected_net: on \(input), γ\(l + 1) should be \(hidden[l]) ones and β\(l + 1) \(hidden[l]) zeros")
                    }
                    try Check.that(net.normalization == normalization && net.keepProbability == 0.8, "init_fully_connected_net: keep the normalization and keep probability you were given in the net")
                }
            },
            netLossPart("loss and gradients", points: 2, normalization: .none),
            netLossPart("batchnorm", points: 2, normalization: .batchnorm),
            netLossPart("layernorm", points: 1, normalization: .layernorm),
            Part("dropout", points: 2) { t, g in
                let c = NetCase(&g, normalization: .none, keep: 0.6 + 0.3 * g.nextUniform(), depth: 2...2)
                let seed = g.next()
                func loss(_ net: FullyConnectedNet) throws -> (loss: Double, grads: FullyConnectedNet) {
                    var same = SeededGenerator(seed: seed)
                    return try t.fullyConnectedNetLoss(net, c.x, c.labels, c.reg, &same)
                }
                let got = try loss(c.net)
                var withoutDropout = c.net
                withoutDropout.keepProbability = 1
                let plain = try loss(withoutDropout).loss
                try Check.that(abs(got.loss - plain) > 1e-9, "fully_connected_net: on \(c.input), the loss with dropout equals the loss without it: draw a mask after each hidden ReLU when keepProbability < 1")
                // Centered differences of your own loss, with the same masks each time.
                let h = 1e-5
                for l in 0..<c.net.weights.count {
                    for _ in 0..<4 {
                        let i = randomInt(0...(c.net.weights[l].count - 1), &g)
                        var plus = c.net, minus = c.net
                        plus.weights[l].scalars[i] += h
                        minus.weights[l].scalars[i] -= h
                        let numeric = (try loss(plus).loss - loss(minus).loss) / (2 * h)
                        try Check.number(
                            "fully_connected_net dW\(l + 1) (with dropout)", got: got.grads.weights[l].scalars[i], expected: numeric,
                            input: c.input + ", element \(Check.position(i, in: c.net.weights[l].shape)) against a numerical gradient of your loss with the same masks", tolerance: 1e-5,
                            scaleHints: [(c.net.keepProbability, "the backward pass divides by p, as the forward pass did")])
                    }
                }
            }
        ])
]
