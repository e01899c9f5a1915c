import Tensors

/// Labelled examples: `inputs` of shape `[N, ...]` (images are `[N, C, H, W]`) and one
/// integer label in `0..<classCount` per example.
public struct Dataset<Scalar: TensorScalar>: Sendable {
    public var inputs: Tensor<Scalar>
    public var labels: [Int]
    public var classNames: [String]
    public var name: String

    public init(inputs: Tensor<Scalar>, labels: [Int], classNames: [String]? = nil, name: String = "data") throws {
        guard inputs.rank >= 1 else { throw DataError.invalid("\(name): inputs must have a leading example axis, got shape \(inputs.shape)") }
        guard inputs.shape[0] == labels.count else {
            throw DataError.invalid("\(name): \(inputs.shape[0]) inputs but \(labels.count) labels")
        }
        let classes = classNames?.count ?? ((labels.max() ?? -1) + 1)
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw DataError.invalid("\(name): label \(bad) is outside 0..<\(classes)")
        }
        self.inputs = inputs
        self.labels = labels
        self.classNames = classNames ?? (0..<classes).map { "class \($0)" }
        self.name = name
    }

    public var count: Int { labels.count }
    public var classCount: Int { classNames.count }
    /// The shape of one example, e.g. `[3, 32, 32]`.
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    /// Number of features per example.
    public var featureCount: Int { exampleShape.reduce(1, *) }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) throws -> Dataset {
        try Dataset(
            inputs: inputs.take(indices), labels: indices.map { labels[$0] }, classNames: classNames,
            name: name ?? self.name)
    }

    /// The first `n` examples.
    public func prefix(_ n: Int) throws -> Dataset { try subset(Array(0..<min(n, count))) }

    /// The same examples with other inputs (after preprocessing), keeping labels and names.
    public func replacingInputs(_ newInputs: Tensor<Scalar>) throws -> Dataset {
        try Dataset(inputs: newInputs, labels: labels, classNames: classNames, name: name)
    }

    /// How many examples each class has.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for l in labels { counts[l] += 1 }
        return counts
    }
}

extension Dataset: CustomStringConvertible {
    public var description: String {
        "\(name): \(count) examples of shape \(exampleShape), \(classCount) classes"
    }
}
