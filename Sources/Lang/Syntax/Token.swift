/// The lexical categories of the language.
public enum TokenKind: Sendable, Equatable {
    case number(Double)
    case string(String)
    case identifier(String)
    case keyword(String)
    case symbol(String)
    case newline
    case end
}

public struct Token: Sendable, Equatable {
    public let kind: TokenKind
    public let location: SourceLocation

    var text: String {
        switch kind {
        case .number(let v): v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
        case .string(let s): "\"\(s)\""
        case .identifier(let s), .keyword(let s), .symbol(let s): s
        case .newline: "end of line"
        case .end: "end of input"
        }
    }
}

public enum Keywords {
    public static let all: Set<String> = [
        "fn", "for", "in", "if", "else", "while", "return", "break", "continue",
        "and", "or", "not", "true", "false", "none", "no_grad"
    ]
}
