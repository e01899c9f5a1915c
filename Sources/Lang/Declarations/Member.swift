import Tensors

/// A declared member of a value kind: a property (`net.params`), a settable property
/// (`opt.lr = 0.1`, checked against its kind) or a method (`opt.step()`, with typed
/// parameters like a builtin's).
public struct Member {
    public let kind: String
    public let name: String
    public let doc: String
    /// The method's parameters; nil for a property.
    public let parameters: [Param]?
    /// What the property accepts when set; nil when read-only.
    public let settable: ParameterKind?
    let get: (Value, Interpreter) throws -> Value
    let set: ((Value, Value, Interpreter) throws -> Void)?

    /// `params`, `lr`, `step()`, `rate(t)`.
    public var signature: String {
        guard let parameters else { return name }
        return "\(name)(\(parameters.map(\.signature).joined(separator: ", ")))"
    }

    /// The doc's first sentence.
    var summaryLine: String {
        let first = doc.range(of: ". ").map { String(doc[..<$0.lowerBound]) + "." } ?? doc
        return (settable != nil ? "(settable) " : "") + first
    }

    var help: String {
        var out = "\(kind).\(signature)"
        if let parameters, !parameters.isEmpty { out += "\n" + parameters.table }
        if let settable { out += "\n  settable to \(settable.description)" }
        return out + "\n\n" + doc
    }

    /// Sets the property after checking the value against its declared kind.
    func assign(_ receiver: Value, _ value: Value, _ interpreter: Interpreter, at location: SourceLocation) throws {
        guard let settable, let set else { throw LangError(.type, "\(kind).\(name) cannot be set", at: location) }
        do { try Param(name, settable).check(value) } catch {
            throw LangError(.type, "\(kind).\(error.description)", at: location)
        }
        do { try set(receiver, value, interpreter) } catch var e as LangError {
            if e.location.line == 0 { e.location = location }
            throw e
        } catch let e as any ExplainedError { throw LangError(.runtime, e.message, at: location) }
    }
}

/// Collects the members of one value kind with its receiver already unwrapped.
public struct MemberTable<Receiver> {
    let kind: String
    let doc: String
    let receiver: (Value) -> Receiver?
    var members: [Member] = []

    func unwrap(_ v: Value) throws -> Receiver {
        guard let r = receiver(v) else { throw LangError(.type, "a \(v.typeName) is not a \(kind)") }
        return r
    }

    /// A read-only property.
    public mutating func property(_ name: String, _ doc: String, _ get: @escaping (Receiver, Interpreter) throws -> Value) {
        let unwrap = self.unwrap
        members.append(
            Member(
                kind: kind, name: name, doc: doc, parameters: nil, settable: nil,
                get: { try get(try unwrap($0), $1) }, set: nil))
    }

    /// A property that can be assigned; `set` receives a value already checked against `kind`.
    public mutating func settable(
        _ name: String, _ valueKind: ParameterKind, _ doc: String,
        get: @escaping (Receiver, Interpreter) throws -> Value,
        set: @escaping (Receiver, Value, Interpreter) throws -> Void
    ) {
        let unwrap = self.unwrap
        members.append(
            Member(
                kind: kind, name: name, doc: doc, parameters: nil, settable: valueKind,
                get: { try get(try unwrap($0), $1) }, set: { try set(try unwrap($0), $1, $2) }))
    }

    /// A method without parameters.
    public mutating func method(_ name: String, _ doc: String, _ body: @escaping (Receiver, Arguments, Interpreter) throws -> Value) {
        method(name, [], doc, body)
    }

    /// A method: reading it gives a function bound to the receiver.
    public mutating func method(
        _ name: String, _ parameters: [Param], _ doc: String,
        _ body: @escaping (Receiver, Arguments, Interpreter) throws -> Value
    ) {
        let unwrap = self.unwrap, kind = self.kind
        members.append(
            Member(
                kind: kind, name: name, doc: doc, parameters: parameters, settable: nil,
                get: { value, _ in
                    let receiver = try unwrap(value)
                    return .function(BoundMethod("\(kind).\(name)", parameters) { args, interp in try body(receiver, args, interp) })
                }, set: nil))
    }
}
