import Autograd
import Foundation
import Kernels
import NeuralNet
import Synchronization
import Tensors

/// Set by Ctrl-C; polled by loops and the trainer so a long evaluation stops cleanly.
public final class InterruptFlag: Sendable {
    let flag = Atomic<Bool>(false)
    public init() {}
    public func raise() { flag.store(true, ordering: .relaxed) }
    public func clear() { flag.store(false, ordering: .relaxed) }
    public var isRaised: Bool { flag.load(ordering: .relaxed) }
}

/// Thrown when an evaluation is interrupted; the session stays intact.
public struct Interrupted: Error, CustomStringConvertible {
    public var description: String { "interrupted" }
}

/// Evaluates programs against one session: globals, builtins, a seeded generator, output.
///
/// The REPL, the script runner, the lesson runner and the tests all call `run(_:)`.
public final class Interpreter {
    public let globals = Environment()
    public var registry: BuiltinRegistry
    /// Receives printed text (one call per line).
    public var output: (String) -> Void = { print($0) }
    /// Receives transient status text such as progress bars; nil prints none.
    public var status: ((String) -> Void)?
    public let interrupt = InterruptFlag()
    /// Whether pictures may use ANSI colours.
    public var color = false
    /// The session's random stream (reseeded by `seed(n)` and `--seed`).
    public var generator = SeededGenerator(seed: 0)
    /// The stack floor of the thread running the current entry (see `StackRoom`).
    var stackRoom = StackRoom(floor: 0)
    public private(set) var seedValue: UInt64 = 0
    /// The layer computations the `relu`, `conv2d`, `max_pool2d` and `dropout` builtins and
    /// every model called from this interpreter use (`:use homework` installs the student's).
    public var backend: any LayerBackend = EngineBackend()
    /// Nesting of user function calls, bounded so runaway recursion is an error, not a crash.
    var callDepth = 0
    public static let maximumCallDepth = 200

    public init(registry: BuiltinRegistry = Builtins.standard) {
        self.registry = registry
    }

    public func reseed(_ seed: UInt64) {
        seedValue = seed
        generator = SeededGenerator(seed: seed)
    }

    /// Parses and runs `source`; returns the value of its last statement if that statement
    /// is an expression (what the prompt prints).
    @discardableResult
    public func run(_ source: String) throws -> Value? {
        // Models called from here (net(x), fit) compute with the same backend as the builtins.
        try LayerBackends.$active.withValue(backend) { try runProgram(source) }
    }

    func runProgram(_ source: String) throws -> Value? {
        stackRoom = .current()
        let program = try Parser.parse(source)
        var last: Value?
        do {
            for stmt in program {
                last = try execute(stmt, in: globals)
            }
        } catch let flow as ControlFlow {
            switch flow {
            case .returned(let v): return v
            case .breakLoop(let loc): throw LangError(.syntax, "'break' outside a loop", at: loc)
            case .continueLoop(let loc): throw LangError(.syntax, "'continue' outside a loop", at: loc)
            }
        }
        return last
    }

    // MARK: statements

    enum ControlFlow: Error {
        case returned(Value)
        case breakLoop(SourceLocation)
        case continueLoop(SourceLocation)
    }

    /// Runs one statement; expression statements return their value.
    /// `x = name(x, value)` for a builtin with an in-place form (`append`): evaluates `value`,
    /// moves x's value out of its scope, updates it and puts it back. False when the
    /// statement has another shape (it is then evaluated the ordinary way).
    func updateInPlace(_ targets: [Expr], _ valueExpr: Expr, in env: Environment) throws -> Bool {
        guard targets.count == 1, case .name(let target, _) = targets[0],
              case .call(.name(let callee, _), let arguments, _) = valueExpr, arguments.count == 2,
              arguments.allSatisfy({ $0.label == nil }), case .name(let first, _) = arguments[0].value, first == target,
              env.lookup(callee) == nil, let update = registry[callee]?.updateInPlace,
              case .list? = env.lookup(target) else { return false }
        let value = try evaluate(arguments[1].value, in: env)
        guard var (owner, current) = env.take(target) else { return false }
        do { try update(&current, value) } catch {
            owner.define(target, current)
            throw error
        }
        owner.define(target, current)
        return true
    }

    /// Evaluation stops with this error while the stack still has room, whatever made the
    /// program deep (recursion through functions, a deep tree, a callback inside a builtin).
    static func tooDeep(at location: SourceLocation) -> LangError {
        LangError(.runtime, "the program is nested too deeply to evaluate (too much recursion or a chain of operations too long); split it up", at: location)
    }

    func execute(_ stmt: Stmt, in env: Environment) throws -> Value? {
        guard stackRoom.hasRoom() else { throw Self.tooDeep(at: .unknown) }
        if interrupt.isRaised { throw Interrupted() }
        switch stmt {
        case .expression(let e):
            return try evaluate(e, in: env)
        case .assign(let targets, let valueExpr, let loc):
            if try updateInPlace(targets, valueExpr, in: env) { return nil }
            let value = try evaluate(valueExpr, in: env)
            if targets.count == 1 {
                try assign(targets[0], value, in: env)
            } else {
                let parts = try value.elements(at: loc)
                guard parts.count == targets.count else {
                    throw LangError(.type, "cannot unpack \(parts.count) values into \(targets.count) names", at: loc)
                }
                for (t, v) in zip(targets, parts) { try assign(t, v, in: env) }
            }
            return nil
        case .compound(let target, let op, let rhsExpr, let loc):
            let current = try evaluate(target, in: env)
            let rhs = try evaluate(rhsExpr, in: env)
            if case .tensor(let t) = current {
                // An in-place update is never recorded by autograd: it is how an update step is written.
                let r = try Arguments.toTensor(rhs, callee: op + "=", name: "right side", location: loc).value
                let updated: Tensor<Float>
                do {
                    switch op {
                    case "+": updated = try t.value + r
                    case "-": updated = try t.value - r
                    case "*": updated = try t.value * r
                    default: updated = try t.value / r
                    }
                } catch let e as TensorError { throw LangError(.runtime, e.message, at: loc) }
                guard updated.shape == t.shape else {
                    throw LangError(.runtime, "\(op)= would change the shape from \(t.shape) to \(updated.shape)", at: loc)
                }
                t.value = updated
                return nil
            }
            try assign(target, try binary(op, current, rhs, at: loc), in: env)
            return nil
        case .function(let name, let params, let body, _):
            env.define(name, .function(UserFunction(name: name, parameters: params, body: body, closure: env)))
            return nil
        case .forIn(let name, let seqExpr, let body, let loc):
            let seq = try evaluate(seqExpr, in: env)
            // Ranges are walked lazily, so `for i in 1...1_000_000_000` needs no list.
            let items: AnySequence<Value>
            if case .range(let a, let b) = seq { items = AnySequence((a..<Swift.max(a, b)).lazy.map { Value.number(Double($0)) }) }
            else { items = AnySequence(try seq.elements(at: loc)) }
            for item in items {
                env.assign(name, item)
                guard try runLoopBody(body, in: env) else { break }
            }
            return nil
        case .whileLoop(let condition, let body, _):
            while try evaluate(condition, in: env).truth(at: condition.location) {
                guard try runLoopBody(body, in: env) else { break }
            }
            return nil
        case .ifElse(let condition, let then, let otherwise, _):
            if try evaluate(condition, in: env).truth(at: condition.location) { return try executeBlock(then, in: env) }
            if let otherwise { return try executeBlock(otherwise, in: env) }
            return nil
        case .returnValue(let e, _):
            throw ControlFlow.returned(try e.map { try evaluate($0, in: env) } ?? .none)
        case .breakLoop(let loc):
            throw ControlFlow.breakLoop(loc)
        case .continueLoop(let loc):
            throw ControlFlow.continueLoop(loc)
        }
    }

    /// One pass of a loop body; false when it ran `break`. Checks for Ctrl-C first, so even
    /// an empty body can be interrupted.
    func runLoopBody(_ body: [Stmt], in env: Environment) throws -> Bool {
        if interrupt.isRaised { throw Interrupted() }
        do {
            _ = try executeBlock(body, in: env)
        } catch let flow as ControlFlow {
            switch flow {
            case .breakLoop: return false
            case .continueLoop: return true
            case .returned: throw flow
            }
        }
        return true
    }

    /// Blocks share their enclosing scope (like Python), so loop variables stay visible after.
    func executeBlock(_ stmts: [Stmt], in env: Environment) throws -> Value? {
        var last: Value?
        for s in stmts { last = try execute(s, in: env) }
        return last
    }

    func callBody(_ body: [Stmt], in env: Environment) throws -> Value {
        do {
            return try executeBlock(body, in: env) ?? .none
        } catch ControlFlow.returned(let v) {
            return v
        } catch ControlFlow.breakLoop(let loc) {
            throw LangError(.syntax, "'break' outside a loop", at: loc)
        } catch ControlFlow.continueLoop(let loc) {
            throw LangError(.syntax, "'continue' outside a loop", at: loc)
        }
    }

    func assign(_ target: Expr, _ value: Value, in env: Environment) throws {
        switch target {
        case .name(let name, let loc):
            if registry[name] != nil && env.lookup(name) == nil && env === globals {
                throw LangError(.name, "\(name) is a builtin; choose another name", at: loc)
            }
            if case .tensor(let t) = value, t.requiresGrad { t.retainsGrad = true; if t.name.isEmpty { t.name = name } }
            env.assign(name, value)
        case .member(let objectExpr, let name, let loc):
            let object = try evaluate(objectExpr, in: env)
            guard let m = registry.member(of: object, name) else {
                throw LangError(.type, "a \(object.typeName) has no member \(name) to set", at: loc)
            }
            try m.assign(object, value, self, at: loc)
        case .index(let baseExpr, let items, let loc):
            let base = try evaluate(baseExpr, in: env)
            switch base {
            case .tensor(let t):
                let specs = try sliceSpecs(items, in: env)
                do {
                    let old = try t.value.slice(specs)
                    let new = try Arguments.toTensor(value, callee: "[]=", name: "value", location: loc).value
                    let delta = try new.broadcast(to: old.shape) - old
                    t.value = try t.value.scatterAdd(specs, delta)
                } catch let e as TensorError { throw LangError(.runtime, e.message, at: loc) }
            case .list(var l):
                guard items.count == 1, case .single(let ie) = items[0] else {
                    throw LangError(.type, "a list takes one index", at: loc)
                }
                let i = try listIndex(try evaluate(ie, in: env), count: l.count, at: loc)
                l[i] = value
                try assign(baseExpr, .list(l), in: env)
            default:
                throw LangError(.type, "cannot assign into a \(base.typeName)", at: loc)
            }
        default:
            throw LangError(.syntax, "cannot assign to this expression", at: target.location)
        }
    }

    // MARK: expressions

    public func evaluate(_ expr: Expr, in env: Environment) throws -> Value {
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
        } catch let e as TensorError {
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

    // MARK: operators

    public func binary(_ op: String, _ a: Value, _ b: Value, at loc: SourceLocation) throws -> Value {
        do {
            switch (a, b) {
            case (.number(let x), .number(let y)):
                switch op {
                case "+": return .number(x + y)
                case "-": return .number(x - y)
                case "*": return .number(x * y)
                case "/": return .number(x / y)
                case "%": return .number(x.truncatingRemainder(dividingBy: y))
                case "^": return .number(Foundation.pow(x, y))
                case "==": return .bool(x == y)
                case "!=": return .bool(x != y)
                case "<": return .bool(x < y)
                case "<=": return .bool(x <= y)
                case ">": return .bool(x > y)
                case ">=": return .bool(x >= y)
                default: break
                }
            case (.string(let x), .string(let y)):
                switch op {
                case "+": return .string(x + y)
                case "==": return .bool(x == y)
                case "!=": return .bool(x != y)
                case "<": return .bool(x < y)
                case ">": return .bool(x > y)
                default: break
                }
            case (.string(let x), _) where op == "+": return .string(x + format(b))
            case (.list(let x), .list(let y)) where op == "+": return .list(x + y)
            case (.list, .list) where op == "==" || op == "!=":
                return .bool(try valuesEqual(a, b, at: loc) == (op == "=="))
            case (.bool(let x), .bool(let y)) where op == "==" || op == "!=": return .bool((x == y) == (op == "=="))
            case (.none, _) where op == "==" || op == "!=": return .bool(b.isNone == (op == "=="))
            case (_, .none) where op == "==" || op == "!=": return .bool(a.isNone == (op == "=="))
            case (.tensor, _), (_, .tensor):
                return try tensorBinary(op, a, b, at: loc)
            default: break
            }
        } catch let e as TensorError {
            throw LangError(.runtime, e.message, at: loc)
        }
        if (op == "==" || op == "!="), case .object(let x) = a, case .object(let y) = b { return .bool((x === y) == (op == "==")) }
        throw LangError(.type, "cannot apply \(op) to a \(a.typeName) and a \(b.typeName)", at: loc)
    }

    func tensorBinary(_ op: String, _ a: Value, _ b: Value, at loc: SourceLocation) throws -> Value {
        // Scalars stay scalars so the graph does not grow a broadcast node for them.
        if case .tensor(let t) = a, case .number(let y) = b {
            let s = Float(y)
            switch op {
            case "+": return .tensor(t + s)
            case "-": return .tensor(t - s)
            case "*": return .tensor(t * s)
            case "/": return .tensor(t / s)
            case "^": return .tensor(t.pow(s))
            default: break
            }
        }
        if case .number(let x) = a, case .tensor(let t) = b {
            let s = Float(x)
            switch op {
            case "+": return .tensor(s + t)
            case "-": return .tensor(s - t)
            case "*": return .tensor(s * t)
            default: break
            }
        }
        let x = try Arguments.toTensor(a, callee: op, name: "left side", location: loc)
        let y = try Arguments.toTensor(b, callee: op, name: "right side", location: loc)
        switch op {
        case "+": return .tensor(try x + y)
        case "-": return .tensor(try x - y)
        case "*": return .tensor(try x * y)
        case "/": return .tensor(try x / y)
        case "@":
            guard x.value.rank == 2 && y.value.rank == 2 else {
                throw LangError(.runtime, "@ multiplies matrices: got shapes \(x.shape) and \(y.shape) (reshape to 2-D first)", at: loc)
            }
            guard x.shape[1] == y.shape[0] else {
                throw LangError(.runtime, "@: inner sizes differ: \(x.shape) @ \(y.shape) needs \(x.shape[1]) == \(y.shape[0])", at: loc)
            }
            return .tensor(try x.matmul(y))
        case "^":
            guard y.value.count == 1 else { throw LangError(.runtime, "^ takes a number exponent, got shape \(y.shape)", at: loc) }
            return .tensor(x.pow(y.value.scalars[0]))
        case "==": return .tensor(Variable(try x.value.equal(y.value)))
        case "!=": return .tensor(Variable(try x.value.notEqual(y.value)))
        case "<": return .tensor(Variable(try x.value.less(y.value)))
        case "<=": return .tensor(Variable(try x.value.lessEqual(y.value)))
        case ">": return .tensor(Variable(try x.value.greater(y.value)))
        case ">=": return .tensor(Variable(try x.value.greaterEqual(y.value)))
        default: throw LangError(.type, "cannot apply \(op) to tensors", at: loc)
        }
    }

    /// Structural equality for lists, numbers, strings, bools and none.
    func valuesEqual(_ a: Value, _ b: Value, at loc: SourceLocation) throws -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            for (p, q) in zip(x, y) where try !valuesEqual(p, q, at: loc) { return false }
            return true
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        case (.none, .none): return true
        case (.tensor(let x), .tensor(let y)): return x.value == y.value
        default: return false
        }
    }

    // MARK: indexing and members

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
                    do { return .tensor(try t.take(idx)) } catch let err as TensorError { throw LangError(.runtime, err.message, at: loc) }
                default: break
                }
            }
            do { return .tensor(try t.slice(try sliceSpecs(items, in: env))) } catch let err as TensorError {
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
            }
        }
        if case .object(let o) = base, let field = o.member(name) { return field }
        // Any builtin works as a method on its first argument: x.sum(), net.fit(...).
        if let b = registry[name] {
            let box = BuiltinBox(b)
            return .function(BoundMethod(receiverFirst: name) { args, interp in
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
