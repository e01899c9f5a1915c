/// One builtin, declared once: its name, typed parameters, a one-paragraph doc, a runnable
/// example and its body. From this one record come argument binding and checking, the
/// signature and parameter table of `?name`, tab completion, `docs/reference.md`, the
/// fuzzer's inputs and the example test.
public struct Builtin {
    public let name: String
    public let parameters: [Param]
    public let doc: String
    public let example: String
    public let category: String
    let body: (Arguments, Interpreter) throws -> Value
    /// For builtins that return an updated copy of their first argument (`append`): the same
    /// update done in place, which the interpreter uses for `x = name(x, value)` so a loop
    /// that grows a list costs O(1) per step instead of a copy of the whole list.
    var updateInPlace: ((inout Value, Value) throws -> Void)? = nil

    /// `conv2d(x, w, b: none, stride: 1, pad: 0)`.
    public var signature: String { "\(name)(\(parameters.map(\.signature).joined(separator: ", ")))" }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        try body(try args.binding(to: parameters), interpreter)
    }
}

/// Builtins are values of a reference type only so they can be `Callable`.
final class BuiltinBox: Callable {
    let builtin: Builtin
    init(_ b: Builtin) { builtin = b }
    var name: String { builtin.name }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value { try builtin.call(args, interpreter) }
}

extension [Param] {
    /// One line per parameter for `?name`: its name, what it accepts and its doc.
    var table: String {
        let width = (map(\.name.count).max() ?? 0) + 2
        return map { p in
            let name = p.name + (p.variadic ? "…" : "")
            var line = "  " + name + String(repeating: " ", count: Swift.max(1, width - name.count)) + p.kind.description
            if case .absent = p.fallback { line += ", optional" }
            if !p.doc.isEmpty { line += " — " + p.doc }
            return line
        }.joined(separator: "\n")
    }
}
