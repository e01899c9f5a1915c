/// A span of source text: 1-based line and column of its first character, and its length.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int
    public var length: Int

    public init(offset: Int, line: Int, column: Int, length: Int) {
        self.offset = offset
        self.line = line
        self.column = column
        self.length = length
    }

    public static let unknown = SourceLocation(offset: 0, line: 0, column: 0, length: 0)
    public var description: String { "\(line):\(column)" }
}

/// An error found while reading or running source text, with where it happened.
public struct LangError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable { case syntax = "syntax error", runtime = "error", type = "type error", name = "name error" }
    public let kind: Kind
    public let message: String
    public var location: SourceLocation
    /// Set when a script or lesson cell is named, e.g. `lessons/01-loop.md cell 3`.
    public var sourceName: String?

    public init(_ kind: Kind, _ message: String, at location: SourceLocation = .unknown) {
        self.kind = kind
        self.message = message
        self.location = location
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    /// The message with the offending line and a caret under the span:
    /// ```
    /// error: conv2d: input has 3 channels but the weight expects 4
    ///   1 | y = conv2d(x, w)
    ///     |     ^~~~~~~~~~~~
    /// ```
    public func rendered(source: String) -> String {
        var out = "\(kind.rawValue): \(message)"
        if let sourceName { out = "\(sourceName): " + out }
        guard location.line > 0 else { return out }
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard location.line - 1 < lines.count else { return out }
        let text = String(lines[location.line - 1])
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let caretStart = max(0, location.column - 1)
        let width = max(1, min(location.length, max(1, text.count - caretStart)))
        out +=
            "\n \(number) | \(text)\n \(gutter) | " + String(repeating: " ", count: caretStart) + "^"
            + String(repeating: "~", count: width - 1)
        return out
    }
}
