// swift-tools-version:6.1
import PackageDescription

// Regression benchmarks with ordo-one's package-benchmark: wall-clock time, throughput and
// allocation counts for the kernels, a training step and the interpreter. A package of its
// own, so that building GradSchool never builds the benchmark harness.
//
//   cd benchmarks
//   swift package --allow-writing-to-package-directory benchmark                  # run all
//   swift package --allow-writing-to-package-directory benchmark baseline update main
//   swift package --allow-writing-to-package-directory benchmark baseline compare main
//
// See docs/PERFORMANCE.md.
let package = Package(
    name: "GradSchoolBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "GradSchool", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"])
    ],
    targets: [
        .executableTarget(
            name: "KernelBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"), .product(name: "Kernels", package: "GradSchool")
            ],
            path: "Benchmarks/KernelBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"), .product(name: "Training", package: "GradSchool"),
                .product(name: "NeuralNet", package: "GradSchool"), .product(name: "Optimizers", package: "GradSchool"),
                .product(name: "Autograd", package: "GradSchool"), .product(name: "Tensors", package: "GradSchool"),
                .product(name: "Kernels", package: "GradSchool")
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        .executableTarget(
            name: "InterpreterBenchmarks",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), .product(name: "Lang", package: "GradSchool")],
            path: "Benchmarks/InterpreterBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    ]
)
