extension Parser {
    /// Whether `source` is unfinished (an open bracket, brace or string, or a trailing `\`),
    /// so the prompt should read another line rather than report an error.
    public static func needsMoreInput(_ source: String) -> Bool {
        var scanner = EntryScanner()
        scanner.feed(source)
        return scanner.needsMoreInput
    }
}

/// Tracks whether an entry typed line by line is still open, reading each line once (so a
/// 20,000-line entry costs 20,000 lines of work, not 20,000 rescans of everything so far).
public struct EntryScanner: Sendable {
    var depth = 0
    var quote: Character?
    var escaped = false
    var comment = false
    var endsWithBackslash = false

    public init() {}

    /// Reads more of the entry; a line's own newline is implied between calls.
    public mutating func feed(_ text: String) {
        for c in text {
            if comment { if c == "\n" { comment = false }; continue }
            if let q = quote {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q || c == "\n" { quote = nil }
                continue
            }
            switch c {
            case "#": comment = true
            case "\"", "'": quote = c
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
        }
        endsWithBackslash = text.trimmingCharacters(in: .whitespaces).hasSuffix("\\")
    }

    /// Reads the line break between two lines of the entry.
    public mutating func feedLineBreak() {
        comment = false
        if quote != nil { quote = nil; escaped = false }
    }

    public var needsMoreInput: Bool { depth > 0 || endsWithBackslash }
}
