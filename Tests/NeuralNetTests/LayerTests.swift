import Autograd
import NeuralNet
import Random
import Tensors
import TestSupport
import Testing

/// For each parameter P: F(P) = Σ u ⊙ module(x) with P replaced, compared by finite differences.
func checkParameters(
    _ module: Module<Double>, input: Tensor<Double>, tolerance: Double,
    sourceLocation: SourceLocation
) throws {
    var g = SeededGenerator(seed: 77)
    let upstream = try Tensor<Double>.randn(try module(input).shape, using: &g)
    // Analytic gradients of every parameter and the input in one backward pass.
    module.zeroGrad()
    let x = Variable(input, requiresGrad: true)
    try module(x).backward(upstream)
    var targets: [(String, Variable<Double>, Tensor<Double>)] = [("input", x, x.grad!)]
    for p in module.parameters { targets.append((p.name, p.variable, p.variable.grad!)) }
    let h = 1e-5
    for (name, variable, analytic) in targets {
        var worst = 0.0
        var indices = Array(0..<variable.value.count)
        indices.shuffle(using: &g)
        for i in indices.prefix(30) {
            let original = variable.value.scalars[i]
            func objective() throws -> [Double] {
                try withoutGradient { try module(name == "input" ? Variable(variable.value) : Variable(input)).value.scalars }
            }
            variable.value.scalars[i] = original + h
            let plus = try objective()
            variable.value.scalars[i] = original - h
            let minus = try objective()
            variable.value.scalars[i] = original
            var diff = 0.0
            for j in 0..<plus.count where plus[j] != minus[j] { diff += upstream.scalars[j] * (plus[j] - minus[j]) }
            let numeric = diff / (2 * h), a = analytic.scalars[i]
            worst = max(worst, abs(a - numeric) / max(1e-8, abs(a) + abs(numeric)))
        }
        #expect(worst < tolerance, "\(module.summary) \(name): relative error \(worst)", sourceLocation: sourceLocation)
    }
}

@Suite("Layers gradient-checked in float64", .serialized)
struct LayerGradientTests {
    @Test("Linear, activations, Flatten")
    func dense() throws {
        var g = SeededGenerator(seed: 1)
        let x = try seededTensor([4, 2, 3], seed: 2, as: Double.self)
        try checkParameters(
            Sequential<Double>([
                Flatten(), try Linear(inputs: 6, outputs: 5, using: &g), Tanh(),
                try Linear(inputs: 5, outputs: 3, using: &g), Sigmoid()
            ]),
            input: x, tolerance: 1e-7, sourceLocation: #_sourceLocation)
        try checkParameters(
            Sequential<Double>([try Linear(inputs: 6, outputs: 7, using: &g), LeakyReLU(slope: 0.1), ReLU()]),
            input: try seededTensor([3, 6], seed: 3, as: Double.self), tolerance: 1e-6, sourceLocation: #_sourceLocation)
    }

    @Test("Conv2d, pooling")
    func conv() throws {
        var g = SeededGenerator(seed: 4)
        let net = Sequential<Double>([
            try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 1, pad: 1, using: &g),
            MaxPool2d(size: 2), try Conv2d(inChannels: 3, outChannels: 2, kernelSize: 3, stride: 2, pad: 1, using: &g),
            AvgPool2d(size: 2)
        ])
        try checkParameters(net, input: try seededTensor([2, 2, 8, 8], seed: 5, as: Double.self), tolerance: 1e-6, sourceLocation: #_sourceLocation)
    }

    @Test("BatchNorm 1d and 2d in train mode")
    func batchNorm() throws {
        let bn1 = try BatchNorm<Double>(features: 4, spatial: false)
        bn1.scale.value = try seededTensor([1, 4], seed: 6, as: Double.self)
        try checkParameters(bn1, input: try seededTensor([5, 4], seed: 7, as: Double.self), tolerance: 1e-6, sourceLocation: #_sourceLocation)
        let bn2 = try BatchNorm<Double>(features: 3, spatial: true)
        try checkParameters(bn2, input: try seededTensor([2, 3, 3, 3], seed: 8, as: Double.self), tolerance: 1e-6, sourceLocation: #_sourceLocation)
    }

    @Test("LayerNorm over each row's features")
    func layerNorm() throws {
        let ln = try LayerNorm<Double>(features: 4)
        ln.scale.value = try seededTensor([1, 4], seed: 11, as: Double.self)
        ln.shift.value = try seededTensor([1, 4], seed: 12, as: Double.self)
        try checkParameters(ln, input: try seededTensor([3, 4], seed: 13, as: Double.self), tolerance: 1e-6, sourceLocation: #_sourceLocation)
    }

    @Test("residual block")
    func residual() throws {
        var g = SeededGenerator(seed: 9)
        let block = try ResidualBlock<Double>(inChannels: 2, outChannels: 3, stride: 2, using: &g)
        try checkParameters(block, input: try seededTensor([2, 2, 6, 6], seed: 10, as: Double.self), tolerance: 1e-5, sourceLocation: #_sourceLocation)
    }
}

@Suite("Layer behaviour")
struct LayerBehaviourTests {
    @Test("BatchNorm normalizes in train mode and uses running statistics in eval mode")
    func batchNormModes() throws {
        let bn = try BatchNorm<Double>(features: 2, spatial: false, momentum: 0)
        let x = try Tensor<Double>(rows: [[1, 10], [3, 30], [5, 50]])
        let y = try bn(x).value
        #expect(try abs(y.mean(axes: [0]).scalars[1]) < 1e-12)
        #expect(try abs(y.variance(axes: [0]).scalars[0] - 1) < 1e-4)
        bn.training = false
        let z = try bn(x).value
        #expect(try (z - y).abs().max().scalar! < 1e-4, "momentum 0: running stats equal the last batch's")
    }

    /// The CS231n convention, worked by hand: running ← 0.9 · running + 0.1 · batch statistic,
    /// from mean 0 and variance 1, with the biased batch variance.
    @Test("BatchNorm's running statistics follow CS231n's momentum and biased variance")
    func batchNormRunningStatistics() throws {
        let bn = try BatchNorm<Double>(features: 1, spatial: false)
        _ = try bn(try Tensor<Double>(rows: [[1], [3], [8]]))
        // Batch mean 4, biased variance (9 + 1 + 16) / 3 = 26/3.
        expectClose(bn.runningMean.scalars, [0.4], tolerance: 1e-15)
        expectClose(bn.runningVariance.scalars, [0.9 + 0.1 * 26 / 3], tolerance: 1e-15)
        bn.training = false
        let y = try bn(try Tensor<Double>(rows: [[2]])).value
        expectClose(y.scalars, [(2 - 0.4) / (0.9 + 0.1 * 26 / 3 + 1e-5).squareRoot()], tolerance: 1e-12)
    }

    @Test("LayerNorm normalizes each example on its own, the same in train and eval mode")
    func layerNormRows() throws {
        let ln = try LayerNorm<Double>(features: 3)
        let x = try Tensor<Double>(rows: [[1, 2, 3], [10, 10, 40]])
        let train = try ln(x).value
        ln.training = false
        #expect(try ln(x).value.scalars == train.scalars)
        // Row 1: mean 2, biased variance 2/3; row 2: mean 20, variance 200.
        let a = 1 / (2.0 / 3 + 1e-5).squareRoot(), b = 10 / (200 + 1e-5).squareRoot()
        expectClose(train.scalars, [-a, 0, a, -b, -b, 2 * b], tolerance: 1e-12)
        #expect(throws: ModelError.self) { try ln(try Tensor<Double>.zeros([2, 4])) }
    }

    @Test("dropout keeps the expected activation: train mean ≈ test output", arguments: [Dropout<Double>.Convention.inverted, .testTimeScaling])
    func dropoutExpectation(convention: Dropout<Double>.Convention) throws {
        let p = 0.3
        let drop = try Dropout<Double>(keepProbability: p, convention: convention, seed: 5)
        let x = try Tensor<Double>.full([100_000], 2)
        let train = try drop(x).value
        let kept = drop.lastMask!.scalars.reduce(0, +) / 100_000
        #expect(abs(kept - p) < 0.01, "p is the probability of keeping")
        drop.training = false
        let test = try drop(x).value
        #expect(try abs(train.mean().scalar! - test.mean().scalar!) < 0.03)
        #expect(abs(test.scalars[0] - (convention == .inverted ? 2 : 2 * p)) < 1e-12)
    }

    @Test("dropout rejects p outside (0, 1]")
    func dropoutRange() {
        #expect(throws: ModelError.self) { try Dropout<Float>(keepProbability: 0) }
    }

    @Test("initializers have the documented spread")
    func initializers() throws {
        var g = SeededGenerator(seed: 3)
        let he: Tensor<Double> = try Initializer.he.make([400, 100], fanIn: 400, fanOut: 100, using: &g)
        #expect(abs(try he.variance().scalar! - 2.0 / 400) < 2e-4)
        let xavier: Tensor<Double> = try Initializer.xavier.make([400, 100], fanIn: 400, fanOut: 100, using: &g)
        #expect(abs(try xavier.variance().scalar! - 2.0 / 500) < 2e-4)
        let small: Tensor<Double> = try Initializer.gaussian(std: 1e-3).make([100, 100], fanIn: 1, fanOut: 1, using: &g)
        #expect(abs(try small.variance().scalar!.squareRoot() - 1e-3) < 5e-5)
        #expect(try (Initializer.zeros.make([3], fanIn: 1, fanOut: 1, using: &g) as Tensor<Float>).scalars == [0, 0, 0])
    }
}

@Suite("Models and regularization")
struct ModelTests {
    @Test("model builders produce the right shapes and parameter counts")
    func shapes() throws {
        let two: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10)
        #expect(two.parameterCount == 3072 * 50 + 50 + 50 * 10 + 10)
        #expect(two.parameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        var g = SeededGenerator(seed: 1)
        let x = try Tensor<Float>.randn([2, 3, 32, 32], using: &g)
        let small: Sequential<Float> = try Models.smallConvNet()
        #expect(try small(x).shape == [2, 10])
        #expect(small.parameterCount == 3 * 32 * 9 + 32 + 32 * 64 * 9 + 64 + 4096 * 10 + 10)
        let vgg: Sequential<Float> = try Models.vggStyle(widths: [8, 16])
        #expect(try vgg(x).shape == [2, 10])
        let resnet: Sequential<Float> = try Models.resnetStyle(widths: [8, 16])
        #expect(try resnet(x).shape == [2, 10])
        let err = #expect(throws: ModelError.self) { try small(try Tensor<Float>.zeros([1, 4, 32, 32])) }
        #expect(err?.message.contains("layer 0") == true)
    }

    @Test("the two-layer net's initial softmax loss is log 10; a large reg raises it")
    func initialLoss() throws {
        var g = SeededGenerator(seed: 2)
        let x = try Tensor<Double>.randn([100, 3072], using: &g)
        let labels = (0..<100).map { $0 % 10 }
        let net: Sequential<Double> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-4)
        let data = try net(x).softmaxCrossEntropy(labels: labels)
        #expect(abs(data.value.scalar! - Double.log(10)) < 0.02)
        let withReg = try data + Regularizer.l2(1e3).penalty(net.parameters)
        #expect(withReg.value.scalar! > data.value.scalar! + 0.5)
    }

    @Test("L2's gradient is λW (weight decay); biases excluded by default")
    func l2Gradient() throws {
        let w = Variable(try Tensor<Double>(rows: [[1, -2], [3, 0]]), requiresGrad: true)
        let b = Variable(Tensor<Double>([5, 5]), requiresGrad: true)
        let params = [Parameter(name: "w", variable: w, role: .weight), Parameter(name: "b", variable: b, role: .bias)]
        let penalty = try Regularizer.l2(0.1).penalty(params)
        #expect(abs(penalty.value.scalar! - 0.05 * 14) < 1e-12)
        try penalty.backward()
        #expect(w.grad!.scalars == [0.1, -0.2, 0.30000000000000004, 0])
        #expect(b.grad == nil)
        #expect(Regularizer.l2(0.1).gradient(w.value) == w.value * 0.1)
        #expect(Regularizer.l1(0.5).gradient(w.value).scalars == [0.5, -0.5, 0.5, 0])
        let both = try Regularizer.elasticNet(l1: 0.1, l2: 0.2).penalty(params, includeBiases: true)
        #expect(abs(both.value.scalar! - (0.1 * 16 + 0.2 / 2 * 64)) < 1e-12)
        #expect(Regularizer.elasticNet(l1: 0.1, l2: 0.2).gradient(w.value).scalars == [0.1 + 0.2, -0.1 - 0.4, 0.1 + 0.6000000000000001, 0])
    }

    @Test("a zero strength builds no penalty graph: the loss gains 0 and no weight a gradient")
    func zeroStrengthPenalty() throws {
        let w = Variable(try Tensor<Double>(rows: [[1, -2], [3, 0]]), requiresGrad: true)
        let params = [Parameter(name: "w", variable: w, role: .weight)]
        for r in [Regularizer.none, .l2(0), .l1(0), .elasticNet(l1: 0, l2: 0)] {
            #expect(r.isZero)
            let penalty = try r.penalty(params)
            #expect(penalty.value.scalar == 0)
            #expect(!penalty.requiresGrad, "\(r)")
        }
        // One zero term of two: only the other's gradient.
        let l1Only = try Regularizer.elasticNet(l1: 0.5, l2: 0).penalty(params)
        #expect(!Regularizer.elasticNet(l1: 0.5, l2: 0).isZero)
        try l1Only.backward()
        #expect(w.grad?.scalars == [0.5, -0.5, 0.5, 0])
    }

    @Test("max-norm projects only columns longer than c")
    func maxNorm() throws {
        var w = try Tensor<Double>(rows: [[3, 0.1], [4, 0.1]])
        try maxNormProject(&w, maxNorm: 1)
        #expect(abs(w.scalars[0] - 0.6) < 1e-12 && abs(w.scalars[2] - 0.8) < 1e-12)
        #expect(w.scalars[1] == 0.1)
    }
}
