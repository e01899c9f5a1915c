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
