/// Turns source text into tokens. Newlines separate statements except inside `( )` and
/// `[ ]`; `#` starts a comment that runs to the end of the line.
public struct Lexer {
    let chars: [Character]
    var index = 0
    var line = 1
    var column = 1
    var depth = 0

    public init(_ source: String) { chars = Array(source) }

    static let symbols3 = ["...", "..<"]
    static let symbols2 = ["==", "!=", "<=", ">=", "+=", "-=", "*=", "/=", "->"]
    static let symbols1 = Set("+-*/^@%<>=()[]{},:.;?!")

    public mutating func tokenize() throws -> [Token] {
        var tokens: [Token] = []
        while true {
            skipSpaceAndComments()
            guard index < chars.count else {
                tokens.append(Token(kind: .end, location: here(0)))
                return tokens
            }
            let c = chars[index]
            let start = here(1)
            if c == "\n" {
                advance()
                if depth == 0 { tokens.append(Token(kind: .newline, location: start)) }
                continue
            }
            if c.isNumber || (c == "." && peek(1)?.isNumber == true && !(tokens.last.map(Self.endsOperand) ?? false)) {
                tokens.append(try number())
                continue
            }
            if c.isLetter || c == "_" {
                var s = ""
                while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "_" {
                    s.append(chars[index]); advance()
                }
                let loc = SourceLocation(offset: start.offset, line: start.line, column: start.column, length: s.count)
                tokens.append(Token(kind: Keywords.all.contains(s) ? .keyword(s) : .identifier(s), location: loc))
                continue
            }
            if c == "\"" || c == "'" {
                tokens.append(try string(quote: c))
                continue
            }
            if let s = Self.symbols3.first(where: { matches($0) }) ?? Self.symbols2.first(where: { matches($0) }) {
                for _ in s { advance() }
                tokens.append(Token(kind: .symbol(s), location: SourceLocation(offset: start.offset, line: start.line, column: start.column, length: s.count)))
                continue
            }
            if Self.symbols1.contains(c) {
                advance()
                if c == "(" || c == "[" { depth += 1 }
                if (c == ")" || c == "]") && depth > 0 { depth -= 1 }
                tokens.append(Token(kind: .symbol(String(c)), location: start))
                continue
            }
            throw LangError(.syntax, "unexpected character '\(c)'", at: start)
        }
    }

    static func endsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .number, .string, .identifier: true
        case .symbol(let s): s == ")" || s == "]"
        default: false
        }
    }

    func here(_ length: Int) -> SourceLocation { SourceLocation(offset: index, line: line, column: column, length: length) }
    func peek(_ k: Int) -> Character? { index + k < chars.count ? chars[index + k] : nil }
    func matches(_ s: String) -> Bool {
        for (k, ch) in s.enumerated() where peek(k) != ch { return false }
        return true
    }

    mutating func advance() {
        if chars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    mutating func skipSpaceAndComments() {
        while index < chars.count {
            let c = chars[index]
            if c == " " || c == "\t" || c == "\r" { advance() } else if c == "\\" && peek(1) == "\n" { advance(); advance() } else if c == "#" { while index < chars.count && chars[index] != "\n" { advance() } } else { return }
        }
    }

    mutating func number() throws -> Token {
        let start = here(1)
        var s = ""
        func digits() { while index < chars.count, chars[index].isNumber || chars[index] == "_" { if chars[index] != "_" { s.append(chars[index]) }; advance() } }
        digits()
        // A '.' followed by a digit is a fraction; '..' or '...' is a range operator.
        if index < chars.count, chars[index] == ".", peek(1) != ".", peek(1)?.isLetter != true {
            s.append("."); advance(); digits()
        }
        if index < chars.count, chars[index] == "e" || chars[index] == "E",
            let next = peek(1), next.isNumber || ((next == "-" || next == "+") && peek(2)?.isNumber == true)
        {
            s.append("e"); advance()
            if chars[index] == "-" || chars[index] == "+" { s.append(chars[index]); advance() }
            digits()
        }
        let loc = SourceLocation(offset: start.offset, line: start.line, column: start.column, length: index - start.offset)
        guard let v = Double(s) else { throw LangError(.syntax, "malformed number '\(s)'", at: loc) }
        return Token(kind: .number(v), location: loc)
    }

    mutating func string(quote: Character) throws -> Token {
        let start = here(1)
        advance()
        var s = ""
        while index < chars.count, chars[index] != quote {
            if chars[index] == "\n" { break }
            if chars[index] == "\\", let n = peek(1) {
                advance(); advance()
                switch n {
                case "n": s.append("\n")
                case "t": s.append("\t")
                default: s.append(n)
                }
                continue
            }
            s.append(chars[index]); advance()
        }
        guard index < chars.count, chars[index] == quote else {
            throw LangError(.syntax, "unterminated string: add a closing \(quote)", at: start)
        }
        advance()
        return Token(kind: .string(s), location: SourceLocation(offset: start.offset, line: start.line, column: start.column, length: index - start.offset))
    }
}
