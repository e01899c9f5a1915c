// swift-tools-version:6.1
import PackageDescription

// Hot modules are compiled with optimization even in debug builds, so `swift test`
// exercises the same fast kernels a release build runs and stays quick on two cores.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked", "-cross-module-optimization"])]

// The micro-kernels are compiled once per instruction set; `Kernels` picks one at start-up
// by a CPU-feature check, so one plain build runs at full speed on AVX-512, AVX2 or neither.
#if arch(x86_64)
let avx512: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
let avx2: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let avx512: [SwiftSetting] = []
let avx2: [SwiftSetting] = []
#endif

let package = Package(
    name: "GradSchool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gradschool", targets: ["gradschool"]),
        .library(name: "Tensors", targets: ["Tensors"]),
        .library(name: "Autograd", targets: ["Autograd"]),
        .library(name: "NeuralNet", targets: ["NeuralNet"]),
        .library(name: "Optimizers", targets: ["Optimizers"]),
        .library(name: "Training", targets: ["Training"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        .target(name: "CPUFeatures"),
        .target(name: "KernelsPortable", swiftSettings: optimized),
        .target(name: "KernelsAVX2", dependencies: ["KernelsPortable"], swiftSettings: optimized + avx2),
        .target(name: "KernelsAVX512", dependencies: ["KernelsPortable"], swiftSettings: optimized + avx512),
        .target(
            name: "Kernels",
            dependencies: ["CPUFeatures", "KernelsPortable", "KernelsAVX2", "KernelsAVX512"],
            swiftSettings: optimized),
        .target(
            name: "Tensors",
            dependencies: ["Kernels", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimized),
        .target(name: "Autograd", dependencies: ["Tensors", "Kernels"], swiftSettings: optimized),
        .target(name: "NeuralNet", dependencies: ["Tensors", "Autograd", "Kernels"], swiftSettings: optimized),
        .target(
            name: "Optimizers",
            dependencies: ["Tensors", "Autograd", "NeuralNet", "Kernels", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimized),
        .target(
            name: "Training",
            dependencies: ["Tensors", "Autograd", "NeuralNet", "Optimizers", "Kernels",
                           .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimized),
        .target(name: "Plots"),
        .target(
            name: "Lang",
            dependencies: ["Plots", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Training", "Kernels"],
            swiftSettings: optimized),
        .target(
            name: "REPL",
            dependencies: ["Lang", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Training", "Kernels"]),
        .target(name: "Lessons", dependencies: ["Lang", "REPL", "Plots"]),
        .target(name: "HomeworkKit", dependencies: ["Tensors", "Kernels"]),
        .target(
            name: "Homework",
            dependencies: ["HomeworkKit", "Tensors", "Kernels", .product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "Solutions",
            dependencies: ["HomeworkKit", "Tensors", "Kernels", .product(name: "RealModule", package: "swift-numerics")],
            path: "solutions"),
        .target(name: "GraderSupport"),
        .target(
            name: "Grading",
            dependencies: ["GraderSupport", "HomeworkKit", "Homework", "Solutions", "Tensors", "Kernels", "Autograd", "NeuralNet", "Optimizers"]),
        .target(name: "HomeworkBridge", dependencies: ["HomeworkKit", "Lang", "REPL", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Kernels"]),
        .target(name: "Benchmarks", dependencies: ["Kernels", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Training"], swiftSettings: optimized),
        .executableTarget(
            name: "gradschool",
            dependencies: [
                "Benchmarks", "Tensors", "Autograd", "Lang", "REPL", "Lessons", "Grading", "Homework", "HomeworkBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "KernelsTests", dependencies: ["Kernels"]),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "Tensors"]),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Autograd", "Tensors"]),
        .testTarget(name: "LangTests", dependencies: ["Lang", "Tensors", "Autograd"]),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Lang"]),
        .testTarget(name: "PlotsTests", dependencies: ["Plots"]),
        // Misbehaving submissions and a `gradschool grade` stand-in that grades them, for the grader's isolation tests.
        .target(name: "GraderFixtures", dependencies: ["Grading", "HomeworkKit", "Solutions", "Tensors"], path: "Tests/GraderFixtures"),
        .executableTarget(name: "grader-fixture", dependencies: ["GraderFixtures", "Grading"], path: "Tests/GraderFixtureTool"),
        .testTarget(name: "AutograderTests", dependencies: ["Grading", "GraderFixtures", "HomeworkKit", "Homework", "Solutions", "Tensors", "HomeworkBridge", "REPL", "Lang"]),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "Lang", "REPL"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Optimizers", "NeuralNet", "Autograd", "Tensors"]),
        .testTarget(name: "OptimizersTests", dependencies: ["Optimizers", "NeuralNet", "Autograd", "Tensors"]),
    ]
)
