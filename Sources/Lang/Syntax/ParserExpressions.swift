import Foundation

/// Expressions, one method per precedence level (see `Parser`).
extension Parser {

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
