import Autograd
import Random
import Tensors
import TestSupport
import Testing

@Suite("Every op's gradient against finite differences (float64)")
struct OpGradientTests {
    @Test("add, sub, mul, div with broadcasting")
    func arithmetic() throws {
        let a = try seededTensor([3, 4], seed: 1, as: Double.self), b = try seededTensor([4], seed: 2, as: Double.self)
        let c = try seededTensor([3, 1], seed: 3, as: Double.self).map { $0 * $0 + 1 }
        try expectGradientsMatch([a, b]) { try $0[0] + $0[1] }
        try expectGradientsMatch([a, b]) { try $0[0] - $0[1] }
        try expectGradientsMatch([a, b]) { try $0[0] * $0[1] }
        try expectGradientsMatch([a, c]) { try $0[0] / $0[1] }
        try expectGradientsMatch([a]) { (-$0[0] * 3 + 2) / 5 }
        try expectGradientsMatch([c]) { $0[0].pow(3) }
        try expectGradientsMatch([c]) { $0[0].pow(-0.5) }
    }

    @Test("matmul")
    func matmul() throws {
        try expectGradientsMatch([seededTensor([3, 5], seed: 4, as: Double.self), seededTensor([5, 2], seed: 5, as: Double.self)]) {
            try $0[0].matmul($0[1])
        }
    }

    @Test("exp, log, sqrt, tanh, sigmoid")
    func smoothUnary() throws {
        let x = try seededTensor([2, 3], seed: 6, as: Double.self)
        let positive = x.map { $0 * $0 + 0.5 }
        try expectGradientsMatch([x]) { $0[0].exp() }
        try expectGradientsMatch([positive]) { $0[0].log() }
        try expectGradientsMatch([positive]) { $0[0].sqrt() }
        try expectGradientsMatch([x]) { $0[0].tanh() }
        try expectGradientsMatch([x]) { $0[0].sigmoid() }
    }

    @Test("relu, leaky relu, abs, clip away from their kinks")
    func kinkedUnary() throws {
        let x = try seededTensor([4, 5], seed: 7, awayFromZero: true, as: Double.self)
        try expectGradientsMatch([x]) { $0[0].relu() }
        try expectGradientsMatch([x]) { $0[0].leakyRelu(slope: 0.1) }
        try expectGradientsMatch([x]) { $0[0].abs() }
        try expectGradientsMatch([x.map { $0 * 0.5 }]) { $0[0].clip(-2, 0.7) }
    }

    @Test("leaky relu on a tensor large enough to be split across threads matches its definition")
    func leakyReluSplitAcrossThreads() throws {
        // 300,009 values: several chunks on a multi-core machine, one odd-sized tail.
        let x = try seededTensor([3, 100_003], seed: 17, as: Double.self).converted() as Tensor<Float>
        let gradient = try seededTensor([3, 100_003], seed: 18, as: Double.self).converted() as Tensor<Float>
        let v = Variable(x, requiresGrad: true)
        let y = v.leakyRelu(slope: 0.25)
        try y.backward(gradient)
        #expect(y.value.scalars == x.scalars.map { $0 > 0 ? $0 : 0.25 * $0 })
        #expect(v.grad?.scalars == zip(x.scalars, gradient.scalars).map { $0 > 0 ? $1 : 0.25 * $1 })
    }

    @Test("sum, mean, variance, max over axes")
    func reductions() throws {
        let x = try seededTensor([2, 3, 4], seed: 8, as: Double.self)
        try expectGradientsMatch([x]) { try $0[0].sum() }
        try expectGradientsMatch([x]) { try $0[0].sum(axes: [1]) }
        try expectGradientsMatch([x]) { try $0[0].mean(axes: [0, 2], keepDims: true) }
        try expectGradientsMatch([x]) { try $0[0].variance(axes: [2]) }
        try expectGradientsMatch([x]) { try $0[0].max(axes: [1]) }
        try expectGradientsMatch([x]) { $0[0].squaredNorm() * 3 }
    }

    @Test("the fused squared norm gives the composed (x · x).sum()'s bits, value and gradient")
    func squaredNormMatchesComposed() throws {
        let x = try seededTensor([7, 13], seed: 21, as: Double.self).converted() as Tensor<Float>
        let fused = Variable(x, requiresGrad: true), composed = Variable(x, requiresGrad: true)
        let a = fused.squaredNorm() * 0.37, b = try (composed * composed).sum() * 0.37
        try a.backward()
        try b.backward()
        #expect(a.value.scalars == b.value.scalars)
        #expect(fused.grad?.scalars == composed.grad?.scalars)
    }

    @Test("reshape, permute, transpose, slice, take, concat")
    func shapes() throws {
        let x = try seededTensor([2, 3, 4], seed: 9, as: Double.self)
        try expectGradientsMatch([x]) { try $0[0].reshaped([6, 4]) }
        try expectGradientsMatch([x]) { try $0[0].permuted([2, 0, 1]) }
        try expectGradientsMatch([x]) { try $0[0].flattened(from: 1).transposed() }
        try expectGradientsMatch([x]) { try $0[0].slice([.all, .range(start: 1, end: 3), .index(-1)]) }
        try expectGradientsMatch([x]) { try $0[0].take([1, 0, 1]) }
        try expectGradientsMatch([x, seededTensor([2, 1, 4], seed: 10, as: Double.self)]) { try Variable.concat($0, axis: 1) }
    }

    @Test("conv2d with stride, padding, bias", arguments: [(1, 1), (2, 1), (1, 0), (2, 2)])
    func conv(stride: Int, pad: Int) throws {
        let x = try seededTensor([2, 3, 6, 5], seed: 11, as: Double.self), w = try seededTensor([4, 3, 3, 3], seed: 12, as: Double.self)
        let b = try seededTensor([4], seed: 13, as: Double.self)
        try expectGradientsMatch([x, w, b]) { try $0[0].conv2d($0[1], bias: $0[2], stride: stride, pad: pad) }
    }

    @Test("max and average pooling")
    func pooling() throws {
        let x = try seededTensor([2, 2, 6, 6], seed: 14, as: Double.self)
        try expectGradientsMatch([x]) { try $0[0].maxPool2d(size: 2) }
        try expectGradientsMatch([x]) { try $0[0].maxPool2d(size: 3, stride: 2, pad: 1) }
        try expectGradientsMatch([x]) { try $0[0].avgPool2d(size: 2) }
        try expectGradientsMatch([x]) { try $0[0].avgPool2d(size: 3, stride: 1, pad: 1) }
    }

    /// The fused node against the two it replaces: value and gradient bit for bit (zeros,
    /// ties and NaN included), and finite differences through it.
    /// As PyTorch's: 0 for every non-positive input, −∞ included (`0 · −∞` would be NaN),
    /// NaN kept, and no gradient where the input is not positive, even an infinite one.
    @Test("relu at the edges: −∞, −0, NaN, and an infinite upstream gradient")
    func reluEdges() throws {
        let x = Variable(try Tensor<Float>(shape: [5], scalars: [-.infinity, -0.0, .nan, 2, .infinity]), requiresGrad: true)
        let y = x.relu()
        #expect(y.value.scalars[0].bitPattern == Float(0).bitPattern && y.value.scalars[1].bitPattern == Float(0).bitPattern)
        #expect(y.value.scalars[2].isNaN && y.value.scalars[3] == 2 && y.value.scalars[4] == .infinity)
        try y.backward(try Tensor(shape: [5], scalars: [.infinity, -.infinity, 1, 3, 4]))
        #expect(x.grad?.scalars.map(\.bitPattern) == [0, 0, 0, 3, 4].map { Float($0).bitPattern })
        let leaky = Variable(try Tensor<Float>(shape: [2], scalars: [-.infinity, -2]), requiresGrad: true).leakyRelu(slope: 0.5)
        #expect(leaky.value.scalars == [-.infinity, -1])
    }

    @Test("max pooling through the ReLU: one node with the two nodes' bits")
    func reluMaxPool() throws {
        var x = try seededTensor([2, 3, 6, 6], seed: 16, as: Float.self)
        var scalars = x.scalars
        for i in stride(from: 0, to: scalars.count, by: 5) { scalars[i] = [0, -0.0, .nan, -1, -.infinity][i / 5 % 5] }
        x = try Tensor(shape: x.shape, scalars: scalars)
        for (size, stride, pad) in [(2, 2, 0), (3, 2, 1), (2, 1, 0)] {
            let a = Variable(x, requiresGrad: true), b = Variable(x, requiresGrad: true)
            let fused = try a.reluMaxPool2d(size: size, stride: stride, pad: pad)
            let composed = try b.relu().maxPool2d(size: size, stride: stride, pad: pad)
            #expect(fused.value.scalars.map(\.bitPattern) == composed.value.scalars.map(\.bitPattern))
            let seed = try seededTensor(fused.shape, seed: 17, as: Float.self)
            try fused.backward(seed)
            try composed.backward(seed)
            #expect(a.grad?.scalars.map(\.bitPattern) == b.grad?.scalars.map(\.bitPattern), "\(size) \(stride) \(pad)")
        }
        let d = try seededTensor([2, 2, 6, 6], seed: 18, as: Double.self)
        try expectGradientsMatch([d]) { try $0[0].reluMaxPool2d(size: 2) }
        try expectGradientsMatch([d]) { try $0[0].reluMaxPool2d(size: 3, stride: 2, pad: 1) }
    }

    @Test("softmax cross-entropy and multiclass SVM")
    func losses() throws {
        let s = try seededTensor([5, 4], seed: 15, as: Double.self)
        let labels = [0, 3, 1, 1, 2]
        try expectGradientsMatch([s]) { try $0[0].softmaxCrossEntropy(labels: labels) }
        try expectGradientsMatch([s]) { try $0[0].multiclassHinge(labels: labels) }
    }
}

@Suite("The gradient checker itself")
struct GradientCheckerTests {
    @Test("a wrong derivative is caught (negative control)")
    func catchesWrongGradient() throws {
        let x = try seededTensor([3, 3], seed: 20, as: Double.self)
        // d/dx x² claimed to be x instead of 2x.
        let report = try GradientCheck.check([x]) { v in
            Variable(v[0].value.pow(2), op: "bad_square", parents: [v[0]]) { g in [try g * v[0].value] }
        }
        #expect(report.maxRelativeError > 0.1)
        #expect(report.band == .wrong)
    }

    @Test("a ReLU kink crossing is detected and explained, not counted")
    func detectsKink() throws {
        let x = Tensor<Double>([1e-8, -0.5, 0.7])
        let report = try GradientCheck.check([x], step: 1e-5) { try $0[0].relu().sum() }
        #expect(report.kinkCrossings == 1)
        #expect(report.maxRelativeError < 1e-7)
        #expect(report.description.contains("crossed a kink"))
    }

    @Test("sampling checks the asked number of entries per input")
    func sampling() throws {
        let report = try GradientCheck.check([seededTensor([10, 10], seed: 1, as: Double.self)], samplesPerInput: 7) { $0[0].tanh() }
        #expect(report.entries.count == 7)
    }
}

@Suite("Graph mechanics")
struct GraphTests {
    @Test("fan-out accumulates gradients: d/dx (x·x + x) = 2x + 1")
    func fanOut() throws {
        let x = Variable(Tensor<Double>([3]), requiresGrad: true)
        try (x * x + x).sum().backward()
        #expect(x.grad?.scalars == [7])
        try (x * x).sum().backward()
        #expect(x.grad?.scalars == [13], "a second backward adds to .grad")
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test("no-grad scope and detach record nothing")
    func noGrad() throws {
        let x = Variable(Tensor<Double>([2]), requiresGrad: true)
        let y = withoutGradient { x * 3 }
        #expect(!y.requiresGrad)
        #expect(!(x.detached() * 2).requiresGrad)
        #expect(throws: TensorError.self) { try y.sum().backward() }
    }

    @Test("backward needs a scalar or a seed")
    func scalarOnly() throws {
        let x = Variable(Tensor<Double>([1, 2]), requiresGrad: true)
        #expect(throws: TensorError.self) { try (x * 2).backward() }
        try (x * 2).backward(Tensor([1, 1]))
        #expect(x.grad?.scalars == [2, 2])
    }

    @Test("the graph is freed after backward, even while the loss is kept")
    func graphFreed() throws {
        var g = SeededGenerator(seed: 3)
        let w = Variable(try Tensor<Float>.randn([8, 4], std: 0.1, using: &g), requiresGrad: true)
        let x = try Tensor<Float>.randn([16, 8], using: &g)
        let labels = (0..<16).map { $0 % 4 }
        var kept: [Variable<Float>] = []
        weak var firstHidden: Variable<Float>?
        for step in 0..<200 {
            let hidden = try Variable(x).matmul(w).relu()
            if step == 0 { firstHidden = hidden }
            let loss = try hidden.softmaxCrossEntropy(labels: labels)
            try loss.backward()
            withoutGradient { w.value = try! w.value - w.grad! * 0.1 }
            w.zeroGrad()
            kept.append(loss)
        }
        #expect(firstHidden == nil, "an interior node outlived its backward pass")
        #expect(kept.allSatisfy { $0.isLeaf })
    }
}

@Suite("Loss facts")
struct LossFactTests {
    @Test("softmax loss of tiny random scores is log C")
    func initialLoss() throws {
        var g = SeededGenerator(seed: 4)
        let scores = try Tensor<Double>.randn([200, 10], std: 1e-4, using: &g)
        let loss = try Variable(scores).softmaxCrossEntropy(labels: (0..<200).map { $0 % 10 })
        #expect(abs(loss.value.scalar! - Double.log(10)) < 1e-3)
    }

    @Test("huge logits stay finite")
    func stable() throws {
        let s = try Tensor<Float>(rows: [[1e4, 0, -1e4], [500, 1000, 0]])
        let x = Variable(s, requiresGrad: true)
        let loss = try x.softmaxCrossEntropy(labels: [0, 0])
        try loss.backward()
        #expect(abs(loss.value.scalar! - 250) < 1e-3)
        #expect(x.grad!.scalars.allSatisfy { $0.isFinite })
    }

    @Test("SVM loss hand-computed (CS231n example)")
    func svmExample() throws {
        // Scores of the cat image: cat 3.2, car 5.1, frog −1.7; label cat → max(0, 2.9) + max(0, −3.9) = 2.9
        let s = try Tensor<Double>(rows: [[3.2, 5.1, -1.7]])
        let loss = try Variable(s).multiclassHinge(labels: [0])
        #expect(abs(loss.value.scalar! - 2.9) < 1e-12)
    }

    @Test("accuracy counts argmax hits")
    func accuracyCount() throws {
        let s = try Tensor<Float>(rows: [[0, 1], [2, 1], [0, 3]])
        #expect(try accuracy(scores: s, labels: [1, 0, 0]) == 2.0 / 3.0)
    }
}

@Suite struct GraphTeardownTests {
    @Test("dropping the output of a 300,000-op graph frees it without recursion")
    func longGraphsFreeIteratively() throws {
        var x = Variable(Tensor<Float>([1]), requiresGrad: true)
        let leaf = x
        for _ in 0..<300_000 { x = x * Float(1) }
        #expect(x.value.scalars == [1])
        x = leaf
        #expect(x === leaf)
    }
}

@Suite("Fused normalization nodes")
struct NormalizationNodeTests {
    @Test("batch norm (1-d and 2-d) and layer norm: gradients match centred differences")
    func gradients() throws {
        let x2 = try seededTensor([5, 3, 2, 3], seed: 61, as: Double.self), x1 = try seededTensor([6, 4], seed: 62, as: Double.self)
        let g2 = try seededTensor([1, 3, 1, 1], seed: 63, as: Double.self), b2 = try seededTensor([1, 3, 1, 1], seed: 64, as: Double.self)
        let g1 = try seededTensor([1, 4], seed: 65, as: Double.self), b1 = try seededTensor([1, 4], seed: 66, as: Double.self)
        // A weighted sum as the loss, so the output's gradient is not constant.
        let w2 = Variable(try seededTensor([5, 3, 2, 3], seed: 67, as: Double.self)), w1 = Variable(try seededTensor([6, 4], seed: 68, as: Double.self))
        try expectGradientsMatch([x2, g2, b2], tolerance: 1e-6) { v in
            try (v[0].batchNormalized(scale: v[1], shift: v[2], epsilon: 1e-5).output * w2).sum()
        }
        try expectGradientsMatch([x1, g1, b1], tolerance: 1e-6) { v in
            try (v[0].batchNormalized(scale: v[1], shift: v[2], epsilon: 1e-5).output * w1).sum()
        }
        try expectGradientsMatch([x1, g1, b1], tolerance: 1e-6) { v in
            try (v[0].layerNormalized(scale: v[1], shift: v[2], epsilon: 1e-5) * w1).sum()
        }
    }

    @Test("shapes that do not fit are refused with the reason")
    func refusals() throws {
        let x = Variable(try seededTensor([4, 3], seed: 71, as: Double.self), requiresGrad: true)
        let three = Variable(try Tensor<Double>.ones([1, 3])), two = Variable(try Tensor<Double>.ones([1, 2]))
        #expect(throws: TensorError.self) { try x.batchNormalized(scale: two, shift: two, epsilon: 1e-5) }
        #expect(throws: TensorError.self) { try x.layerNormalized(scale: three, shift: two, epsilon: 1e-5) }
        let empty = Variable(try Tensor<Double>.zeros([0, 3]))
        #expect(throws: TensorError.self) { try empty.batchNormalized(scale: three, shift: three, epsilon: 1e-5) }
        #expect(throws: TensorError.self) { try empty.layerNormalized(scale: three, shift: three, epsilon: 1e-5) }
        let cube = Variable(try Tensor<Double>.zeros([2, 3, 4]))
        #expect(throws: TensorError.self) { try cube.batchNormalized(scale: three, shift: three, epsilon: 1e-5) }
    }
}
