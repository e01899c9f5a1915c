import Autograd
import Foundation
import Tensors

/// The language's tensors are Float32 variables, so every value can take part in autograd.
public typealias TensorValue = Variable<Float>

/// A value at the prompt.
public enum Value: @unchecked Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case list([Value])
    case range(Int, Int)
    case tensor(TensorValue)
    case function(Callable)
    case object(NativeObject)

    /// The name shown in type errors: `number`, `tensor`, `model`, ….
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "bool"
        case .none: "none"
        case .list: "list"
        case .range: "range"
        case .tensor: "tensor"
        case .function: "function"
        case .object(let o): o.typeName
        }
    }

    public var isNone: Bool { if case .none = self { return true }; return false }

    /// Truthiness for `if`, `while`, `and`, `or`: only `false`, `none`, `0` and empty
    /// collections are false; a tensor must have exactly one element.
    public func truth(at location: SourceLocation) throws -> Bool {
        switch self {
        case .bool(let b): return b
        case .none: return false
        case .number(let v): return v != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .range(let a, let b): return b > a
        case .tensor(let t):
            guard t.value.count == 1 else {
                throw LangError(.type, "a tensor of shape \(t.shape) has no single truth value; use any(...)/all(...) or compare one element", at: location)
            }
            return t.value.scalars[0] != 0
        case .function, .object: return true
        }
    }

    /// The longest list the language builds (2²⁴ items); longer ranges are looped over, not listed.
    public static let maximumListCount = 1 << 24

    /// Elements of a list, range or the first axis of a tensor, for `for` loops.
    public func elements(at location: SourceLocation) throws -> [Value] {
        switch self {
        case .list(let l): return l
        case .range(let a, let b):
            guard b - a <= Value.maximumListCount else {
                throw LangError(.runtime, "the range \(a)..<\(b) is too long to list; loop over it with for instead", at: location)
            }
            return (a..<max(a, b)).map { .number(Double($0)) }
        case .tensor(let t):
            guard t.value.rank >= 1 else { throw LangError(.type, "cannot loop over a scalar tensor", at: location) }
            return try (0..<t.shape[0]).map { .tensor(try t.slice([.index($0)])) }
        case .string(let s): return s.map { .string(String($0)) }
        case .object(let o):
            if let seq = o as? SequenceObject { return try seq.elements() }
            fallthrough
        default: throw LangError(.type, "cannot loop over a \(typeName); loop over a list, a range like 1...10 or a tensor", at: location)
        }
    }
}

/// Anything that can be called: builtins, user functions, bound methods.
public protocol Callable: AnyObject {
    var name: String { get }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value
}

/// A host object (models, datasets, optimizers, histories…). Its members are declared in
/// the registry under its `typeName` (see `Member`); only records, whose fields are data,
/// answer member reads themselves.
public protocol NativeObject: AnyObject {
    var typeName: String { get }
    /// The short form printed at the prompt.
    var summary: String { get }
    /// A record's own field names (declared members are listed by the registry).
    var memberNames: [String] { get }
    /// A record's field, when it has one by this name.
    func member(_ name: String) -> Value?
}

extension NativeObject {
    public var memberNames: [String] { [] }
    public func member(_ name: String) -> Value? { nil }
}

/// A native object that `x[i]` indexes (a dataset's `d[:20]`, `d[[1, 5]]`).
public protocol IndexableObject: NativeObject {
    func index(_ index: Value, at location: SourceLocation) throws -> Value
}

/// A native object that can be iterated with `for`.
public protocol SequenceObject: NativeObject {
    func elements() throws -> [Value]
}

/// A function written at the prompt with `fn`.
public final class UserFunction: Callable {
    public let name: String
    let parameters: [FunctionParameter]
    let body: [Stmt]
    let closure: Environment

    init(name: String, parameters: [FunctionParameter], body: [Stmt], closure: Environment) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.closure = closure
    }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        guard interpreter.callDepth < Interpreter.maximumCallDepth else {
            throw LangError(.runtime, "\(name): calls are nested more than \(Interpreter.maximumCallDepth) deep (endless recursion?)", at: args.location)
        }
        interpreter.callDepth += 1
        defer { interpreter.callDepth -= 1 }
        // Bound like a builtin's arguments; a default is evaluated at the call, in order.
        let declared = parameters.map { Param($0.name, .value, default: $0.defaultValue == nil ? .required : .absent) }
        let bound = try Arguments(positional: args.positional, keyword: args.keyword, location: args.location, callee: name).binding(to: declared)
        let env = Environment(parent: closure)
        for p in parameters {
            if let v = bound.bound[p.name] { env.define(p.name, v) } else if let d = p.defaultValue { env.define(p.name, try interpreter.evaluate(d, in: env)) }
        }
        return try interpreter.callBody(body, in: env)
    }

    public var signature: String { "\(name)(\(parameters.map(\.name).joined(separator: ", ")))" }
}

/// A method bound to its receiver: `net.forward`, `opt.step`.
public final class BoundMethod: Callable {
    public let name: String
    /// nil for a builtin used as a method (`x.sum()`): the builtin binds the arguments itself.
    let parameters: [Param]?
    let body: (Arguments, Interpreter) throws -> Value

    /// A method with declared parameters: calls are bound and checked like a builtin's.
    public init(_ name: String, _ parameters: [Param], _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.parameters = parameters
        self.body = body
    }

    /// A builtin called as a method on its first argument; `body` inserts the receiver.
    init(receiverFirst name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.parameters = nil
        self.body = body
    }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        guard let parameters else { return try body(args, interpreter) }
        let named = Arguments(positional: args.positional, keyword: args.keyword, location: args.location, callee: name)
        return try body(try named.binding(to: parameters), interpreter)
    }
}

/// Variables: one global scope for the session and one scope per function call.
public final class Environment {
    var values: [String: Value] = [:]
    let parent: Environment?

    public init(parent: Environment? = nil) { self.parent = parent }

    public func lookup(_ name: String) -> Value? { values[name] ?? parent?.lookup(name) }
    public func define(_ name: String, _ value: Value) { values[name] = value }

    /// Assigns to the innermost scope that has `name`, or defines it here.
    public func assign(_ name: String, _ value: Value) {
        var env: Environment? = self
        while let e = env {
            if e.values[name] != nil { e.values[name] = value; return }
            env = e.parent
        }
        values[name] = value
    }

    /// Moves `name`'s value out of the innermost scope that has it, with that scope, so the
    /// caller holds the only reference and can update it without a copy; nil if undefined.
    func take(_ name: String) -> (Environment, Value)? {
        var env: Environment? = self
        while let e = env {
            if let v = e.values.removeValue(forKey: name) { return (e, v) }
            env = e.parent
        }
        return nil
    }

    public var names: [String] { values.keys.sorted() }
    public func remove(_ name: String) { values[name] = nil }
    public func removeAll() { values = [:] }
}
