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

    /// A whole number of the given kind; the one conversion every integer parameter uses.
    public func whole(_ index: Int, _ name: String, _ kind: WholeNumber, default d: Int? = nil) throws -> Int {
        let x = try number(index, name, default: d.map(Double.init))
        return try Self.whole(x, name: name, kind, callee: callee, location: location)
    }

    /// A whole number of the given kind when the argument is present, else nil.
    public func optionalWhole(_ index: Int, _ name: String, _ kind: WholeNumber) throws -> Int? {
        has(index, name) ? try whole(index, name, kind) : nil
    }

    public static func whole(_ x: Double, name: String, _ kind: WholeNumber, callee: String, location: SourceLocation) throws -> Int {
        switch kind.convert(x, name: name) {
        case .success(let n): return n
        case .failure(let e): throw LangError(.runtime, "\(callee): \(e)", at: location)
        }
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

    /// One of a fixed set of names (`loss: "softmax"` or `"svm"`); anything else is an error
    /// listing the choices.
    public func choice<T>(_ index: Int, _ name: String, _ options: KeyValuePairs<String, T>, default d: String) throws -> T {
        let given = try string(index, name, default: d)
        guard let match = options.first(where: { $0.key == given }) else {
            throw error("\(name) must be one of \(options.map { "\"\($0.key)\"" }.joined(separator: ", ")), got \"\(given)\"")
        }
        return match.value
    }

    /// A finite number above `minimum` (a quit factor, a norm bound, a learning rate).
    public func finiteNumber(_ index: Int, _ name: String, above minimum: Double, default d: Double? = nil) throws -> Double {
        let x = try number(index, name, default: d)
        guard x.isFinite, x > minimum else { throw error("\(name) must be a finite number above \(formatNumber(minimum)), got \(formatNumber(x))") }
        return x
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

    /// A list of whole numbers of one kind, from a list, a range or a tensor.
    public func wholeList(_ index: Int, _ name: String, _ kind: WholeNumber) throws -> [Int] {
        try Self.toWholeList(try required(index, name), kind, callee: callee, name: name, location: location)
    }

    /// Sizes given either as one list (`zeros([2, 3])`) or spread out (`zeros(2, 3)`), from
    /// position `index` on; each is a count and their product fits the size budget.
    public func shape(from index: Int, _ name: String = "shape") throws -> [Int] {
        let dims = try sizes(from: index, name, .count)
        try Self.checkSize(dims, callee: callee, location: location)
        return dims
    }

    /// Whole numbers given as one list or spread out from position `index` on.
    public func sizes(from index: Int, _ name: String, _ kind: WholeNumber) throws -> [Int] {
        if let v = value(index, name) {
            switch v {
            case .list, .tensor, .range:
                guard positional.count <= index + 1 else {
                    throw error("give \(name) either as one list or as separate numbers, not both")
                }
                return try Self.toWholeList(v, kind, callee: callee, name: name, location: location)
            default: break
            }
        }
        var dims: [Int] = []
        var i = index
        while i < positional.count {
            guard case .number = positional[i] else {
                throw error("\(name) must be whole numbers, found a \(positional[i].typeName)")
            }
            dims.append(try whole(i, name, kind))
            i += 1
        }
        return dims
    }

    /// The largest tensor the prompt creates (the engine's size budget).
    public static var maximumElements: Int { SizeBudget.maximumElements }

    static func checkSize(_ shape: [Int], callee: String, location: SourceLocation) throws {
        do { _ = try SizeBudget.elements(shape, callee) } catch let e as TensorError {
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
