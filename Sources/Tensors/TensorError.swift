/// An error a user can act on: every layer of the stack throws its own enum conforming to
/// this, and the language renders them all one way (`LangError` at the call's location).
public protocol ExplainedError: Error, CustomStringConvertible {
    /// The sentence shown to the user, naming the operation and what was wrong.
    var message: String { get }
}

extension ExplainedError {
    public var description: String { message }
}

/// What tensor operations report: shapes that do not fit, axes out of range, sizes past the
/// budget, and other invalid arguments.
public enum TensorError: ExplainedError, Equatable, Sendable {
    /// Two shapes that cannot be broadcast (or multiplied) together.
    case shapeMismatch(op: String, [Int], [Int])
    /// An axis outside `-rank..<rank`.
    case axis(op: String, axis: Int, rank: Int)
    /// A shape whose element count is past the size budget.
    case tooLarge(op: String, shape: [Int], limit: Int)
    /// Any other invalid argument, explained in words.
    case invalid(String)

    /// An invalid-argument error with its explanation.
    public init(_ message: String) { self = .invalid(message) }

    public var message: String {
        switch self {
        case .shapeMismatch(let op, let a, let b): "\(op): shapes \(a) and \(b) cannot be broadcast together"
        case .axis(let op, let axis, let rank): "\(op): axis \(axis) is out of range for a tensor of rank \(rank) (valid: \(-rank)..<\(rank))"
        case .tooLarge(let op, let shape, let limit): "\(op): a tensor of shape \(shape) is too large (the limit is \(limit) elements)"
        case .invalid(let text): text
        }
    }

    static func shapeMismatch(_ op: String, _ a: [Int], _ b: [Int]) -> TensorError { .shapeMismatch(op: op, a, b) }
    static func axis(_ op: String, _ axis: Int, rank: Int) -> TensorError { .axis(op: op, axis: axis, rank: rank) }
}

/// Resolves a possibly negative axis against `rank`, or throws.
@inline(__always)
func normalizeAxis(_ axis: Int, rank: Int, _ op: String) throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0 && a < rank else { throw TensorError.axis(op, axis, rank: rank) }
    return a
}

/// What reading or writing a file reports.
public enum FileError: ExplainedError, Equatable, Sendable {
    case noSuchFile(String)
    case isFolder(String)
    case unreadable(String)
    /// Writing failed; `detail` says why.
    case cannotWrite(String, detail: String)
    /// The file is not in the expected format; `detail` says where it went wrong.
    case malformed(String, detail: String)

    public var message: String {
        switch self {
        case .noSuchFile(let path): "\(path): no such file"
        case .isFolder(let path): "\(path) is a folder, not a file"
        case .unreadable(let path): "\(path): the file exists but cannot be read (check its permissions)"
        case .cannotWrite(let path, let detail): "\(path): \(detail)"
        case .malformed(let path, let detail): "\(path): \(detail)"
        }
    }
}
