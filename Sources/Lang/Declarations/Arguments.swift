import Autograd
import Tensors

/// The arguments of one call, with typed accessors whose errors name the function, the
/// parameter and what was given.
public struct Arguments {
    public var positional: [Value]
    public var keyword: [String: Value]
    public let location: SourceLocation
    public let callee: String

    public init(positional: [Value], keyword: [String: Value] = [:], location: SourceLocation = .unknown, callee: String) {
        self.positional = positional
        self.keyword = keyword
        self.location = location
        self.callee = callee
    }

    /// Each declared parameter's argument after `binding(to:)`; left-out parameters are missing.
    var bound: [String: Value] = [:]
    var declared: [Param] = []

    /// Matches the call's arguments to declared parameters and checks each against its kind.
    ///
    /// Positional arguments fill the parameters in order (a variadic one takes the rest),
    /// keywords fill them by name. Errors: an unknown keyword, a parameter given twice, too
    /// many positional arguments, a missing required one, a value of the wrong kind.
    public func binding(to parameters: [Param]) throws -> Arguments {
        var a = self
        a.declared = parameters
        a.bound = [:]
        // Only errors need the signature, so it is built only for them.
        var signature: String { "\(callee)(\(parameters.map(\.signature).joined(separator: ", ")))" }
        var next = 0
        for p in parameters {
            guard next < positional.count else { break }
            if p.variadic {
                a.bound[p.name] = .list(Array(positional[next...]))
                next = positional.count
                break
            }
            a.bound[p.name] = positional[next]
            next += 1
        }
        if next < positional.count {
            throw error("takes at most \(next) positional argument\(next == 1 ? "" : "s") (\(signature)), got \(positional.count)")
        }
        for (key, v) in keyword.sorted(by: { $0.key < $1.key }) {
            guard let p = parameters.first(where: { $0.name == key }) else {
                throw error("has no parameter \(key):; it takes \(signature)")
            }
            guard a.bound[key] == nil else { throw error("\(key) is given twice, by position and by name") }
            a.bound[key] = p.variadic ? .list([v]) : v
        }
        for p in parameters {
            guard let v = a.bound[p.name] else { continue }
            if p.variadic {
                guard case .list(let items) = v else { continue }
                if case .wholes = p.kind, items.count > 1, items.contains(where: { if case .number = $0 { false } else { true } }) {
                    throw error("give \(p.name) either as one list or as separate numbers, not both")
                }
                for item in items where !item.isNone {
                    // Spread sizes are checked one by one; a single list is checked whole.
                    do { try p.check(item) } catch { throw self.error(error.description) }
                }
            } else if !v.isNone {
                do { try p.check(v) } catch { throw self.error(error.description) }
            }
        }
        // Missing arguments are reported after wrong ones, so a call naming one bad
        // parameter hears about that parameter.
        for p in parameters where a.bound[p.name] == nil && !p.variadic {
            if case .required = p.fallback { throw error("missing argument \(p.name) (\(signature))") }
        }
        return a
    }

    func declaration(_ name: String) throws -> Param {
        guard let p = declared.first(where: { $0.name == name }) else {
            throw LangError(.runtime, "internal error: \(callee) reads \(name), which it does not declare", at: location)
        }
        return p
    }

    /// The argument for `name`, or its declared default; nil when left out or `none`.
    public func value(_ name: String) -> Value? {
        if let v = bound[name], !v.isNone { return v }
        if let p = declared.first(where: { $0.name == name }), case .value(let d) = p.fallback { return d }
        return nil
    }

    /// Whether `name` was given (not left out, not `none`) or has a default.
    public func has(_ name: String) -> Bool { value(name) != nil }

    /// Whether the call itself gave `name` (defaults do not count).
    public func gave(_ name: String) -> Bool {
        guard let v = bound[name] else { return false }
        if case .list(let items) = v, declared.first(where: { $0.name == name })?.variadic == true { return !items.isEmpty }
        return !v.isNone
    }

    func error(_ message: String) -> LangError { LangError(.type, "\(callee): \(message)", at: location) }

    func required(_ name: String) throws -> Value {
        guard let v = value(name) else { throw error("missing argument \(name)") }
        return v
    }

    public func tensor(_ name: String) throws -> TensorValue {
        try Self.toTensor(required(name), callee: callee, name: name, location: location)
    }

    /// A list of tensors (numbers and nested lists are converted).
    public func tensorList(_ name: String) throws -> [TensorValue] {
        guard case .list(let items) = try required(name) else { throw error("\(name) must be a list of tensors") }
        return try items.map { try Self.toTensor($0, callee: callee, name: name, location: location) }
    }

    public func optionalTensor(_ name: String) throws -> TensorValue? {
        guard let v = value(name) else { return nil }
        return try Self.toTensor(v, callee: callee, name: name, location: location)
    }

    /// A number parameter (also `finite` and `probability` ones, already checked).
    public func number(_ name: String) throws -> Double {
        let v = try required(name)
        guard let x = v.numberValue else { throw error("\(name) must be a number, got a \(v.typeName)") }
        return x
    }

    public func optionalNumber(_ name: String) throws -> Double? {
        has(name) ? try number(name) : nil
    }

    /// A whole-number parameter, converted by its declared kind.
    public func whole(_ name: String) throws -> Int {
        guard case .whole(let kind) = try declaration(name).kind else {
            throw LangError(.runtime, "internal error: \(callee).\(name) is not declared as a whole number", at: location)
        }
        return try Self.whole(try number(name), name: name, kind, callee: callee, location: location)
    }

    /// A whole number when given, else nil.
    public func optionalWhole(_ name: String) throws -> Int? {
        has(name) ? try whole(name) : nil
    }

    /// Whole numbers of the declared kind, from a list, a range or a tensor; a variadic
    /// parameter also takes them spread out (`zeros(2, 3)` or `zeros([2, 3])`).
    public func wholeList(_ name: String) throws -> [Int] {
        let p = try declaration(name)
        guard case .wholes(let kind) = p.kind else {
            throw LangError(.runtime, "internal error: \(callee).\(name) is not declared as whole numbers", at: location)
        }
        let v = try required(name)
        guard p.variadic, case .list(let items) = v else { return try Self.toWholeList(v, kind, callee: callee, name: name, location: location) }
        if items.count == 1, let only = items.first {
            switch only {
            case .list, .tensor, .range: return try Self.toWholeList(only, kind, callee: callee, name: name, location: location)
            default: break
            }
        }
        return try items.map { item in
            guard case .number(let x) = item else {
                if case .list = item { throw error("give \(name) either as one list or as separate numbers, not both") }
                throw error("\(name) must be whole numbers, found a \(item.typeName)")
            }
            return try Self.whole(x, name: name, kind, callee: callee, location: location)
        }
    }

    /// Sizes of a tensor to create: whole numbers whose product fits the size budget.
    public func shape(_ name: String = "shape") throws -> [Int] {
        let dims = try wholeList(name)
        try Self.checkSize(dims, callee: callee, location: location)
        return dims
    }

    public func string(_ name: String) throws -> String {
        let v = try required(name)
        guard case .string(let s) = v else { throw error("\(name) must be a string, got a \(v.typeName)") }
        return s
    }

    /// The value a `choice` parameter names, looked up in `options` (keyed by the declared names).
    public func choice<T>(_ name: String, _ options: [String: T]) throws -> T {
        let given = try string(name)
        guard let match = options[given] else {
            throw error("\(name) must be one of \(options.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(given)\"")
        }
        return match
    }

    public func bool(_ name: String) throws -> Bool {
        let v = try required(name)
        guard case .bool(let b) = v else { throw error("\(name) must be true or false, got a \(v.typeName)") }
        return b
    }

    public func object<T>(_ name: String, as type: T.Type) throws -> T {
        let v = try required(name)
        guard case .object(let o) = v, let t = o as? T else {
            throw error("\(name) must be \(try declaration(name).kind.description), got a \(v.typeName)")
        }
        return t
    }

    public func function(_ name: String) throws -> Callable {
        let v = try required(name)
        guard case .function(let f) = v else { throw error("\(name) must be a function, got a \(v.typeName)") }
        return f
    }

    /// The items a variadic parameter collected (one list given alone is spread).
    public func values(_ name: String) -> [Value] {
        guard let v = bound[name] else { return [] }
        guard case .list(let items) = v else { return [v] }
        return items
    }

    /// `x` as a whole number of `kind`; the one conversion every integer parameter, index and
    /// setting uses.
    public static func whole(_ x: Double, name: String, _ kind: WholeNumber, callee: String, location: SourceLocation) throws -> Int {
        switch kind.convert(x, name: name) {
        case .success(let n): return n
        case .failure(let e): throw LangError(.runtime, "\(callee): \(e)", at: location)
        }
    }

    /// The largest tensor the prompt creates (the engine's size budget).
    public static var maximumElements: Int { SizeBudget.maximumElements }

    static func checkSize(_ shape: [Int], callee: String, location: SourceLocation) throws {
        do { _ = try SizeBudget.elements(shape, callee) } catch let e as any ExplainedError {
            throw LangError(.runtime, e.message, at: location)
        }
    }

    public static func toWholeList(_ v: Value, _ kind: WholeNumber, callee: String, name: String, location: SourceLocation) throws -> [Int] {
        func one(_ x: Double, _ i: Int?) throws -> Int {
            try whole(x, name: i.map { "\(name)[\($0)]" } ?? name, kind, callee: callee, location: location)
        }
        switch v {
        case .number(let x): return [try one(x, nil)]
        case .range(let a, let b):
            guard b - a <= maximumElements else { throw LangError(.runtime, "\(callee): \(name) has too many numbers", at: location) }
            return try (a..<max(a, b)).map { try one(Double($0), nil) }
        case .list(let items):
            return try items.enumerated().map { i, item in
                guard case .number(let x) = item else {
                    throw LangError(.type, "\(callee): \(name) must hold whole numbers, found a \(item.typeName)", at: location)
                }
                return try one(x, i)
            }
        case .tensor(let t): return try t.value.scalars.enumerated().map { try one(Double($1), $0) }
        default: throw LangError(.type, "\(callee): \(name) must be a list of whole numbers, got a \(v.typeName)", at: location)
        }
    }

    /// Numbers become scalar tensors, nested lists become tensors of their shape.
    public static func toTensor(_ v: Value, callee: String, name: String, location: SourceLocation) throws -> TensorValue {
        switch v {
        case .tensor(let t): return t
        case .number(let x): return Variable(Tensor(Float(x)))
        case .bool(let b): return Variable(Tensor(b ? 1 : 0))
        case .list, .range:
            let (shape, flat) = try flatten(v, callee: callee, location: location)
            return Variable(try Tensor(shape: shape, scalars: flat), requiresGrad: true)
        default:
            throw LangError(.type, "\(callee): \(name) must be a tensor (or a number or list), got a \(v.typeName)", at: location)
        }
    }

    static func flatten(_ v: Value, callee: String, location: SourceLocation) throws -> ([Int], [Float]) {
        switch v {
        case .number(let x): return ([], [Float(x)])
        case .bool(let b): return ([], [b ? 1 : 0])
        case .range(let a, let b): return ([max(0, b - a)], (a..<max(a, b)).map { Float($0) })
        case .tensor(let t): return (t.shape, t.value.scalars)
        case .list(let items):
            var inner: [Int]? = nil
            var flat: [Float] = []
            for item in items {
                let (s, f) = try flatten(item, callee: callee, location: location)
                if let inner, inner != s {
                    throw LangError(.type, "\(callee): ragged list — rows have shapes \(inner) and \(s); every row needs the same length", at: location)
                }
                inner = s
                flat += f
            }
            return ([items.count] + (inner ?? []), flat)
        default:
            throw LangError(.type, "\(callee): a tensor can only hold numbers, found a \(v.typeName)", at: location)
        }
    }
}
