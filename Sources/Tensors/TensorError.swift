/// A mistake in how a tensor operation was called: a shape that does not fit, an axis or
/// index out of range, a bad argument. The message says what was expected and what was given.
public struct TensorError: Error, Equatable, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func shapeMismatch(_ op: String, _ a: [Int], _ b: [Int]) -> TensorError {
        TensorError("\(op): shapes \(a) and \(b) cannot be broadcast together")
    }

    static func axis(_ op: String, _ axis: Int, rank: Int) -> TensorError {
        TensorError("\(op): axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)..<\(rank))")
    }
}

/// Resolves a possibly negative axis against `rank`, or throws.
@inline(__always)
func normalizeAxis(_ axis: Int, rank: Int, _ op: String) throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < rank else { throw TensorError.axis(op, axis, rank: rank) }
    return a
}
