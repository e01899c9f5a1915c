import Kernels
import Random

/// The kernel benchmarks: GEMM and conv shapes of a CIFAR ConvNet.
public enum KernelBenchmarks {
    /// Square SGEMM sizes, and the im2col-shaped GEMMs of the two CIFAR conv layers
    /// (`K × CRS · CRS × N·P·Q`, the batched layout the anchor scripts use).
    public static let gemmShapes: [(name: String, m: Int, n: Int, k: Int)] = [
        ("sgemm", 256, 256, 256), ("sgemm", 512, 512, 512), ("sgemm", 1024, 1024, 1024),
        ("sgemm", 2048, 2048, 2048), ("sgemm", 1000, 1000, 1000), ("sgemm", 1040, 1040, 1040),
        ("sgemm_conv1_im2col", 32, 65536, 27), ("sgemm_conv2_im2col", 64, 16384, 288)
    ]

    /// The two CIFAR conv layers: batch 64, 3→32 on 32×32 and 32→64 on 16×16, 3×3 pad 1.
    public static let convShapes: [(name: String, geometry: ConvGeometry)] = [
        ("conv1", ConvGeometry(n: 64, c: 3, h: 32, w: 32, k: 32, r: 3, s: 3, pad: 1)),
        ("conv2", ConvGeometry(n: 64, c: 32, h: 16, w: 16, k: 64, r: 3, s: 3, pad: 1))
    ]

    public static func gemm(threads: [Int], quick: Bool = false) -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        for shape in gemmShapes where !quick || shape.m * shape.n * shape.k <= 1 << 24 {
            let a = filled(shape.m * shape.k), b = filled(shape.k * shape.n)
            var c = [Float](repeating: 0, count: shape.m * shape.n)
            for t in threads {
                let seconds = medianSeconds(minimumSeconds: quick ? 0.01 : 0.5) {
                    Kernels.gemm(
                        m: shape.m, n: shape.n, k: shape.k, a: a, lda: shape.k, b: b,
                        ldb: shape.n, c: &c, ldc: shape.n, threads: t)
                }
                let flops = 2 * Double(shape.m) * Double(shape.n) * Double(shape.k)
                results.append(
                    BenchmarkResult(
                        bench: shape.name, shape: "\(shape.m)x\(shape.n)x\(shape.k)", threads: t,
                        gflops: flops / seconds / 1e9, seconds: seconds))
            }
        }
        return results
    }

    public static func conv(threads: [Int], quick: Bool = false) -> [BenchmarkResult] {
        var results: [BenchmarkResult] = []
        for (name, full) in convShapes {
            var g = full
            if quick { g.n = 2 }
            let x = filled(g.n * g.c * g.h * g.w), w = filled(g.k * g.patchSize)
            let bias = filled(g.k), dy = filled(g.n * g.k * g.p * g.q)
            var y = [Float](repeating: 0, count: dy.count)
            var dx = [Float](repeating: 0, count: x.count)
            var dw = [Float](repeating: 0, count: w.count)
            var db = [Float](repeating: 0, count: g.k)
            let shape = "\(g.n)x\(g.c)x\(g.h)x\(g.w) k\(g.k) 3x3"
            let saved = Parallel.threads
            defer { Parallel.threads = saved }
            for t in threads {
                Parallel.threads = t
                let minimum = quick ? 0.01 : 0.5
                let forward = medianSeconds(minimumSeconds: minimum) {
                    Conv2dKernel.forward(g, x: x, weight: w, bias: bias, y: &y)
                }
                let both = medianSeconds(minimumSeconds: minimum) {
                    Conv2dKernel.forward(g, x: x, weight: w, bias: bias, y: &y)
                    Conv2dKernel.backward(g, x: x, weight: w, dy: dy, dx: &dx, dWeight: &dw, dBias: &db)
                }
                let data = medianSeconds(minimumSeconds: minimum) {
                    Conv2dKernel.backward(g, x: x, weight: w, dy: dy, dx: &dx, dWeight: nil, dBias: nil)
                }
                let weights = medianSeconds(minimumSeconds: minimum) {
                    Conv2dKernel.backward(g, x: x, weight: w, dy: dy, dx: nil, dWeight: &dw, dBias: &db)
                }
                results.append(
                    BenchmarkResult(
                        bench: "\(name)_forward", shape: shape, threads: t,
                        gflops: g.forwardFLOPs / forward / 1e9, seconds: forward))
                results.append(
                    BenchmarkResult(
                        bench: "\(name)_backward_data", shape: shape, threads: t,
                        gflops: g.forwardFLOPs / data / 1e9, seconds: data))
                results.append(
                    BenchmarkResult(
                        bench: "\(name)_backward_weights", shape: shape, threads: t,
                        gflops: g.forwardFLOPs / weights / 1e9, seconds: weights))
                results.append(
                    BenchmarkResult(
                        bench: "\(name)_forward_backward", shape: shape, threads: t,
                        gflops: 3 * g.forwardFLOPs / both / 1e9, seconds: both))
            }
        }
        return results
    }

    static func filled(_ count: Int) -> [Float] {
        var g = SeededGenerator(seed: 99)
        return (0..<count).map { _ in Float(g.nextUniform() - 0.5) }
    }
}

extension KernelBenchmarks {
    /// The FMA ceiling on each thread count (`PeakThroughput`): what the other rows' fraction
    /// of peak is measured against.
    public static func peak(threads: [Int], quick: Bool = false) -> [BenchmarkResult] {
        let chains = PeakThroughput.loop(iterations: 1).chains
        return threads.map { t in
            let gflops = PeakThroughput.measure(threads: t, seconds: quick ? 0.01 : 0.2, repeats: quick ? 1 : 5)
            return BenchmarkResult(
                bench: "fma_peak", shape: "\(chains) FMA chains, best of 5", threads: t,
                gflops: gflops, seconds: 0)
        }
    }

    /// The micro-kernel alone on L1-resident panels: the ceiling GEMM can reach. Two rows:
    /// the packed form, and the gathered form conv uses (B rows through an offset table,
    /// A read in place with a row stride), on the same data.
    public static func microKernel(quick: Bool = false) -> [BenchmarkResult] {
        let kernel = Float.gemmMicroKernel(for: .best)
        let kc = 256, mr = kernel.panelHeight, nr = kernel.panelWidth
        let a = filled(kc * mr), b = filled(kc * nr)
        let offsets = (0..<kc).map { $0 * nr }
        var c = [Float](repeating: 0, count: mr * nr)
        let calls = 2000
        func measure(
            _ name: String,
            _ call: (
                UnsafePointer<Float>, UnsafePointer<Float>,
                UnsafeMutablePointer<Float>
            ) -> Void
        ) -> BenchmarkResult {
            let seconds = medianSeconds(minimumSeconds: quick ? 0.01 : 0.5) {
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            for _ in 0..<calls { call(a.baseAddress!, b.baseAddress!, c.baseAddress!) }
                        }
                    }
                }
            }
            let flops = 2 * Double(kc * mr * nr * calls)
            return BenchmarkResult(
                bench: name, shape: "\(mr)x\(nr)x\(kc)", threads: 1,
                gflops: flops / seconds / 1e9, seconds: seconds / Double(calls))
        }
        let packed = measure("sgemm_microkernel") { a, b, c in
            kernel.body(kc, a, b, c, nr, 1, true, mr, nr)
        }
        let gathered = offsets.withUnsafeBufferPointer { offsets in
            // A as eight rows of a kc-wide matrix: the same values, read transposed.
            measure("sgemm_microkernel_gathered") { a, b, c in
                kernel.gathered(kc, a, 1, kc, b, offsets.baseAddress!, nr / 2, c, nr, 1, true, mr, nr)
            }
        }
        return [packed, gathered]
    }
}
