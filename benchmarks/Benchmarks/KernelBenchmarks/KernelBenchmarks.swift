import Benchmark
import Kernels

/// SGEMM and the course ConvNet's convolutions, forward and backward, at 1 and 2 threads:
/// time, throughput (products per second) and allocations per call.
let benchmarks: @Sendable () -> Void = {
    // As the gradschool command does: large freed blocks are kept for reuse, not unmapped.
    MemoryTuning.reuseLargeBlocks()
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(2), maxIterations: 200)

    for threads in [1, 2] {
        Benchmark("sgemm 1024x1024x1024, \(threads) thread(s)") { benchmark in
            Parallel.threads = threads
            let n = 1024
            let a = (0..<(n * n)).map { Float(($0 % 17) - 8) / 8 }, b = (0..<(n * n)).map { Float(($0 % 13) - 6) / 6 }
            var c = [Float](repeating: 0, count: n * n)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                gemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, c: &c, ldc: n)
            }
            benchmark.stopMeasurement()
            blackHole(c[0])
        }

        for (name, g) in [
            ("conv1 64x3x32x32 k32 3x3", ConvGeometry(n: 64, c: 3, h: 32, w: 32, k: 32, r: 3, s: 3, pad: 1)),
            ("conv2 64x32x16x16 k64 3x3", ConvGeometry(n: 64, c: 32, h: 16, w: 16, k: 64, r: 3, s: 3, pad: 1))
        ] {
            Benchmark("\(name) forward+backward, \(threads) thread(s)") { benchmark in
                Parallel.threads = threads
                let x = (0..<(g.n * g.c * g.h * g.w)).map { Float($0 % 7) / 7 }
                let w = (0..<(g.k * g.c * g.r * g.s)).map { Float($0 % 5) / 50 }
                let bias = [Float](repeating: 0.1, count: g.k)
                var y = [Float](repeating: 0, count: g.n * g.k * g.p * g.q)
                let dy = y.indices.map { Float($0 % 3) / 3 }
                var dx = x, dw = w, db = bias
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    Conv2dKernel.forward(g, x: x, weight: w, bias: bias, y: &y)
                    Conv2dKernel.backward(g, x: x, weight: w, dy: dy, dx: &dx, dWeight: &dw, dBias: &db)
                }
                benchmark.stopMeasurement()
                blackHole(dx[0] + dw[0] + db[0])
            }
        }
    }
}
