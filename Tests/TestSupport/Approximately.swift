import Testing

/// Expects `actual ≈ expected` entrywise within `tolerance · max(1, |expected|)` (relative
/// for large values, absolute near zero). On failure it reports, at the caller's line, the
/// first bad index, both values and the largest error.
public func expectClose<Scalar: BinaryFloatingPoint>(
    _ actual: [Scalar], _ expected: [Scalar], tolerance: Scalar, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    var worst: Scalar = 0
    var firstBad: Int?
    for i in 0..<min(actual.count, expected.count) {
        let error = abs(actual[i] - expected[i])
        if !(error <= tolerance * max(1, abs(expected[i]))) && firstBad == nil { firstBad = i }
        if error > worst || error.isNaN { worst = error }
    }
    if let i = firstBad {
        Issue.record(
            "\(what.isEmpty ? "" : what + ": ")index \(i) got \(actual[i]), expected \(expected[i]); largest error \(worst)",
            sourceLocation: sourceLocation)
    }
}

/// One value within `tolerance · max(1, |expected|)`.
public func expectClose<Scalar: BinaryFloatingPoint>(
    _ actual: Scalar, _ expected: Scalar, tolerance: Scalar, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose([actual], [expected], tolerance: tolerance, what, sourceLocation: sourceLocation)
}
