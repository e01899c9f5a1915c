import Random
import Tensors

extension Dataset {
    /// k-fold cross-validation: the examples shuffled with `seed` and cut into `k` folds of
    /// sizes differing by at most one; fold i validates on its examples and trains on the
    /// other k − 1. Every example is validated on exactly once.
    public func folds(_ k: Int, seed: UInt64 = 0) throws -> [(train: Dataset, validation: Dataset)] {
        guard k >= 2 else { throw DataError.invalid("folds: k must be at least 2 (one fold to validate on, one to train on), got \(k)") }
        guard k <= count else { throw DataError.invalid("folds: \(k) folds need at least \(k) examples; \(name) has \(count)") }
        var g = SeededGenerator(seed: seed)
        let order = shuffledIndices(count, using: &g)
        let bounds = (0...k).map { $0 * count / k }
        return try (0..<k).map { i in
            let held = Array(order[bounds[i]..<bounds[i + 1]])
            let rest = Array(order[..<bounds[i]] + order[bounds[i + 1]...])
            return (try subset(rest, name: "\(name).fold\(i + 1).train"), try subset(held, name: "\(name).fold\(i + 1).val"))
        }
    }
}
