import Foundation

/// Recursive descent, one method per precedence level (lowest first):
/// ```
/// or  <  and  <  not  <  == != < <= > >=  <  ... ..<  <  + -  <  * / @ %  <  unary −  <  ^  <  call, index, member
/// ```
/// `^` is right-associative and binds tighter than unary minus (`-2^2 = -4`).
public struct Parser {
    var tokens: [Token]
    var position = 0
    var nesting = 0
    let room = StackRoom.current()

    /// The deepest an entry may nest brackets, operators, chains and `else if`s (10,000):
    /// deep enough for any program a person writes, shallow enough that evaluating and
    /// freeing the tree it makes cannot exhaust the stack.
    public static let maximumDepth = 10_000

    /// One level deeper; an error once the entry is nested beyond `maximumDepth` or the
    /// thread's stack is nearly used up.
    mutating func descend() throws {
        nesting += 1
        guard nesting <= Self.maximumDepth, room.hasRoom() else {
            throw LangError(.syntax, "this entry is nested too deeply (more than \(Self.maximumDepth) brackets, operators or 'else if's in a chain); split it into several statements", at: current.location)
        }
    }

    public init(_ source: String) throws {
        var lexer = Lexer(source)
        tokens = try lexer.tokenize()
    }

    /// Parses a whole program.
    public static func parse(_ source: String) throws -> [Stmt] {
        var p = try Parser(source)
        return try p.program()
    }

    mutating func program() throws -> [Stmt] {
        var statements: [Stmt] = []
        skipSeparators()
        while !atEnd {
            statements.append(try statement())
            if !atEnd && !isSymbol("}") {
                guard isSeparator else {
                    throw LangError(.syntax, "expected a new line or ';' before \(current.text)", at: current.location)
                }
            }
            skipSeparators()
            if isSymbol("}") { throw LangError(.syntax, "unmatched '}'", at: current.location) }
        }
        return statements
    }

    // MARK: tokens

    var current: Token { tokens[position] }
    var atEnd: Bool { if case .end = current.kind { return true }; return false }
    var isSeparator: Bool {
        if case .newline = current.kind { return true }
        return isSymbol(";")
    }
    func isSymbol(_ s: String) -> Bool { if case .symbol(s) = current.kind { return true }; return false }
    func isKeyword(_ s: String) -> Bool { if case .keyword(s) = current.kind { return true }; return false }
    func peekIsSymbol(_ s: String, _ k: Int = 1) -> Bool {
        guard position + k < tokens.count else { return false }
        if case .symbol(s) = tokens[position + k].kind { return true }
        return false
    }
    mutating func skipSeparators() { while isSeparator { position += 1 } }
    mutating func skipNewlines() { while case .newline = current.kind { position += 1 } }
    @discardableResult
    mutating func advance() -> Token { let t = current; if !atEnd { position += 1 }; return t }

    mutating func expectSymbol(_ s: String, _ context: String) throws -> Token {
        if atEnd && s != "=" && !isSymbol(s) {
            throw LangError(.syntax, "the input ended early: expected '\(s)' \(context) (is a closing ')', ']' or '}' missing?)", at: current.location)
        }
        guard isSymbol(s) else {
            throw LangError(.syntax, "expected '\(s)' \(context), found \(current.text)", at: current.location)
        }
        return advance()
    }

    mutating func identifier(_ context: String) throws -> (String, SourceLocation) {
        guard case .identifier(let name) = current.kind else {
            throw LangError(.syntax, "expected a name \(context), found \(current.text)", at: current.location)
        }
        let loc = advance().location
        return (name, loc)
    }

    // MARK: statements

    mutating func statement() throws -> Stmt {
        let start = current.location
        if isKeyword("fn"), case .identifier = tokens[position + 1].kind { return try functionDeclaration() }
        if isKeyword("for") {
            advance()
            let (name, _) = try identifier("after 'for'")
            guard isKeyword("in") else { throw LangError(.syntax, "expected 'in' after 'for \(name)'", at: current.location) }
            advance()
            let sequence = try expression()
            return .forIn(name, sequence, try block("for the loop body"), start)
        }
        if isKeyword("while") {
            advance()
            let condition = try expression()
            return .whileLoop(condition, try block("for the loop body"), start)
        }
        if isKeyword("if") { return try ifStatement() }
        if isKeyword("return") {
            advance()
            if isSeparator || atEnd || isSymbol("}") { return .returnValue(nil, start) }
            return .returnValue(try expression(), start)
        }
        if isKeyword("break") { advance(); return .breakLoop(start) }
        if isKeyword("continue") { advance(); return .continueLoop(start) }

        let first = try expression()
        if isSymbol(",") {
            var targets = [first]
            while isSymbol(",") { advance(); targets.append(try expression()) }
            let eq = try expectSymbol("=", "after the names to assign")
            for t in targets { try checkAssignable(t) }
            return .assign(targets, try expression(), eq.location)
        }
        if isSymbol("=") {
            let eq = advance()
            try checkAssignable(first)
            return .assign([first], try expression(), eq.location)
        }
        for op in ["+=", "-=", "*=", "/="] where isSymbol(op) {
            let t = advance()
            try checkAssignable(first)
            return .compound(first, String(op.dropLast()), try expression(), t.location)
        }
        return .expression(first)
    }

    func checkAssignable(_ e: Expr) throws {
        switch e {
        case .name, .index, .member: return
        default: throw LangError(.syntax, "cannot assign to this expression; assign to a name, an element x[i] or a member", at: e.location)
        }
    }

    mutating func functionDeclaration() throws -> Stmt {
        let start = advance().location
        let (name, _) = try identifier("after 'fn'")
        let params = try parameterList()
        return .function(name, params, try functionBody(), start)
    }

    mutating func parameterList() throws -> [FunctionParameter] {
        _ = try expectSymbol("(", "to start the parameter list")
        var params: [FunctionParameter] = []
        while !isSymbol(")") {
            let (p, _) = try identifier("for a parameter")
            var defaultValue: Expr?
            if isSymbol(":") || isSymbol("=") { advance(); defaultValue = try expression() }
            params.append(FunctionParameter(name: p, defaultValue: defaultValue))
            if !isSymbol(")") { _ = try expectSymbol(",", "between parameters") }
        }
        advance()
        return params
    }

    /// `= expr` or `{ statements }`.
    mutating func functionBody() throws -> [Stmt] {
        if isSymbol("=") {
            advance()
            let e = try expression()
            return [.returnValue(e, e.location)]
        }
        return try block("for the function body (or '= expression')")
    }

    mutating func ifStatement() throws -> Stmt {
        let start = advance().location
        let condition = try expression()
        let then = try block("after the if condition")
        let save = position
        skipNewlines()
        if isKeyword("else") {
            advance()
            if isKeyword("if") {
                let depth = nesting
                defer { nesting = depth }
                try descend()
                return .ifElse(condition, then, [try ifStatement()], start)
            }
            return .ifElse(condition, then, try block("after 'else'"), start)
        }
        position = save
        return .ifElse(condition, then, nil, start)
    }

    mutating func block(_ context: String) throws -> [Stmt] {
        skipNewlines()
        _ = try expectSymbol("{", context)
        var statements: [Stmt] = []
        skipSeparators()
        while !isSymbol("}") {
            if atEnd { throw LangError(.syntax, "this block is missing its closing '}'", at: current.location) }
            statements.append(try statement())
            if !isSymbol("}") {
                guard isSeparator else {
                    throw LangError(.syntax, "expected a new line, ';' or '}' before \(current.text)", at: current.location)
                }
            }
            skipSeparators()
        }
        advance()
        return statements
    }

    // MARK: expressions

    public mutating func expression() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        try descend()
        return try orExpression()
    }

    mutating func orExpression() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var left = try andExpression()
        while isKeyword("or") { try descend(); let t = advance(); left = .logical("or", left, try andExpression(), t.location) }
        return left
    }

    mutating func andExpression() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var left = try notExpression()
        while isKeyword("and") { try descend(); let t = advance(); left = .logical("and", left, try notExpression(), t.location) }
        return left
    }

    mutating func notExpression() throws -> Expr {
        if isKeyword("not") {
            let depth = nesting
            defer { nesting = depth }
            try descend()
            let t = advance()
            return .unary("not", try notExpression(), t.location)
        }
        return try comparison()
    }

    mutating func comparison() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var left = try rangeExpression()
        while let op = ["==", "!=", "<", "<=", ">", ">="].first(where: { isSymbol($0) }) {
            try descend()
            let t = advance()
            left = .binary(op, left, try rangeExpression(), t.location)
        }
        return left
    }

    mutating func rangeExpression() throws -> Expr {
        let left = try additive()
        if isSymbol("...") || isSymbol("..<") {
            let t = advance()
            return .range(left, try additive(), closed: t.text == "...", t.location)
        }
        return left
    }

    mutating func additive() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var left = try multiplicative()
        while let op = ["+", "-"].first(where: { isSymbol($0) }) {
            try descend()
            let t = advance()
            left = .binary(op, left, try multiplicative(), t.location)
        }
        return left
    }

    mutating func multiplicative() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var left = try unary()
        while let op = ["*", "/", "@", "%"].first(where: { isSymbol($0) }) {
            try descend()
            let t = advance()
            left = .binary(op, left, try unary(), t.location)
        }
        return left
    }

    mutating func unary() throws -> Expr {
        if isSymbol("-") || isSymbol("+") {
            let depth = nesting
            defer { nesting = depth }
            try descend()
            let t = advance()
            return .unary(t.text, try unary(), t.location)
        }
        return try power()
    }

    mutating func power() throws -> Expr {
        let base = try postfix()
        if isSymbol("^") {
            let depth = nesting
            defer { nesting = depth }
            try descend()
            let t = advance()
            return .binary("^", base, try unary(), t.location)
        }
        return base
    }

    mutating func postfix() throws -> Expr {
        let depth = nesting
        defer { nesting = depth }
        var e = try primary()
        while true {
            try descend()
            if isSymbol("(") {
                let open = advance()
                var args: [CallArgument] = []
                while !isSymbol(")") {
                    if atEnd { throw LangError(.syntax, "this call is missing its closing ')'", at: open.location) }
                    if case .identifier(let label) = current.kind, peekIsSymbol(":") {
                        advance(); advance()
                        args.append(CallArgument(label: label, value: try expression()))
                    } else {
                        args.append(CallArgument(label: nil, value: try expression()))
                    }
                    if !isSymbol(")") { _ = try expectSymbol(",", "between arguments") }
                }
                let close = advance()
                e = .call(e, args, spanning(e.location, close.location))
            } else if isSymbol("[") {
                let open = advance()
                var items: [IndexItem] = []
                while !isSymbol("]") {
                    if atEnd { throw LangError(.syntax, "this index is missing its closing ']'", at: open.location) }
                    items.append(try indexItem())
                    if !isSymbol("]") { _ = try expectSymbol(",", "between indices") }
                }
                let close = advance()
                e = .index(e, items, spanning(e.location, close.location))
            } else if isSymbol(".") {
                advance()
                let (name, loc) = try identifier("after '.'")
                e = .member(e, name, spanning(e.location, loc))
            } else {
                return e
            }
        }
    }

    func spanning(_ a: SourceLocation, _ b: SourceLocation) -> SourceLocation {
        guard a.line == b.line else { return a }
        return SourceLocation(offset: a.offset, line: a.line, column: a.column, length: max(a.length, b.offset + b.length - a.offset))
    }

    mutating func indexItem() throws -> IndexItem {
        var start: Expr?
        if !isSymbol(":") { start = try expression() }
        guard isSymbol(":") else { return .single(start!) }
        advance()
        var end: Expr?, step: Expr?
        if !isSymbol(":") && !isSymbol(",") && !isSymbol("]") { end = try expression() }
        if isSymbol(":") {
            advance()
            if !isSymbol(",") && !isSymbol("]") { step = try expression() }
        }
        return .slice(start, end, step)
    }

    mutating func primary() throws -> Expr {
        let t = current
        switch t.kind {
        case .number(let v): advance(); return .number(v, t.location)
        case .string(let s): advance(); return .string(s, t.location)
        case .identifier(let s): advance(); return .name(s, t.location)
        case .keyword("true"): advance(); return .bool(true, t.location)
        case .keyword("false"): advance(); return .bool(false, t.location)
        case .keyword("none"): advance(); return .none(t.location)
        case .keyword("fn"):
            advance()
            let params = try parameterList()
            return .lambda(params, try functionBody(), t.location)
        case .keyword("no_grad"):
            advance()
            return .block(try block("after no_grad"), noGrad: true, t.location)
        case .symbol("("):
            advance()
            skipNewlines()
            let e = try expression()
            _ = try expectSymbol(")", "to close '('")
            return e
        case .symbol("["):
            advance()
            var items: [Expr] = []
            while !isSymbol("]") {
                if atEnd { throw LangError(.syntax, "this list is missing its closing ']'", at: t.location) }
                items.append(try expression())
                if !isSymbol("]") { _ = try expectSymbol(",", "between list items") }
            }
            advance()
            return .list(items, t.location)
        case .symbol("{"):
            return .block(try block("to start a block"), noGrad: false, t.location)
        case .end:
            throw LangError(.syntax, "the input ended where an expression was expected", at: t.location)
        default:
            throw LangError(.syntax, "expected an expression, found \(t.text)", at: t.location)
        }
    }
}

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
