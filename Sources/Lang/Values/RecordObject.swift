/// A read-only record of named fields (reports, statistics, search trials). Its fields are
/// data, not declared members: each record answers for its own.
public final class RecordObject: NativeObject {
    public let typeName: String
    public let fields: [(String, Value)]
    let text: String?

    public init(_ typeName: String, _ fields: [(String, Value)], summary: String? = nil) {
        self.typeName = typeName
        self.fields = fields
        self.text = summary
    }

    public var memberNames: [String] { fields.map(\.0) }
    public func member(_ name: String) -> Value? { fields.first { $0.0 == name }?.1 }
    public var summary: String {
        text ?? "\(typeName): " + fields.map { "\($0.0)=\(format($0.1, nested: true))" }.joined(separator: ", ")
    }
}
