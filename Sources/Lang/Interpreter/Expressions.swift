import Autograd
import Foundation
import NeuralNet
import Random
import Synchronization
import Tensors

/// Expressions: names, literals, calls and the other syntax forms.
extension Interpreter {

    public func evaluate(_ expr: Expr, in env: Environment) throws -> Value {
        guard let observer, callDepth == 0 else { return try evaluateNode(expr, in: env) }
        let value = try evaluateNode(expr, in: env)
        switch expr {
        case .name, .member, .index, .call: return observer(expr, value)
        default: return value
        }
    }

    func evaluateNode(_ expr: Expr, in env: Environment) throws -> Value {
        guard stackRoom.hasRoom() else { throw Self.tooDeep(at: expr.location) }
        switch expr {
        case .number(let v, _): return .number(v)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .name(let name, let loc):
            if let v = env.lookup(name) { return v }
            if let b = registry[name] { return .function(BuiltinBox(b)) }
            throw LangError(.name, "\(name) is not defined\(suggestion(for: name, in: env))", at: loc)
        case .list(let items, _):
            return .list(try items.map { try evaluate($0, in: env) })
        case .unary(let op, let operand, let loc):
            let v = try evaluate(operand, in: env)
            switch (op, v) {
            case ("not", _): return .bool(!(try v.truth(at: loc)))
            case ("-", .number(let x)): return .number(-x)
            case ("-", .tensor(let t)): return .tensor(-t)
            case ("+", .number), ("+", .tensor): return v
            default: throw LangError(.type, "cannot apply unary \(op) to a \(v.typeName)", at: loc)
            }
        case .binary(let op, let l, let r, let loc):
            return try binary(op, try evaluate(l, in: env), try evaluate(r, in: env), at: loc)
        case .logical(let op, let l, let r, let loc):
            let left = try evaluate(l, in: env)
            let lt = try left.truth(at: loc)
            if op == "and" { return lt ? try evaluate(r, in: env) : left }
            return lt ? left : try evaluate(r, in: env)
        case .range(let lo, let hi, let closed, let loc):
            let a = try evaluate(lo, in: env), b = try evaluate(hi, in: env)
            guard case .number(let x) = a, case .number(let y) = b else {
                throw LangError(.type, "a range needs whole numbers on both sides, got \(a.typeName) and \(b.typeName)", at: loc)
            }
            let lower = try Arguments.whole(x, name: "the start", .index, callee: "range", location: loc)
            let upper = try Arguments.whole(y, name: "the end", .index, callee: "range", location: loc)
            return .range(lower, upper + (closed ? 1 : 0))
        case .call(let calleeExpr, let argExprs, let loc):
            let callee = try evaluate(calleeExpr, in: env)
            let function: Callable?
            switch callee {
            case .function(let f): function = f
            case .object(let o): function = o as? Callable
            default: function = nil
            }
            guard let f = function else {
                throw LangError(.type, "a \(callee.typeName) cannot be called", at: calleeExpr.location)
            }
            var positional: [Value] = [], keyword: [String: Value] = [:]
            for a in argExprs {
                let v = try evaluate(a.value, in: env)
                if let label = a.label {
                    guard keyword[label] == nil else { throw LangError(.syntax, "argument \(label): given twice", at: a.value.location) }
                    keyword[label] = v
                } else {
                    guard keyword.isEmpty else {
                        throw LangError(.syntax, "positional arguments must come before labelled ones", at: a.value.location)
                    }
                    positional.append(v)
                }
            }
            return try call(f, Arguments(positional: positional, keyword: keyword, location: loc, callee: f.name))
        case .index(let baseExpr, let items, let loc):
            return try index(try evaluate(baseExpr, in: env), items, in: env, at: loc)
        case .member(let baseExpr, let name, let loc):
            return try member(try evaluate(baseExpr, in: env), name, at: loc)
        case .lambda(let params, let body, _):
            return .function(UserFunction(name: "fn", parameters: params, body: body, closure: env))
        case .block(let stmts, let noGrad, _):
            if noGrad { return try withoutGradient { try executeBlock(stmts, in: env) } ?? .none }
            return try executeBlock(stmts, in: env) ?? .none
        }
    }

    /// Calls `f`, turning engine errors into located language errors.
    public func call(_ f: Callable, _ args: Arguments) throws -> Value {
        do {
            return try f.call(args, self)
        } catch let e as any ExplainedError {
            throw LangError(.runtime, e.message.hasPrefix(f.name) ? e.message : "\(f.name): \(e.message)", at: args.location)
        } catch let e as LangError where e.location.line == 0 {
            var located = e
            located.location = args.location
            throw located
        }
    }

    func suggestion(for name: String, in env: Environment) -> String {
        let candidates = Set(registry.order + env.names + globals.names)
        let close = candidates.filter { editDistance($0, name) <= max(1, name.count / 4) }.sorted()
        return close.isEmpty ? "" : "; did you mean \(close.prefix(3).joined(separator: ", "))?"
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    for i in 1...x.count {
        var row = [i] + Array(repeating: 0, count: y.count)
        for j in 1...y.count {
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        previous = row
    }
    return previous[y.count]
}
