/// Every builtin and every member of every value kind, in registration order.
public struct BuiltinRegistry {
    public private(set) var builtins: [String: Builtin] = [:]
    public private(set) var order: [String] = []
    /// Declared members by value kind (`"tensor"`, `"model"`, …), in declaration order.
    public private(set) var members: [String: [Member]] = [:]
    public private(set) var valueKinds: [String] = []

    public init() {}

    public mutating func register(
        _ name: String, _ parameters: [Param] = [], category: String, doc: String, example: String,
        _ body: @escaping (Arguments, Interpreter) throws -> Value
    ) {
        precondition(builtins[name] == nil, "builtin \(name) registered twice")
        precondition(Set(parameters.map(\.name)).count == parameters.count, "builtin \(name) declares a parameter twice")
        builtins[name] = Builtin(name: name, parameters: parameters, doc: doc, example: example, category: category, body: body)
        order.append(name)
    }

    /// Gives a registered builtin its in-place form (see `Builtin.updateInPlace`).
    mutating func setInPlaceUpdate(of name: String, _ update: @escaping (inout Value, Value) throws -> Void) {
        builtins[name]?.updateInPlace = update
    }

    /// Declares the members of one value kind; see `MemberTable`.
    public mutating func declareMembers<Receiver>(
        of kind: String, doc: String, receiver: @escaping (Value) -> Receiver?,
        _ build: (inout MemberTable<Receiver>) -> Void
    ) {
        var table = MemberTable(kind: kind, doc: doc, receiver: receiver)
        build(&table)
        if members[kind] == nil { valueKinds.append(kind) }
        members[kind, default: []] += table.members
        kindDocs[kind] = doc
    }

    /// Declares the members of a native object class (`ModelObject` as `"model"`).
    public mutating func declareMembers<Object: NativeObject>(
        of type: Object.Type, _ kind: String, doc: String,
        _ build: (inout MemberTable<Object>) -> Void
    ) {
        declareMembers(of: kind, doc: doc, receiver: { if case .object(let o) = $0 { o as? Object } else { nil } }, build)
    }

    public private(set) var kindDocs: [String: String] = [:]

    public subscript(name: String) -> Builtin? { builtins[name] }

    /// The declared member `name` of a value, if its kind has one.
    public func member(of value: Value, _ name: String) -> Member? {
        members[value.typeName]?.first { $0.name == name }
    }

    /// Member names a value answers to: declared ones and a record's own fields.
    public func memberNames(of value: Value) -> [String] {
        var names = members[value.typeName]?.map(\.name) ?? []
        if case .object(let o) = value { names += o.memberNames }
        return names
    }

    /// Swaps the implementation of an existing builtin, keeping its declaration.
    public mutating func replaceBody(of name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        guard let b = builtins[name] else { return }
        builtins[name] = Builtin(
            name: b.name, parameters: b.parameters, doc: b.doc, example: b.example, category: b.category, body: body,
            updateInPlace: b.updateInPlace)
    }

    public var categories: [String] {
        var seen: [String] = []
        for n in order where !seen.contains(builtins[n]!.category) { seen.append(builtins[n]!.category) }
        return seen
    }

    /// `?name` text: signature, parameters, doc and example; `?model` lists a value kind's
    /// members and `?model.params` shows one.
    public func help(_ topic: String) -> String? {
        var sections: [String] = []
        if let b = builtins[topic] {
            let parameters = b.parameters.isEmpty ? "" : "\n" + b.parameters.table
            sections.append("\(b.signature)\(parameters)\n\n\(b.doc)\n\nexample:\n    " + b.example.replacingOccurrences(of: "\n", with: "\n    "))
        }
        // A kind of value (`?model`; `?tensor` shows both the builtin and the kind).
        if let list = members[topic] {
            let width = (list.map(\.signature.count).max() ?? 0) + 2
            sections.append(
                "a \(topic): \(kindDocs[topic] ?? "")\n\nmembers (?\(topic).name for one):\n"
                    + list.map { "  " + $0.signature + String(repeating: " ", count: width - $0.signature.count) + $0.summaryLine }.joined(separator: "\n"))
        }
        if !sections.isEmpty { return sections.joined(separator: "\n\n") }
        let parts = topic.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2, let m = members[parts[0]]?.first(where: { $0.name == parts[1] }) { return m.help }
        return nil
    }

    /// The reference page in Markdown.
    public var referenceMarkdown: String {
        var out = "# Builtin reference\n\nGenerated from the builtin registry (`gradschool reference`); `?name` at the prompt shows the same text.\n"
        for category in categories {
            out += "\n## \(category)\n"
            for n in order where builtins[n]!.category == category {
                let b = builtins[n]!
                let parameters =
                    b.parameters.isEmpty
                    ? ""
                    : "\n"
                        + b.parameters.map { p in
                            let optional = if case .absent = p.fallback { ", optional" } else { "" }
                            return "- `\(p.name)\(p.variadic ? "…" : "")`: \(p.kind.description)\(optional)\(p.doc.isEmpty ? "" : " — " + p.doc)"
                        }.joined(separator: "\n") + "\n"
                out += "\n### `\(b.signature)`\n\(parameters)\n\(b.doc)\n\n```\n\(b.example)\n```\n"
            }
        }
        out += "\n## Members of values\n"
        for kind in valueKinds {
            out += "\n### \(kind)\n\n\(kindDocs[kind] ?? "")\n\n"
            for m in members[kind]! { out += "- `.\(m.signature)`\(m.settable != nil ? " (settable)" : ""): \(m.doc)\n" }
        }
        return out
    }
}
