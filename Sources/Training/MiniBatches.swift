import Random
import Tensors

/// The index batches for one epoch.
///
/// With `sampleBatches` (the default), the examples are shuffled by a seeded generator and cut
/// into batches of `batchSize` (the last may be smaller). With `sampleBatches = false` — the
/// course's full-batch mode — each epoch is one batch of every example in order.
public struct MiniBatches {
    public let count: Int
    public let batchSize: Int
    public let sampleBatches: Bool

    public init(count: Int, batchSize: Int, sampleBatches: Bool = true) {
        self.count = count
        self.batchSize = max(1, batchSize)
        self.sampleBatches = sampleBatches
    }

    /// Iterations in one epoch.
    public var iterationsPerEpoch: Int {
        sampleBatches ? max(1, (count + batchSize - 1) / batchSize) : 1
    }

    /// The batches of one epoch, drawing the shuffle from `generator`.
    public func epoch(using generator: inout SeededGenerator) -> [[Int]] {
        guard sampleBatches else { return [Array(0..<count)] }
        let order = shuffledIndices(count, using: &generator)
        return stride(from: 0, to: count, by: batchSize).map { Array(order[$0..<min($0 + batchSize, count)]) }
    }
}
