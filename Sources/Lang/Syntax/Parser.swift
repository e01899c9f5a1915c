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
}
