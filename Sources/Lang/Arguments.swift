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

    /// The argument at position `index` or labelled `name`.
    public func value(_ index: Int, _ name: String) -> Value? {
        if index >= 0 && index < positional.count { return positional[index] }
        return keyword[name]
    }

    public func has(_ index: Int, _ name: String) -> Bool {
        guard let v = value(index, name) else { return false }
        return !v.isNone
    }

    func error(_ message: String) -> LangError { LangError(.type, "\(callee): \(message)", at: location) }

    func required(_ index: Int, _ name: String) throws -> Value {
        guard let v = value(index, name) else { throw error("missing argument \(name)") }
        return v
    }

    public func tensor(_ index: Int, _ name: String) throws -> TensorValue {
        try Self.toTensor(required(index, name), callee: callee, name: name, location: location)
    }

    /// A list of tensors (numbers and nested lists are converted).
    public func tensorList(_ index: Int, _ name: String) throws -> [TensorValue] {
        guard case .list(let items)? = value(index, name) else { throw error("\(name) must be a list of tensors") }
        return try items.map { try Self.toTensor($0, callee: callee, name: name, location: location) }
    }

    public func optionalTensor(_ index: Int, _ name: String) throws -> TensorValue? {
        guard let v = value(index, name), !v.isNone else { return nil }
        return try Self.toTensor(v, callee: callee, name: name, location: location)
    }

    public func number(_ index: Int, _ name: String, default d: Double? = nil) throws -> Double {
        guard let v = value(index, name), !v.isNone else {
            if let d { return d }
            throw error("missing argument \(name)")
        }
        switch v {
        case .number(let x): return x
        case .bool(let b): return b ? 1 : 0
        case .tensor(let t) where t.value.count == 1: return Double(t.value.scalars[0])
        default: throw error("\(name) must be a number, got a \(v.typeName)")
        }
    }

    public func int(_ index: Int, _ name: String, default d: Int? = nil) throws -> Int {
        let x = try number(index, name, default: d.map(Double.init))
        guard x == x.rounded(), abs(x) < 1e15 else { throw error("\(name) must be a whole number, got \(x)") }
        return Int(x)
    }

    public func optionalNumber(_ index: Int, _ name: String) throws -> Double? {
        has(index, name) ? try number(index, name) : nil
    }

    public func string(_ index: Int, _ name: String, default d: String? = nil) throws -> String {
        guard let v = value(index, name), !v.isNone else {
            if let d { return d }
            throw error("missing argument \(name)")
        }
        guard case .string(let s) = v else { throw error("\(name) must be a string, got a \(v.typeName)") }
        return s
    }

    public func bool(_ index: Int, _ name: String, default d: Bool) throws -> Bool {
        guard let v = value(index, name), !v.isNone else { return d }
        guard case .bool(let b) = v else { throw error("\(name) must be true or false, got a \(v.typeName)") }
        return b
    }

    public func object<T>(_ index: Int, _ name: String, as type: T.Type, expected: String) throws -> T {
        let v = try required(index, name)
        guard case .object(let o) = v, let t = o as? T else { throw error("\(name) must be \(expected), got a \(v.typeName)") }
        return t
    }

    public func function(_ index: Int, _ name: String) throws -> Callable {
        let v = try required(index, name)
        guard case .function(let f) = v else { throw error("\(name) must be a function, got a \(v.typeName)") }
        return f
    }

    /// A list of whole numbers, from a list, a range, a tensor or the remaining positional numbers.
    public func intList(_ index: Int, _ name: String) throws -> [Int] {
        let v = try required(index, name)
        return try Self.toIntList(v, callee: callee, name: name, location: location)
    }

    /// Integers given either as one list (`zeros([2, 3])`) or spread out (`zeros(2, 3)`),
    /// from position `index` on.
    public func shape(from index: Int, _ name: String = "shape") throws -> [Int] {
        if let v = value(index, name), case .list = v { return try Self.toIntList(v, callee: callee, name: name, location: location) }
        if let v = value(index, name), case .tensor = v { return try Self.toIntList(v, callee: callee, name: name, location: location) }
        var dims: [Int] = []
        var i = index
        while i < positional.count, case .number = positional[i] { dims.append(try int(i, name)); i += 1 }
        guard dims.allSatisfy({ $0 >= 0 }) else { throw error("sizes must be non-negative, got \(dims)") }
        try Self.checkSize(dims, callee: callee, location: location)
        return dims
    }

    /// The largest tensor the prompt creates: 2²⁸ elements (1 GiB of float32).
    public static let maximumElements = 1 << 28

    static func checkSize(_ shape: [Int], callee: String, location: SourceLocation) throws {
        var total = 1
        for d in shape {
            let (p, overflow) = total.multipliedReportingOverflow(by: max(d, 0))
            guard !overflow, p <= maximumElements else {
                throw LangError(.runtime, "\(callee): a tensor of shape \(shape) is too large (the limit is \(maximumElements) elements, 1 GiB)", at: location)
            }
            total = p
        }
    }

    static func toIntList(_ v: Value, callee: String, name: String, location: SourceLocation) throws -> [Int] {
        switch v {
        case .number(let x) where x == x.rounded(): return [Int(x)]
        case .range(let a, let b): return Array(a..<max(a, b))
        case .list(let items):
            return try items.map {
                guard case .number(let x) = $0, x == x.rounded(), abs(x) < 1e15 else {
                    throw LangError(.type, "\(callee): \(name) must hold whole numbers, found a \($0.typeName)", at: location)
                }
                return Int(x)
            }
        case .tensor(let t): return t.value.scalars.map { Int($0) }
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
