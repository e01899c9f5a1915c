import Benchmark
import Lang

/// The interpreter's cost per operation: a loop of 1,000 scalar additions, and 1,000 small
/// tensor operations, so a change to evaluation shows up without any kernel time.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    Benchmark("1,000 scalar additions in a loop") { benchmark in
        let interpreter = Interpreter()
        interpreter.output = { _ in }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try interpreter.run("s = 0\nfor i in 0..<1000 { s = s + i }")
        }
    }

    Benchmark("1,000 small tensor operations") { benchmark in
        let interpreter = Interpreter()
        interpreter.output = { _ in }
        try interpreter.run("t = ones(4, 4)")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try interpreter.run("for i in 0..<1000 { t = t * 1.0001 }")
        }
    }
}
