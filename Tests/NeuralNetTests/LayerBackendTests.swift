import Autograd
import NeuralNet
import Random
import Tensors
import Testing

/// A backend that negates ReLU's output and records which operations layers asked of it;
/// everything else is the engine's (the protocol's defaults).
final class RecordingBackend: LayerBackend, @unchecked Sendable {
    var calls: [String] = []
    var name: String { "recording" }
    func relu<S: TensorScalar>(_ x: Variable<S>) throws -> Variable<S> { calls.append("relu"); return -x.relu() }
    func conv2d<S: TensorScalar>(_ x: Variable<S>, weight: Variable<S>, bias: Variable<S>?, stride: Int, pad: Int) throws -> Variable<S> {
        calls.append("conv2d")
        return try EngineBackend().conv2d(x, weight: weight, bias: bias, stride: stride, pad: pad)
    }
}

@Suite struct LayerBackendTests {
    func net() throws -> Sequential<Float> {
        var g = SeededGenerator(seed: 1)
        return Sequential([try Conv2d(inChannels: 1, outChannels: 2, kernelSize: 3, pad: 1, using: &g), ReLU()])
    }

    @Test func aModelsBackendReachesEveryLayer() throws {
        let model = try net(), backend = RecordingBackend()
        let x = Variable(try Tensor<Float>.ones([1, 1, 4, 4]))
        let engine = try model(x).value
        model.backend = backend
        let y = try model(x).value
        #expect(backend.calls == ["conv2d", "relu"])
        #expect(y.scalars == engine.scalars.map { -$0 })
        model.backend = nil
        #expect(try model(x).value.scalars == engine.scalars)
    }

    @Test func theTasksBackendAppliesToModelsWithoutTheirOwn() throws {
        let model = try net(), backend = RecordingBackend()
        let x = Variable(try Tensor<Float>.ones([1, 1, 4, 4]))
        _ = try LayerBackends.$active.withValue(backend) { try model(x) }
        #expect(backend.calls == ["conv2d", "relu"])
        #expect(LayerBackends.active.name == "reference")
    }

    func pooledNet() throws -> Sequential<Float> {
        var g = SeededGenerator(seed: 2)
        return Sequential([
            try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, pad: 1, using: &g), ReLU(), MaxPool2d(size: 2)
        ])
    }

    /// On the engine, a ReLU followed by max pooling runs as one node, with the bits of the
    /// layers called one at a time, forward and backward.
    @Test func theEngineFusesReLUAndMaxPooling() throws {
        let model = try pooledNet()
        var g = SeededGenerator(seed: 4)
        let x = Variable(try Tensor<Float>.randn([2, 2, 6, 6], using: &g))
        let fused = try model(x)
        let apart = try model.layers.reduce(x) { try $1($0) }
        #expect(fused.op == "relu_max_pool2d")
        #expect(apart.op == "max_pool2d")
        #expect(fused.value.scalars.map(\.bitPattern) == apart.value.scalars.map(\.bitPattern))
        try fused.sum().backward()
        let fusedGrads = model.parameters.map { $0.variable.grad?.scalars.map(\.bitPattern) }
        model.parameters.forEach { $0.variable.grad = nil }
        try apart.sum().backward()
        #expect(fusedGrads == model.parameters.map { $0.variable.grad?.scalars.map(\.bitPattern) })
    }

    /// Another backend gets the pair as its own ReLU then its own pooling.
    @Test func anotherBackendComposesTheFusedPair() throws {
        let model = try pooledNet(), backend = RecordingBackend()
        var g = SeededGenerator(seed: 5)
        let x = Variable(try Tensor<Float>.randn([1, 2, 4, 4], using: &g))
        let conv = try model.layers[0](x)
        model.backend = backend
        let y = try model(x)
        #expect(backend.calls == ["conv2d", "relu"])
        #expect(y.value.scalars == (try (-conv.relu()).maxPool2d(size: 2)).value.scalars)
    }

    /// An error in the fused pair names the pooling layer, as it would unfused.
    @Test func aFusedPairsErrorNamesThePool() throws {
        let model = Sequential<Float>([ReLU(), MaxPool2d(size: 5)])
        let x = Variable(try Tensor<Float>.ones([1, 1, 4, 4]))
        #expect {
            _ = try model(x)
        } throws: { error in
            "\(error)".contains("layer 1 (MaxPool2d(5×5")
        }
    }

    /// The engine's dropout and batch norm through the backend give what the layers gave
    /// before there was one: the mask is Bernoulli(p) scaled by 1/p, batch norm normalizes.
    @Test func engineDefaultsKeepTheLayersMath() throws {
        var g = SeededGenerator(seed: 3)
        let x = Variable(try Tensor<Float>.randn([64, 5], using: &g))
        let (out, mask) = try EngineBackend().invertedDropout(x, keep: 0.25, generator: &g)
        for i in 0..<x.value.count { #expect(out.value.scalars[i] == x.value.scalars[i] * mask.scalars[i] / 0.25) }
        let kept = mask.scalars.filter { $0 == 1 }.count
        #expect(kept > 40 && kept < 120 && mask.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let bn = try EngineBackend().batchNorm(x, scale: Variable(try .ones([1, 5])), shift: Variable(try .zeros([1, 5])), axes: [0], epsilon: 1e-5)
        let mean = try bn.output.value.mean(axes: [0]).scalars
        #expect(mean.allSatisfy { abs($0) < 1e-5 })
    }
}
