import Autograd
import Foundation
import NeuralNet
import Random
import Synchronization
import Tensors

/// Statements: assignment (including in-place updates), control flow, blocks.
extension Interpreter {

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
            case .list? = env.lookup(target)
        else { return false }
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
                } catch let e as any ExplainedError { throw LangError(.runtime, e.message, at: loc) }
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
            if case .range(let a, let b) = seq { items = AnySequence((a..<Swift.max(a, b)).lazy.map { Value.number(Double($0)) }) } else { items = AnySequence(try seq.elements(at: loc)) }
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
                } catch let e as any ExplainedError { throw LangError(.runtime, e.message, at: loc) }
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
}
