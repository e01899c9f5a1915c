import Autograd
import Benchmark
import Kernels
import NeuralNet
import Optimizers
import Random
import Tensors

/// One training step (forward, softmax loss, backward, SGD-momentum update) of the course
/// ConvNet (batch 64) and of the two-layer net (3072→50→10, batch 200), at 1 and 2 threads.
/// The malloc count is the allocations per step: the target is zero in steady state.
/// Also the normalization layers alone, forward then backward, on the shapes of
/// `benchmarks/anchors/torch_norm.py`.
let benchmarks: @Sendable () -> Void = {
    // As the gradschool command does: large freed blocks are kept for reuse, not unmapped.
    MemoryTuning.reuseLargeBlocks()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], warmupIterations: 3, maxDuration: .seconds(3),
        maxIterations: 200)

    for threads in [1, 2] {
        for (name, batch) in [("course ConvNet step, batch 64", 64), ("two-layer net step, batch 200", 200)] {
            Benchmark("\(name), \(threads) thread(s)") { benchmark in
                Parallel.threads = threads
                var g = SeededGenerator(seed: 5)
                let convnet = batch == 64
                let model: Module<Float> =
                    convnet
                    ? try Models.smallConvNet(seed: 1)
                    : try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-3, seed: 1)
                let x = try Tensor<Float>.randn(convnet ? [64, 3, 32, 32] : [200, 3072], using: &g)
                let labels = (0..<batch).map { $0 % 10 }
                let optimizer = Momentum(parameters: model.parameters, learningRate: 1e-3, momentum: 0.9)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let loss = try model(x).softmaxCrossEntropy(labels: labels)
                    try loss.backward()
                    try optimizer.step()
                    optimizer.zeroGrad()
                }
                benchmark.stopMeasurement()
            }
        }
    }

    for threads in [1, 2] {
        let layers: [(String, [Int], () throws -> Module<Float>)] = [
            ("BatchNorm2d 64×32×32×32", [64, 32, 32, 32], { try BatchNorm(features: 32, spatial: true) }),
            ("BatchNorm1d 200×500", [200, 500], { try BatchNorm(features: 500, spatial: false) }),
            ("LayerNorm 200×500", [200, 500], { try LayerNorm(features: 500) })
        ]
        for (name, shape, make) in layers {
            Benchmark("\(name) forward + backward, \(threads) thread(s)") { benchmark in
                Parallel.threads = threads
                var g = SeededGenerator(seed: 9)
                let layer = try make()
                let x = Variable(try Tensor<Float>.randn(shape, using: &g), requiresGrad: true)
                let dy = try Tensor<Float>.randn(shape, using: &g)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    x.zeroGrad()
                    layer.parameters.forEach { $0.variable.zeroGrad() }
                    try layer(x).backward(dy)
                }
                benchmark.stopMeasurement()
            }
        }
    }
}
