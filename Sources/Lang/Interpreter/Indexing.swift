import Autograd
import Foundation
import NeuralNet
import Random
import Synchronization
import Tensors

/// Indexing, slicing and members.
extension Interpreter {

    func listIndex(_ v: Value, count: Int, at loc: SourceLocation) throws -> Int {
        guard case .number(let x) = v else { throw LangError(.type, "a list index must be a whole number, got a \(v.typeName)", at: loc) }
        let given = try Arguments.whole(x, name: "a list index", .index, callee: "[]", location: loc)
        let i = given < 0 ? given + count : given
        guard i >= 0 && i < count else { throw LangError(.runtime, "index \(given) is out of range for \(count) items (valid: \(-count) to \(count - 1))", at: loc) }
        return i
    }

    func sliceSpecs(_ items: [IndexItem], in env: Environment) throws -> [SliceSpec] {
        func int(_ e: Expr?) throws -> Int? {
            guard let e else { return nil }
            let v = try evaluate(e, in: env)
            guard case .number(let x) = v else {
                throw LangError(.type, "a slice bound must be a whole number, got a \(v.typeName)", at: e.location)
            }
            return try Arguments.whole(x, name: "a slice bound", .index, callee: "[]", location: e.location)
        }
        return try items.map { item in
            switch item {
            case .single(let e): return .index(try int(e)!)
            case .slice(let a, let b, let s): return .range(start: try int(a), end: try int(b), step: try int(s) ?? 1)
            }
        }
    }

    func index(_ base: Value, _ items: [IndexItem], in env: Environment, at loc: SourceLocation) throws -> Value {
        switch base {
        case .tensor(let t):
            // A list or tensor of indices selects rows: x[[0, 2, 5]].
            if items.count == 1, case .single(let e) = items[0] {
                let v = try evaluate(e, in: env)
                switch v {
                case .list, .range, .tensor:
                    let idx = try Arguments.toWholeList(v, .index, callee: "[]", name: "the index", location: loc)
                    do { return .tensor(try t.take(idx)) } catch let err as any ExplainedError { throw LangError(.runtime, err.message, at: loc) }
                default: break
                }
            }
            do { return .tensor(try t.slice(try sliceSpecs(items, in: env))) } catch let err as any ExplainedError {
                throw LangError(.runtime, err.message, at: loc)
            }
        case .list(let l):
            guard items.count == 1 else { throw LangError(.type, "a list takes one index", at: loc) }
            switch items[0] {
            case .single(let e): return l[try listIndex(try evaluate(e, in: env), count: l.count, at: loc)]
            case .slice:
                let spec = try sliceSpecs(items, in: env)[0]
                guard case .range(let s, let e, let step) = spec, step == 1 else {
                    throw LangError(.type, "list slices take start:end", at: loc)
                }
                let n = l.count
                func clamp(_ x: Int?, _ d: Int) -> Int { guard let x else { return d }; return Swift.min(Swift.max(x < 0 ? x + n : x, 0), n) }
                let a = clamp(s, 0), b = clamp(e, n)
                return .list(a < b ? Array(l[a..<b]) : [])
            }
        case .range(let a, let b):
            return try index(.list((a..<Swift.max(a, b)).map { .number(Double($0)) }), items, in: env, at: loc)
        case .string(let s):
            let chars = s.map { Value.string(String($0)) }
            let r = try index(.list(chars), items, in: env, at: loc)
            if case .list(let parts) = r { return .string(parts.map { format($0) }.joined()) }
            return r
        case .object(let o as IndexableObject):
            guard items.count == 1, case .single(let e) = items[0] else { throw LangError(.type, "a \(o.typeName) takes one index", at: loc) }
            return try o.index(try evaluate(e, in: env), at: loc)
        default:
            throw LangError(.type, "a \(base.typeName) cannot be indexed", at: loc)
        }
    }

    public func member(_ base: Value, _ name: String, at loc: SourceLocation) throws -> Value {
        if let m = registry.member(of: base, name) {
            do { return try m.get(base, self) } catch var e as LangError {
                if e.location.line == 0 { e.location = loc }
                throw e
            } catch let e as any ExplainedError { throw LangError(.runtime, "\(base.typeName).\(name): \(e.message)", at: loc) }
        }
        if case .object(let o) = base, let field = o.member(name) { return field }
        // Any builtin works as a method on its first argument: x.sum(), net.fit(...).
        if let b = registry[name] {
            let box = BuiltinBox(b)
            return .function(
                BoundMethod(receiverFirst: name) { args, interp in
                    var a = args
                    a.positional.insert(base, at: 0)
                    return try box.call(a, interp)
                })
        }
        let names = registry.memberNames(of: base)
        let hint = names.isEmpty ? "" : "; it has " + names.joined(separator: ", ")
        throw LangError(.type, "a \(base.typeName) has no member \(name)\(hint)", at: loc)
    }
}
