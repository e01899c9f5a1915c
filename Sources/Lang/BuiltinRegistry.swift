import Foundation

/// One builtin: its name, signature, a one-paragraph doc and a runnable example. The same
/// record drives `?name` help, tab completion, the reference page and the example test.
public struct Builtin {
    public let name: String
    public let signature: String
    public let doc: String
    public let example: String
    public let category: String
    let body: (Arguments, Interpreter) throws -> Value
    /// For builtins that return an updated copy of their first argument (`append`): the same
    /// update done in place, which the interpreter uses for `x = name(x, value)` so a loop
    /// that grows a list costs O(1) per step instead of a copy of the whole list.
    var updateInPlace: ((inout Value, Value) throws -> Void)? = nil

    /// Keyword names accepted, read from the signature: `conv2d(x, w, stride: 1, pad: 0)`.
    public var parameterNames: [String] {
        guard let open = signature.firstIndex(of: "("), let close = signature.lastIndex(of: ")") else { return [] }
        return signature[signature.index(after: open)..<close].split(separator: ",").compactMap { part in
            let p = part.trimmingCharacters(in: .whitespaces)
            let name = p.split(separator: ":").first.map { String($0) }?.trimmingCharacters(in: .whitespaces) ?? p
            return name.hasPrefix("...") ? nil : name.replacingOccurrences(of: "…", with: "")
        }.filter { !$0.isEmpty }
    }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let accepted = parameterNames
        for key in args.keyword.keys where !accepted.contains(key) {
            throw LangError(.type, "\(name) has no parameter \(key):; it takes \(signature)", at: args.location)
        }
        return try body(args, interpreter)
    }
}

/// Builtins are values of a reference type only so they can be `Callable`.
final class BuiltinBox: Callable {
    let builtin: Builtin
    init(_ b: Builtin) { builtin = b }
    var name: String { builtin.name }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value { try builtin.call(args, interpreter) }
}

/// Every builtin, in registration order within categories.
public struct BuiltinRegistry {
    public private(set) var builtins: [String: Builtin] = [:]
    public private(set) var order: [String] = []

    public init() {}

    public mutating func register(_ name: String, _ signature: String, category: String, doc: String, example: String,
                                  _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        precondition(builtins[name] == nil, "builtin \(name) registered twice")
        builtins[name] = Builtin(name: name, signature: signature, doc: doc, example: example, category: category, body: body)
        order.append(name)
    }

    /// Gives a registered builtin its in-place form (see `Builtin.updateInPlace`).
    mutating func setInPlaceUpdate(of name: String, _ update: @escaping (inout Value, Value) throws -> Void) {
        builtins[name]?.updateInPlace = update
    }

    public subscript(name: String) -> Builtin? { builtins[name] }

    /// Swaps the implementation of an existing builtin, keeping its documentation.
    public mutating func replaceBody(of name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        guard let b = builtins[name] else { return }
        builtins[name] = Builtin(name: b.name, signature: b.signature, doc: b.doc, example: b.example, category: b.category, body: body,
                                 updateInPlace: b.updateInPlace)
    }

    public var categories: [String] {
        var seen: [String] = []
        for n in order where !seen.contains(builtins[n]!.category) { seen.append(builtins[n]!.category) }
        return seen
    }

    /// `?name` text: signature, doc and example.
    public func help(_ name: String) -> String? {
        guard let b = builtins[name] else { return nil }
        return "\(b.signature)\n\n\(b.doc)\n\nexample:\n    " + b.example.replacingOccurrences(of: "\n", with: "\n    ")
    }

    /// The reference page in Markdown.
    public var referenceMarkdown: String {
        var out = "# Builtin reference\n\nGenerated from the builtin registry (`gradschool reference`); `?name` at the prompt shows the same text.\n"
        for category in categories {
            out += "\n## \(category)\n"
            for n in order where builtins[n]!.category == category {
                let b = builtins[n]!
                out += "\n### `\(b.signature)`\n\n\(b.doc)\n\n```\n\(b.example)\n```\n"
            }
        }
        return out
    }
}
