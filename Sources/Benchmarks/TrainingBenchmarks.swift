import Autograd
import Kernels
import NeuralNet
import Optimizers
import Random
import Tensors
import Training

/// Full training steps: forward, softmax loss, backward, SGD-momentum update (in place).
public enum TrainingBenchmarks {
    /// Images per second of training steps for the small ConvNet (batch 64 of 3×32×32)
    /// and the two-layer net 3072→50→10 (batch 200).
    public static func run(threads: [Int], quick: Bool = false) throws -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        var g = SeededGenerator(seed: 5)
        let cases: [(String, Module<Float>, Tensor<Float>, Double)] = [
            (
                "train_step_convnet", try Models.smallConvNet(seed: 1),
                try Tensor<Float>.randn([quick ? 4 : 64, 3, 32, 32], using: &g), 2.054e9 / 64
            ),
            (
                "train_step_two_layer", try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-3, seed: 1),
                try Tensor<Float>.randn([quick ? 8 : 200, 3072], using: &g), 6 * (3072 * 50 + 50 * 10)
            )
        ]
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for (name, model, x, flopsPerImage) in cases {
            let batch = x.shape[0]
            let labels = (0..<batch).map { $0 % 10 }
            let optimizer = Momentum(parameters: model.parameters, learningRate: 1e-3, momentum: 0.9)
            for t in threads {
                Parallel.threads = t
                var failure: Error?
                let seconds = medianSeconds(minimumSeconds: quick ? 0.01 : 1) {
                    do {
                        let loss = try model(x).softmaxCrossEntropy(labels: labels)
                        try loss.backward()
                        try optimizer.step()
                        optimizer.zeroGrad()
                    } catch { failure = error }
                }
                if let failure { throw failure }
                results.append(
                    BenchmarkResult(
                        bench: name, shape: "batch \(batch)", threads: t,
                        gflops: flopsPerImage * Double(batch) / seconds / 1e9,
                        imagesPerSecond: Double(batch) / seconds, seconds: seconds))
            }
        }
        return results
    }

    /// Images per second over one full epoch of the small ConvNet trained by `Trainer` on the
    /// embedded image set (2,048 training images, batch 64, SGD with momentum), including the
    /// batch gathering and the end-of-epoch evaluation on 256 training and 256 validation images.
    public static func epoch(threads: [Int], quick: Bool = false) throws -> [BenchmarkResult] {
        let data: Dataset<Float> = try SyntheticImages.make(count: quick ? 96 : 2048 + 256, seed: 3)
        let trainCount = quick ? 64 : 2048
        let splits = try data.split(train: trainCount, val: data.count - trainCount, seed: 0)
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var results: [BenchmarkResult] = []
        for t in threads {
            Parallel.threads = t
            var options = TrainerOptions()
            options.epochs = 1
            options.batchSize = 64
            options.learningRate = 1e-2
            options.verbose = false
            options.trainAccuracySamples = 256
            let trainer = Trainer(model: try Models.smallConvNet(seed: 1) as Sequential<Float>, options: options)
            let h = try trainer.train(splits.train, validation: splits.val)
            results.append(
                BenchmarkResult(
                    bench: "train_epoch_convnet", shape: "\(trainCount) images, batch 64", threads: t,
                    gflops: 2.054e9 / 64 * Double(h.examplesSeen) / h.seconds / 1e9,
                    imagesPerSecond: Double(h.examplesSeen) / h.seconds, seconds: h.seconds))
        }
        return results
    }
}

/// Per-op cost of the autograd machinery itself: ops on one-element tensors, so the time is
/// graph bookkeeping (node creation, closure capture, topological sort, gradient accumulation)
/// rather than arithmetic.
public enum AutogradBenchmarks {
    public static func run(quick: Bool = false) throws -> [BenchmarkResult] {
        let chain = 100
        let x = Variable(Tensor<Float>(1.5), requiresGrad: true)
        var failure: Error?
        let forward = medianSeconds(minimumSeconds: quick ? 0.01 : 0.5) {
            var y = x
            for _ in 0..<chain { y = y * Float(1.0001) + Float(0.5) }
            _ = y
        }
        let both = medianSeconds(minimumSeconds: quick ? 0.01 : 0.5) {
            do {
                var y = x
                for _ in 0..<chain { y = y * Float(1.0001) + Float(0.5) }
                try y.backward()
                x.zeroGrad()
            } catch { failure = error }
        }
        if let failure { throw failure }
        let ops = Double(2 * chain)
        return [
            BenchmarkResult(
                bench: "autograd_op_forward", shape: "scalar ops, chain of \(2 * chain)", threads: 1,
                gflops: nil, imagesPerSecond: nil, seconds: forward / ops),
            BenchmarkResult(
                bench: "autograd_op_fwd_bwd", shape: "scalar ops, chain of \(2 * chain)", threads: 1,
                gflops: nil, imagesPerSecond: nil, seconds: both / ops)
        ]
    }
}
