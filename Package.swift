// swift-tools-version:6.1
import Foundation
import PackageDescription

// One manifest for every edition of the course; it declares what the tree holds.
// - The instructor's repository has `solutions/` (reference answers), the instructor-only
//   checks in `Sources/Grading/Hidden/`, and every test target.
// - A student release (`gradschool release --to DIR`) has neither, and only the homework grader's tests.
// - A Gradescope bundle (`gradschool gradescope-bundle`) has the hidden checks but no solutions.
func inTree(_ path: String) -> Bool { FileManager.default.fileExists(atPath: Context.packageDirectory + "/" + path) }
let hasSolutions = inTree("solutions")
let hasHiddenChecks = inTree("Sources/Grading/Hidden")
let solutionsDefine: [SwiftSetting] = hasSolutions ? [.define("GRADSCHOOL_SOLUTIONS")] : []
/// A test target, when its folder is in this edition's tree; every one uses the shared
/// helpers in Tests/TestSupport.
func testTarget(_ name: String, _ dependencies: [Target.Dependency], swiftSettings: [SwiftSetting] = []) -> [Target] {
    inTree("Tests/" + name) ? [.testTarget(name: name, dependencies: dependencies + ["TestSupport"], swiftSettings: swiftSettings)] : []
}

// Hot modules are compiled with optimization even in debug builds, so `swift test`
// exercises the same fast kernels a release build runs and stays quick on two cores.
// Measured in a debug build on 2 cores: without it on Lang, Optimizers and Training the
// lessons take 35 % longer, the interpreter's per-call loop 4.3× and the two-layer training
// step 4.5×; NeuralNet (layer glue over Autograd's ops) shows no difference, so it has none.
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
        // For the regression benchmarks in benchmarks/ (a package of its own).
        .library(name: "Kernels", targets: ["Kernels"]),
        .library(name: "Lang", targets: ["Lang"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0")
    ]
        // `swift package generate-documentation` builds the engine's DocC catalogs (instructor's edition only).
        + (hasSolutions ? [.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0")] : []),
    targets: [
        .target(name: "CPUFeatures"),
        // The seeded generator every random draw uses: a leaf, so nothing imports the kernels to get it.
        .target(name: "Random", swiftSettings: optimized),
        .target(name: "KernelsPortable", swiftSettings: optimized),
        .target(name: "KernelsAVX2", dependencies: ["KernelsPortable"], swiftSettings: optimized + avx2),
        .target(name: "KernelsAVX512", dependencies: ["KernelsPortable"], swiftSettings: optimized + avx512),
        .target(
            name: "Kernels",
            dependencies: ["CPUFeatures", "KernelsPortable", "KernelsAVX2", "KernelsAVX512"],
            swiftSettings: optimized),
        .target(
            name: "Tensors",
            dependencies: [
                "Kernels", "Random", .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation")
            ],
            swiftSettings: optimized),
        .target(name: "Autograd", dependencies: ["Tensors", "Kernels", "Random"], swiftSettings: optimized),
        .target(name: "NeuralNet", dependencies: ["Tensors", "Autograd", "Kernels", "Random"]),
        .target(
            name: "Optimizers",
            dependencies: ["Tensors", "Autograd", "NeuralNet", "Kernels", "Random", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: optimized),
        .target(
            name: "Training",
            dependencies: [
                "Tensors", "Autograd", "NeuralNet", "Optimizers", "Kernels", "Random",
                .product(name: "RealModule", package: "swift-numerics")
            ],
            swiftSettings: optimized),
        // `gradschool fetch`: real datasets downloaded (resumed, MD5-verified) and unpacked into the data cache folder.
        .target(name: "DataFetch", dependencies: ["Training", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Plots", dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(
            name: "Lang",
            dependencies: ["Plots", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Training", "Random"],
            swiftSettings: optimized),
        // The terminal: line editing (libedit), history file, Ctrl-C, the large-stack thread.
        .target(name: "Terminal"),
        // `:save` / `:load`: a session's values (models as checkpoints, datasets, optimizer state) in one .npz.
        .target(name: "Workspace", dependencies: ["Lang", "Autograd", "NeuralNet", "Optimizers", "Tensors", "Training"]),
        // The prompt: a thin shell over Lang (entries, :commands, ?help) on a Terminal.
        .target(name: "REPL", dependencies: ["Lang", "Plots", "Terminal", "Workspace"]),
        .target(name: "Lessons", dependencies: ["Lang", "REPL", "Plots", "Terminal"]),
        // `gradschool fuzz`: generates prompt entries from the builtin registry and runs each in its own process.
        .target(name: "Fuzzing", dependencies: ["Lang", "Random"]),
        .target(name: "HomeworkKit", dependencies: ["Tensors", "Random", "NeuralNet"]),
        .target(
            name: "Homework",
            dependencies: ["HomeworkKit", "Tensors", "Random", "NeuralNet", .product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "GraderSupport"),
        .target(name: "GradescopeFormat"),
        .target(
            name: "Grading",
            dependencies: ["GraderSupport", "GradescopeFormat", "HomeworkKit", "Homework", "Tensors", "Kernels", "Random", "Autograd", "NeuralNet", "Optimizers", "Training"],
            swiftSettings: hasHiddenChecks ? [.define("GRADSCHOOL_HIDDEN_CHECKS")] : []),
        .target(name: "HomeworkBridge", dependencies: ["HomeworkKit", "Lang", "REPL", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Random"]),
        .target(name: "Benchmarks", dependencies: ["Kernels", "Random", "Tensors", "Autograd", "NeuralNet", "Optimizers", "Training"], swiftSettings: optimized),
        .executableTarget(
            name: "gradschool",
            dependencies: [
                "Benchmarks", "Tensors", "Autograd", "Lang", "REPL", "Terminal", "Lessons", "Grading", "Homework", "HomeworkKit", "HomeworkBridge", "Fuzzing",
                "DataFetch", "Plots",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation")
            ] + (hasSolutions ? ["Solutions"] : []),
            swiftSettings: solutionsDefine),
        // Runs one Gradescope submission: copies its homework in, builds, grades, and always writes
        // results.json. It never depends on the homework, so a submission cannot break it.
        .executableTarget(name: "gradescope-autograder", dependencies: ["GradescopeFormat"], path: "Sources/GradescopeAutograder")
    ]
        // Approximate comparison with source locations, seeded fixtures, scratch folders and the
        // gradient-check expectation, shared by every test target (absent from the Gradescope bundle).
        + (inTree("Tests/TestSupport") ? [.target(name: "TestSupport", dependencies: ["Tensors", "Autograd", "Random"], path: "Tests/TestSupport")] : [])
        + (hasSolutions
            ? [
                .target(
                    name: "Solutions",
                    dependencies: ["HomeworkKit", "Tensors", "Random", "NeuralNet", .product(name: "RealModule", package: "swift-numerics")],
                    path: "solutions"),
                // Misbehaving submissions and a `gradschool grade` stand-in that grades them, for the grader's isolation tests.
                .target(name: "GraderFixtures", dependencies: ["Grading", "HomeworkKit", "Solutions", "Tensors"], path: "Tests/GraderFixtures"),
                .executableTarget(name: "grader-fixture", dependencies: ["GraderFixtures", "Grading"], path: "Tests/GraderFixtureTool")
            ] : [])
        // The homework grader is in every edition; the instructor's part of it (Tests/AutograderTests/Instructor) only with solutions.
        + testTarget(
            "AutograderTests",
            ["Grading", "HomeworkKit", "Homework", "Tensors", "Random"]
                + (hasSolutions
                    ? [
                        "GraderFixtures", "Solutions", "HomeworkBridge", "REPL", "Terminal", "Lang", "GradescopeFormat",
                        .product(name: "ZIPFoundation", package: "ZIPFoundation")
                    ] : []),
            swiftSettings: solutionsDefine)
        + testTarget("KernelsTests", ["Kernels", "Random"])
        + testTarget("TensorsTests", ["Tensors", "Random"])
        + testTarget("AutogradTests", ["Autograd", "Tensors", "Random"])
        + testTarget("NeuralNetTests", ["NeuralNet", "Autograd", "Tensors", "Random"])
        + testTarget("LangTests", ["Lang", "Terminal", "Tensors", "Autograd", "Random"])
        + testTarget("REPLTests", ["REPL", "Lang", "Terminal", "Tensors"])
        + testTarget("FuzzingTests", ["Fuzzing", "Lang"])
        + testTarget("PlotsTests", ["Plots"])
        + testTarget("LessonsTests", ["Lessons", "Lang", "REPL", "Terminal"])
        + testTarget("TrainingTests", ["Training", "Optimizers", "NeuralNet", "Autograd", "Tensors", "Random"])
        + testTarget("OptimizersTests", ["Optimizers", "NeuralNet", "Autograd", "Tensors"])
        + testTarget("DataFetchTests", ["DataFetch", "Training", "Tensors", .product(name: "Crypto", package: "swift-crypto")])
)
