import Tensors

/// What one parameter of a builtin or method accepts.
///
/// The kind is the single place a parameter's checking and its description live: binding a
/// call checks every given argument against it (a clear error naming the callee, the
/// parameter, the expected kind and what was given), `?name` prints it, and the fuzzer
/// draws edge values for it.
public enum ParameterKind {
    /// Any value; the body decides.
    case value
    /// A tensor, or a number, bool or nested list of numbers (converted).
    case tensor
    /// A list of tensors.
    case tensors
    /// Any number, including nan and ±inf.
    case number
    /// A finite number strictly above the bound (a learning rate, a norm limit).
    case finite(above: Double)
    /// A finite number ≥ 0 (a learning rate, a regularization strength, a tolerance).
    case nonNegative
    /// A probability p with 0 < p ≤ 1 (the course's keep probability).
    case probability
    /// A number from 0 to 1 inclusive (a momentum, a fraction).
    case fraction
    /// A whole number of the given kind (count, window, axis, seed…).
    case whole(WholeNumber)
    /// Whole numbers of one kind, as a list, a range or a tensor.
    case wholes(WholeNumber)
    /// `true` or `false`.
    case flag
    /// A string.
    case text
    /// One of a fixed set of names.
    case choice([String])
    /// A builtin, a method or an `fn`.
    case function
    /// A value of a named kind: `"model"`, `"dataset"`, `"optimizer"`…
    case object(String)

    /// How the kind reads in `?name` and in errors: "a whole number from 1 to 2²⁰ (a window size)".
    public var description: String {
        switch self {
        case .value: "any value"
        case .tensor: "a tensor (a number or nested list is converted)"
        case .tensors: "a list of tensors"
        case .number: "a number"
        case .finite(let bound): "a finite number above \(formatNumber(bound))"
        case .nonNegative: "a finite number ≥ 0"
        case .probability: "a probability in (0, 1]"
        case .fraction: "a number from 0 to 1"
        case .whole(let k): "\(k.rangeDescription) (\(k.description))"
        case .wholes(let k): "whole numbers, each \(k.rangeDescription.dropFirst(2)) (\(k.description))"
        case .flag: "true or false"
        case .text: "a string"
        case .choice(let names): "one of " + names.map { "\"\($0)\"" }.joined(separator: ", ")
        case .function: "a function"
        case .object(let type): "a \(type)"
        }
    }
}

/// One declared parameter: its name, kind, default and a short doc.
///
/// Parameters bind in declaration order; a `variadic` one takes every remaining positional
/// argument, and the parameters after it can only be given by name.
public struct Param {
    /// What happens when a call leaves the parameter out.
    public enum Default {
        /// The call must give it.
        case required
        /// It may be left out or given as `none`; the body sees it as absent.
        case absent
        /// Left out, it takes this value.
        case value(Value)
    }

    public let name: String
    public let kind: ParameterKind
    public let fallback: Default
    public let variadic: Bool
    public let doc: String

    public init(_ name: String, _ kind: ParameterKind, default fallback: Default = .required, variadic: Bool = false, doc: String = "") {
        self.name = name
        self.kind = kind
        self.fallback = fallback
        self.variadic = variadic
        self.doc = doc
    }

    /// The parameter as it reads in a signature: `x`, `stride: 1`, `b: none`, `shape…`.
    public var signature: String {
        if variadic { return name + "…" }
        switch fallback {
        case .required: return name
        case .absent: return "\(name): none"
        case .value(let v): return "\(name): \(format(v, nested: true))"
        }
    }

    /// Whether a given (non-none) value is acceptable, with the error text when not.
    func check(_ v: Value) throws(ParameterError) {
        func wrong(_ expected: String) -> ParameterError { ParameterError(parameter: name, expected: expected, given: v) }
        switch kind {
        case .value, .tensor: return  // tensors are converted (and checked) when read
        case .tensors:
            guard case .list = v else { throw wrong(kind.description) }
        case .number:
            guard v.numberValue != nil else { throw wrong(kind.description) }
        case .finite(let bound):
            guard let x = v.numberValue, x.isFinite, x > bound else { throw wrong(kind.description) }
        case .nonNegative:
            guard let x = v.numberValue, x.isFinite, x >= 0 else { throw wrong(kind.description) }
        case .fraction:
            guard let x = v.numberValue, x >= 0, x <= 1 else { throw wrong(kind.description) }
        case .probability:
            guard let x = v.numberValue, x > 0, x <= 1 else { throw wrong(kind.description) }
        case .whole(let k):
            guard let x = v.numberValue else { throw wrong(kind.description) }
            if case .failure(let e) = k.convert(x, name: name) { throw ParameterError(wholeNumber: e) }
        case .wholes(let k):
            switch v {
            case .number(let x): if case .failure(let e) = k.convert(x, name: name) { throw ParameterError(wholeNumber: e) }
            case .list(let items):
                for (i, item) in items.enumerated() {
                    guard case .number(let x) = item else { throw ParameterError(parameter: "\(name)[\(i)]", expected: "a whole number", given: item) }
                    if case .failure(let e) = k.convert(x, name: "\(name)[\(i)]") { throw ParameterError(wholeNumber: e) }
                }
            case .range, .tensor: return  // converted element by element when read
            default: throw wrong(kind.description)
            }
        case .flag:
            guard case .bool = v else { throw wrong(kind.description) }
        case .text:
            guard case .string = v else { throw wrong(kind.description) }
        case .choice(let names):
            guard case .string(let s) = v else { throw wrong(kind.description) }
            guard names.contains(s) else { throw wrong(kind.description) }
        case .function:
            guard case .function = v else { throw wrong(kind.description) }
        case .object(let type):
            guard case .object(let o) = v, o.typeName == type else { throw wrong(kind.description) }
        }
    }
}

/// An argument that does not fit its parameter's kind.
struct ParameterError: Error, CustomStringConvertible {
    let text: String

    init(parameter: String, expected: String, given: Value) {
        let shown: String
        switch given {
        case .number, .bool: shown = format(given)
        case .string(let s): shown = "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        default: shown = "a \(given.typeName)"
        }
        text = "\(parameter) must be \(expected), got \(shown)"
    }

    init(wholeNumber e: WholeNumberError) { text = e.description }

    var description: String { text }
}

extension Value {
    /// The number a numeric parameter reads: numbers, bools (0/1) and one-element tensors.
    var numberValue: Double? {
        switch self {
        case .number(let x): x
        case .bool(let b): b ? 1 : 0
        case .tensor(let t) where t.value.count == 1: Double(t.value.scalars[0])
        default: nil
        }
    }
}

extension Param.Default: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    public init(integerLiteral v: Int) { self = .value(.number(Double(v))) }
    public init(floatLiteral v: Double) { self = .value(.number(v)) }
    public init(stringLiteral v: String) { self = .value(.string(v)) }
    public init(booleanLiteral v: Bool) { self = .value(.bool(v)) }
}
