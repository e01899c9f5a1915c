import Foundation
import Tensors

/// A check that did not hold, with a message meant to teach.
public struct GradingFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A known wrong answer: what it would have produced on this input and what it teaches.
struct Mistake {
    let values: [Double]
    let hint: String
    init(_ hint: String, _ values: [Double]) { self.hint = hint; self.values = values }
    init(_ hint: String, _ tensor: Tensor<Double>) { self.init(hint, tensor.scalars) }
}

/// Comparison helpers shared by the checks. Every comparison uses one rule: the largest
/// elementwise relative error `|a − b| / max(1e-8, |a| + |b|)` must stay under the tolerance.
enum Check {
    /// The largest relative error and where it is (NaN counts as infinitely wrong).
    static func worst(_ a: [Double], _ b: [Double]) -> (error: Double, index: Int) {
        var worst = 0.0, at = 0
        for (i, (x, y)) in zip(a, b).enumerated() {
            let e = x.isNaN || y.isNaN ? Double.infinity : abs(x - y) / max(1e-8, abs(x) + abs(y))
            if e > worst || (e.isNaN && !worst.isNaN) { worst = e; at = i }
        }
        return (worst, at)
    }

    static func relativeError(_ a: [Double], _ b: [Double]) -> Double { worst(a, b).error }

    static func preview(_ t: [Double]) -> String {
        "[" + t.prefix(4).map { String(format: "%.5g", $0) }.joined(separator: ", ") + (t.count > 4 ? ", …]" : "]")
    }

    /// A flat index as `[i, j, …]` in `shape`.
    static func position(_ index: Int, in shape: [Int]) -> String {
        guard shape.count > 1 else { return "[\(index)]" }
        var rest = index, coords: [Int] = []
        for d in shape.reversed() { coords.append(d > 0 ? rest % d : 0); rest /= max(d, 1) }
        return "[" + coords.reversed().map(String.init).joined(separator: ", ") + "]"
    }

    /// Fails unless `got` matches `expected` in shape and values.
    static func tensor(
        _ what: String, got: Tensor<Double>, expected: Tensor<Double>, input: String,
        tolerance: Double = 1e-6, scaleHints: [(Double, String)] = [], mistakes: [Mistake] = []
    ) throws {
        guard got.shape == expected.shape else {
            throw GradingFailure("\(what): on \(input), expected shape \(expected.shape) but got \(got.shape)")
        }
        try values(
            what, got: got.scalars, expected: expected.scalars, input: input, tolerance: tolerance,
            scaleHints: scaleHints, mistakes: mistakes, shape: got.shape)
    }

    /// `scaleHints` name what a constant factor between got and expected most likely means;
    /// `mistakes` are whole wrong answers recognised by their values.
    static func values(
        _ what: String, got: [Double], expected: [Double], input: String, tolerance: Double = 1e-6,
        scaleHints: [(Double, String)] = [], mistakes: [Mistake] = [], shape: [Int]? = nil
    ) throws {
        guard got.count == expected.count else {
            throw GradingFailure("\(what): on \(input), expected \(expected.count) values but got \(got.count)")
        }
        if got.contains(where: { !$0.isFinite }) {
            let i = got.firstIndex { !$0.isFinite }!
            throw GradingFailure("\(what): on \(input), the result has NaN or infinite values (at \(position(i, in: shape ?? [got.count]))): overflow in exp? subtract the row maximum first; 0/0?")
        }
        let (err, at) = worst(got, expected)
        guard err > tolerance else { return }
        let place = got.count > 1 ? " at \(position(at, in: shape ?? [got.count]))" : ""
        var message = "\(what): on \(input), expected \(String(format: "%.6g", expected[at])) but got \(String(format: "%.6g", got[at]))\(place)"
        if got.count > 1 { message += " (expected \(preview(expected)), got \(preview(got)))" }
        message += ", relative error \(String(format: "%.2e", err))"
        let known = scaleHints.map { Mistake("off by a factor of \(formatFactor($0.0)): \($0.1)", expected.map { [f = $0.0] in $0 * f }) } + mistakes
        if let match = known.first(where: { $0.values.count == got.count && relativeError(got, $0.values) < max(tolerance * 10, 1e-9) }) {
            message += ". Likely mistake: \(match.hint)"
        }
        throw GradingFailure(message)
    }

    static func number(
        _ what: String, got: Double, expected: Double, input: String, tolerance: Double = 1e-6,
        scaleHints: [(Double, String)] = [], mistakes: [(String, Double)] = []
    ) throws {
        try values(
            what, got: [got], expected: [expected], input: input, tolerance: tolerance, scaleHints: scaleHints,
            mistakes: mistakes.map { Mistake($0.0, [$0.1]) })
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
