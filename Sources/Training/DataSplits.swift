import Foundation
import Random
import Tensors

/// Train, validation and test splits with test-set discipline.
///
/// The test split is meant to be evaluated once, at the very end: every further look lets
/// choices leak into the reported number (a false discovery). `test()` counts the looks and
/// warns from the second on unless the caller says they mean it.
public final class DataSplits<Scalar: TensorScalar>: @unchecked Sendable {
    public let train: Dataset<Scalar>
    public let val: Dataset<Scalar>
    let testData: Dataset<Scalar>
    /// How many times the test split has been handed out.
    public private(set) var testUses = 0
    /// Receives warnings; prints to standard error unless replaced.
    public var warn: (String) -> Void = { message in
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    public init(train: Dataset<Scalar>, val: Dataset<Scalar>, test: Dataset<Scalar>) {
        self.train = train
        self.val = val
        self.testData = test
    }

    /// The test split. The second and later calls warn unless `confirm` is true.
    public func test(confirm: Bool = false) -> Dataset<Scalar> {
        testUses += 1
        if testUses > 1 && !confirm {
            warn("the test set has now been used \(testUses) times. Each extra look lets your choices fit it, and its accuracy stops being an honest estimate (a false discovery). Tune on the validation set; pass confirm: true if you really mean it.")
        }
        return testData
    }

    /// Sizes of the three splits without touching the test split.
    public var sizes: (train: Int, val: Int, test: Int) { (train.count, val.count, testData.count) }
}

extension Dataset {
    /// Shuffles with `seed` and cuts into train / validation / test by the given counts
    /// (the test split gets the rest when `test` is nil).
    public func split(train: Int, val: Int, test: Int? = nil, seed: UInt64 = 0) throws -> DataSplits<Scalar> {
        guard train >= 0, val >= 0, (test ?? 0) >= 0 else {
            throw DataError.invalid("split: train, val and test must be ≥ 0 (got \(train), \(val), \(test.map(String.init) ?? "the rest"))")
        }
        let requested = train + val + (test ?? 0)
        guard requested <= count else {
            let terms = test.map { "train \(train) + val \(val) + test \($0)" } ?? "train \(train) + val \(val)"
            throw DataError.invalid("split: \(terms) = \(requested) examples requested but \(name) has only \(count)")
        }
        let testCount = test ?? (count - train - val)
        var g = SeededGenerator(seed: seed)
        let order = shuffledIndices(count, using: &g)
        return DataSplits(
            train: try subset(Array(order[0..<train]), name: "\(name).train"),
            val: try subset(Array(order[train..<(train + val)]), name: "\(name).val"),
            test: try subset(Array(order[(train + val)..<(train + val + testCount)]), name: "\(name).test"))
    }

    /// Cuts by fractions of the whole, e.g. `split(fractions: 0.8, 0.1)` leaves 10 % for test.
    public func split(trainFraction: Double, valFraction: Double, seed: UInt64 = 0) throws -> DataSplits<Scalar> {
        guard trainFraction >= 0, valFraction >= 0, trainFraction + valFraction <= 1 else {
            throw DataError.invalid("split: fractions \(trainFraction) and \(valFraction) must be non-negative and add to at most 1")
        }
        let t = Int((Double(count) * trainFraction).rounded()), v = Int((Double(count) * valFraction).rounded())
        return try split(train: t, val: min(v, count - t), seed: seed)
    }
}

/// A Fisher–Yates permutation of `0..<n` drawn from `generator`.
public func shuffledIndices(_ n: Int, using generator: inout SeededGenerator) -> [Int] {
    var order = Array(0..<n)
    if n < 2 { return order }
    for i in stride(from: n - 1, to: 0, by: -1) {
        let j = Int(generator.nextUniform() * Double(i + 1))
        order.swapAt(i, min(j, i))
    }
    return order
}
