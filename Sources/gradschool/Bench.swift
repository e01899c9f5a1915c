import ArgumentParser
import Benchmarks
import Foundation
import Kernels

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure kernels (GFLOP/s) and training steps (images/s) on the shapes of a CIFAR ConvNet.")

    enum Suite: String, ExpressibleByArgument, CaseIterable {
        case gemm, conv, norm, train, autograd, all
    }

    @Argument(help: "What to measure: \(Suite.allCases.map(\.rawValue).joined(separator: ", ")).")
    var suite: Suite = .all

    @Option(help: "Comma-separated thread counts.")
    var threads: String = "1,2"

    @Flag(help: "Print one JSON array of result rows instead of a table.")
    var json = false

    @Flag(help: "Tiny shapes and few repeats: checks that every benchmark runs.")
    var quick = false

    func run() throws {
        let counts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--threads takes positive integers such as 1,2")
        }
        if !json {
            let kernel = Float.gemmMicroKernel(for: .best)
            let blocking = kernel.blocking
            print("processor: \(CacheSizes.processorName)   \(CacheSizes.current)")
            print("instruction set: \(InstructionSet.best)   float tile \(kernel.panelHeight)×\(kernel.panelWidth)   GEMM blocking \(blocking)   threads available: \(Parallel.threads)")
        }
        var rows: [BenchmarkResult] = []
        var peaks: [Int: Double] = [:]
        func emit(_ new: [BenchmarkResult]) {
            let annotated = new.map { row in
                var row = row
                if let gflops = row.gflops, let peak = peaks[row.threads], row.bench != "fma_peak" {
                    row.peakFraction = gflops / peak
                }
                return row
            }
            rows += annotated
            if !json { annotated.forEach { print($0.line) } }
        }
        if suite != .autograd && suite != .norm {
            let ceiling = KernelBenchmarks.peak(threads: Array(Set(counts + [1])).sorted(), quick: quick)
            for row in ceiling { peaks[row.threads] = row.gflops }
            emit(ceiling)
        }
        if suite == .gemm || suite == .all { emit(KernelBenchmarks.microKernel(quick: quick)); emit(KernelBenchmarks.gemm(threads: counts, quick: quick)) }
        if suite == .conv || suite == .all { emit(KernelBenchmarks.conv(threads: counts, quick: quick)) }
        if suite == .norm || suite == .all { emit(try NormBenchmarks.run(threads: counts, quick: quick)) }
        if suite == .autograd || suite == .all { emit(try AutogradBenchmarks.run(quick: quick)) }
        if suite == .train || suite == .all { emit(try TrainingBenchmarks.run(threads: counts, quick: quick)); emit(try TrainingBenchmarks.epoch(threads: counts, quick: quick)) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        }
    }
}
