import Foundation
import Tensors

/// A check that did not hold, with a message meant to teach.
public struct GradingFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Comparison helpers shared by the checks. Every comparison uses one rule: the largest
/// elementwise relative error `|a − b| / max(1e-8, |a| + |b|)` must stay under the tolerance.
enum Check {
    static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        var worst = 0.0
        for (x, y) in zip(a, b) {
            if x.isNaN || y.isNaN { return .infinity }
            worst = max(worst, abs(x - y) / max(1e-8, abs(x) + abs(y)))
        }
        return worst
    }

    static func preview(_ t: [Double]) -> String {
        "[" + t.prefix(4).map { String(format: "%.5g", $0) }.joined(separator: ", ") + (t.count > 4 ? ", …]" : "]")
    }

    /// Fails unless `got` matches `expected` in shape and values. `scaleHints` names what a
    /// constant factor between the two most likely means.
    static func tensor(_ what: String, got: Tensor<Double>, expected: Tensor<Double>, input: String,
                       tolerance: Double = 1e-6, scaleHints: [(Double, String)] = []) throws {
        guard got.shape == expected.shape else {
            throw GradingFailure("\(what): on \(input), expected shape \(expected.shape) but got \(got.shape)")
        }
        try values(what, got: got.scalars, expected: expected.scalars, input: input, tolerance: tolerance, scaleHints: scaleHints)
    }

    static func values(_ what: String, got: [Double], expected: [Double], input: String,
                       tolerance: Double = 1e-6, scaleHints: [(Double, String)] = []) throws {
        guard got.count == expected.count else {
            throw GradingFailure("\(what): on \(input), expected \(expected.count) values but got \(got.count)")
        }
        if got.contains(where: { !$0.isFinite }) {
            throw GradingFailure("\(what): on \(input), the result has NaN or infinite values (overflow in exp? subtract the row maximum first)")
        }
        let err = relativeError(got, expected)
        guard err > tolerance else { return }
        var message = "\(what): on \(input), expected \(preview(expected)) but got \(preview(got)) (max relative error \(String(format: "%.2e", err)))"
        for (factor, hint) in scaleHints where relativeError(got, expected.map { $0 * factor }) < tolerance * 10 {
            message += ". Off by a factor of \(formatFactor(factor)): \(hint)"
            break
        }
        throw GradingFailure(message)
    }

    static func number(_ what: String, got: Double, expected: Double, input: String, tolerance: Double = 1e-6,
                       scaleHints: [(Double, String)] = []) throws {
        try values(what, got: [got], expected: [expected], input: input, tolerance: tolerance, scaleHints: scaleHints)
    }

    static func formatFactor(_ f: Double) -> String {
        if f == f.rounded() { return String(Int(f)) }
        if (1 / f) == (1 / f).rounded() { return "1/\(Int(1 / f))" }
        return String(format: "%.3g", f)
    }

    static func that(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw GradingFailure(message()) }
    }
}
