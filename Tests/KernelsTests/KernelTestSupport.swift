import Kernels
import Random
import Testing

/// Random values in [-1, 1) from a seeded stream.
func randomArray<Scalar: KernelScalar>(_ count: Int, seed: UInt64, as _: Scalar.Type = Scalar.self) -> [Scalar] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Scalar(2 * g.nextUniform() - 1) }
}

/// Expects `actual ≈ expected` entrywise within `tolerance · (1 + |expected|)`; on failure
/// reports the first bad index, both values and the largest error.
func expectClose<Scalar: KernelScalar>(
    _ actual: [Scalar], _ expected: [Scalar], tolerance: Scalar, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): sizes differ", sourceLocation: sourceLocation)
    var worst: Scalar = 0
    var firstBad: Int?
    for i in 0..<min(actual.count, expected.count) {
        let err = abs(actual[i] - expected[i])
        let allowed = tolerance * (1 + abs(expected[i]))
        if !(err <= allowed) && firstBad == nil { firstBad = i }
        if err > worst || err.isNaN { worst = err }
    }
    if let i = firstBad {
        Issue.record(
            "\(what): index \(i) got \(actual[i]), expected \(expected[i]); max error \(worst)",
            sourceLocation: sourceLocation)
    }
}

/// Runs `body` once for each instruction set this processor supports, then restores the best.
func forEachInstructionSet(_ body: (InstructionSet) throws -> Void) rethrows {
    defer { InstructionSet.active = .best }
    for level in InstructionSet.supported {
        InstructionSet.active = level
        try body(level)
    }
}
