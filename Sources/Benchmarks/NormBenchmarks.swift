import Autograd
import Kernels
import NeuralNet
import Random
import Tensors

/// The normalization layers in training mode, forward then backward (input, scale and shift
/// gradients), on the shapes of `benchmarks/anchors/torch_norm.py`: batch norm after each
/// course convolution (NCHW), batch norm and layer norm of a hidden layer, layer norm of a
/// flattened image.
public enum NormBenchmarks {
    public static func run(threads: [Int], quick: Bool = false) throws -> [BenchmarkResult] {
        var g = SeededGenerator(seed: 9)
        let cases: [(String, [Int], Module<Float>)] = [
            ("batchnorm2d", [64, 32, 32, 32], try BatchNorm(features: 32, spatial: true)),
            ("batchnorm2d", [64, 64, 16, 16], try BatchNorm(features: 64, spatial: true)),
            ("batchnorm1d", [200, 500], try BatchNorm(features: 500, spatial: false)),
            ("layernorm", [200, 500], try LayerNorm(features: 500)),
            ("layernorm", [64, 3072], try LayerNorm(features: 3072))
        ]
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        var results: [BenchmarkResult] = []
        for (name, fullShape, layer) in cases {
            let shape = quick ? [2] + fullShape.dropFirst() : fullShape
            let x = Variable(try Tensor<Float>.randn(shape, using: &g), requiresGrad: true)
            let dy = try Tensor<Float>.randn(shape, using: &g)
            for t in threads {
                Parallel.threads = t
                var failure: Error?
                let seconds = medianSeconds(minimumSeconds: quick ? 0.01 : 1) {
                    do {
                        x.zeroGrad()
                        layer.parameters.forEach { $0.variable.zeroGrad() }
                        try layer(x).backward(dy)
                    } catch { failure = error }
                }
                if let failure { throw failure }
                results.append(
                    BenchmarkResult(
                        bench: name, shape: shape.map(String.init).joined(separator: "×"), threads: t, seconds: seconds))
            }
        }
        return results
    }
}
