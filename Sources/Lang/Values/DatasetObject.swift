import Autograd
import Tensors
import Training

/// A dataset: `data.x`, `data.y`, `data.count`, `data[:20]`, `for (x, y) in data`.
public final class DatasetObject: NativeObject, SequenceObject, IndexableObject {
    public let data: Dataset<Float>
    public init(_ data: Dataset<Float>) { self.data = data }
    public var typeName: String { "dataset" }
    public var summary: String { "dataset \(data.description)" }

    public func elements() throws -> [Value] {
        try (0..<data.count).map { .list([.tensor(Variable(try data.inputs.slice([.index($0)]))), .number(Double(data.labels[$0]))]) }
    }

    /// `d[[1, 5]]`, `d[:20]` (through the range's list), `d[-1]`: a dataset of those examples.
    public func index(_ index: Value, at location: SourceLocation) throws -> Value {
        let idx = try Arguments.toWholeList(index, .index, callee: "dataset[]", name: "index", location: location)
        do {
            return .object(DatasetObject(try data.subset(idx.map { $0 < 0 ? $0 + data.count : $0 })))
        } catch let e as any ExplainedError { throw LangError(.runtime, e.message, at: location) }
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: DatasetObject.self, "dataset", doc: "examples with integer labels; `d[:20]` takes the first twenty.") { t in
            t.property("x", "The inputs as one tensor [N, …].") { d, _ in .tensor(Variable(d.data.inputs)) }
            t.property("y", "The labels as a list of whole numbers.") { d, _ in .list(d.data.labels.map { .number(Double($0)) }) }
            t.property("count", "The number of examples.") { d, _ in .number(Double(d.data.count)) }
            t.property("classes", "The number of classes.") { d, _ in .number(Double(d.data.classCount)) }
            t.property("class_names", "Each class's name.") { d, _ in .list(d.data.classNames.map { .string($0) }) }
            t.property("shape", "The shape of one example.") { d, _ in shapeValue(d.data.exampleShape) }
            t.property("class_counts", "How many examples each class has.") { d, _ in .list(d.data.classCounts.map { .number(Double($0)) }) }
            t.property("name", "Where the data came from.") { d, _ in .string(d.data.name) }
        }
    }
}

/// A dataset parameter's value.
func dataset(_ a: Arguments, _ name: String = "data") throws -> Dataset<Float> {
    try a.object(name, as: DatasetObject.self).data
}
