import Autograd
import Foundation
import Tensors

/// Raised by `expect` when a lesson's check does not hold.
public struct ExpectationFailed: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "expectation failed: \(message)" }
}

func registerGeneralBuiltins(_ r: inout BuiltinRegistry) {
    let c = "General"
    r.register("print", [Param("values", .value, variadic: true)], category: c, doc: "Prints values separated by spaces.", example: "print(\"loss\", 2.3)") { a, interp in
        interp.output(a.values("values").map { format($0) }.joined(separator: " "))
        return .none
    }
    r.register("len", [Param("x", .value)], category: c, doc: "Length of a list, string, range, dataset or the first axis of a tensor.", example: "len([1, 2, 3])") { a, _ in
        switch a.value("x") {
        case .list(let l)?: return .number(Double(l.count))
        case .string(let s)?: return .number(Double(s.count))
        case .range(let x, let y)?: return .number(Double(max(0, y - x)))
        case .object(let d as DatasetObject)?: return .number(Double(d.data.count))
        case .tensor(let t)?: return .number(Double(t.shape.first ?? 1))
        default: throw LangError(.type, "len: needs a list, string, range, dataset or tensor")
        }
    }
    r.register(
        "contains", [Param("collection", .value, doc: "a list or a string"), Param("item", .value)], category: c,
        doc: "Whether a list holds the item (a number, string or truth value equal to it), or a string holds the item as a substring.",
        example: "contains([\"a\", \"b\"], \"b\") and contains(\"loss too noisy\", \"noisy\")"
    ) { a, _ in
        let item = a.value("item") ?? .none
        switch a.value("collection") {
        case .string(let s)?:
            guard case .string(let part) = item else { throw LangError(.type, "contains: a string can only contain a string, got a \(item.typeName)") }
            return .bool(s.contains(part))
        case .list(let l)?:
            return .bool(
                l.contains { element in
                    switch (element, item) {
                    case (.number(let x), .number(let y)): x == y
                    case (.string(let x), .string(let y)): x == y
                    case (.bool(let x), .bool(let y)): x == y
                    case (.none, .none): true
                    default: false
                    }
                })
        case let other: throw LangError(.type, "contains: needs a list or a string, got a \((other ?? .none).typeName)")
        }
    }
    r.register("str", [Param("x", .value)], category: c, doc: "The printed form of a value as a string.", example: "str(3) + \" epochs\"") { a, _ in
        .string(format(a.value("x") ?? .none))
    }
    r.register("type", [Param("x", .value)], category: c, doc: "The name of a value's type.", example: "type(zeros(2))") { a, _ in
        .string((a.value("x") ?? .none).typeName)
    }
    r.register("list", [Param("x", .value)], category: c, doc: "The elements of a range, tensor (first axis) or dataset as a list.", example: "list(0..<4)") { a, _ in
        .list(try (a.value("x") ?? .none).elements(at: a.location))
    }
    r.register(
        "append", [Param("list", .value), Param("value", .value)], category: c, doc: "A new list with value added at the end: `losses = append(losses, l)`.",
        example: "append([1, 2], 3)"
    ) { a, _ in
        guard case .list(let l)? = a.value("list") else { throw LangError(.type, "append: the first argument must be a list") }
        guard l.count < Value.maximumListCount else { throw LangError(.runtime, "append: a list holds at most \(Value.maximumListCount) items", at: a.location) }
        return .list(l + [a.value("value") ?? .none])
    }
    r.setInPlaceUpdate(of: "append") { list, value in
        guard case .list(var items) = list else { throw LangError(.type, "append: the first argument must be a list") }
        guard items.count < Value.maximumListCount else { throw LangError(.runtime, "append: a list holds at most \(Value.maximumListCount) items") }
        list = .none  // the only reference left is `items`, so appending does not copy
        items.append(value)
        list = .list(items)
    }
    r.register("seed", [Param("n", .whole(.seed))], category: c, doc: "Restarts the session's random stream: same seed, same results.", example: "seed(1); a = randn(2); seed(1); all(a == randn(2))") { a, interp in
        interp.reseed(UInt64(try a.whole("n")))
        return .none
    }
    r.register("clock", [], category: c, doc: "Seconds since an arbitrary start, for timing.", example: "t = clock(); clock() - t >= 0") { _, _ in
        .number(Date().timeIntervalSinceReferenceDate)
    }
    r.register(
        "expect", [Param("condition", .value), Param("message", .text, default: "the condition is false")], category: c,
        doc: "A check: does nothing when the condition holds, otherwise stops with the message. Lessons use it to state what must be true and why.",
        example: "expect(1 + 1 == 2, \"arithmetic works\")"
    ) { a, _ in
        guard let v = a.value("condition") else { throw LangError(.type, "expect: missing condition") }
        if try !v.truth(at: a.location) {
            throw ExpectationFailed(message: try a.string("message"))
        }
        return .none
    }
    r.register(
        "help", [Param("name", .value, doc: "a builtin, or its name as a string")], category: c, doc: "The signature, description and example of a builtin (`?name` at the prompt).",
        example: "help(\"relu\")"
    ) { a, interp in
        let name: String
        if case .function(let f)? = a.value("name") { name = f.name } else { name = try a.string("name") }
        guard let text = interp.registry.help(name) else { throw LangError(.name, "help: no builtin named \(name)") }
        return .string(text)
    }
    r.register(
        "range", [Param("start", .whole(.index)), Param("end", .whole(.index), default: .absent), Param("step", .whole(.index), default: 1)], category: c, doc: "A list of whole numbers from start up to (not including) end.",
        example: "range(0, 10, step: 3)"
    ) { a, _ in
        let hasEnd = a.gave("end")
        let start = hasEnd ? try a.whole("start") : 0, end = hasEnd ? try a.whole("end") : try a.whole("start")
        let step = try a.whole("step")
        guard step != 0 else { throw LangError(.runtime, "range: step must not be 0") }
        guard abs(end - start) / abs(step) <= Value.maximumListCount else {
            throw LangError(.runtime, "range: more than \(Value.maximumListCount) numbers; loop over start..<end instead", at: a.location)
        }
        return .list(stride(from: start, to: end, by: step).map { .number(Double($0)) })
    }
}
