import Foundation

/// One measured figure of `gradschool bench`.
public struct BenchmarkResult: Sendable, Codable, Equatable {
    public var bench: String
    public var shape: String
    public var threads: Int
    /// Billions of floating-point operations per second (median over repeats).
    public var gflops: Double?
    /// Images per second, for training-step and epoch benchmarks.
    public var imagesPerSecond: Double?
    /// Median seconds per repetition.
    public var seconds: Double
    /// `gflops` over the FMA ceiling measured on as many threads (`PeakThroughput`).
    public var peakFraction: Double?

    public init(
        bench: String, shape: String, threads: Int, gflops: Double? = nil,
        imagesPerSecond: Double? = nil, seconds: Double
    ) {
        self.bench = bench; self.shape = shape; self.threads = threads
        self.gflops = gflops; self.imagesPerSecond = imagesPerSecond; self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case bench, shape, threads, gflops, seconds
        case imagesPerSecond = "images_per_s"
        case peakFraction = "peak_fraction"
    }

    /// One aligned line for the terminal.
    public var line: String {
        var s =
            bench.padding(toLength: 28, withPad: " ", startingAt: 0)
            + shape.padding(toLength: 26, withPad: " ", startingAt: 0)
            + "threads \(threads)  "
        if let gflops { s += String(format: "%8.1f GFLOP/s", gflops) }
        if let imagesPerSecond { s += String(format: "  %9.0f images/s", imagesPerSecond) }
        if seconds > 0 {
            s += seconds < 1e-4 ? String(format: "  %9.3f µs", seconds * 1e6) : String(format: "  %9.3f ms", seconds * 1000)
        }
        if let peakFraction { s += String(format: "  %4.2f of peak", peakFraction) }
        return s
    }
}
