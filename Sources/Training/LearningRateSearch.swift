import Foundation
import NeuralNet
import Random
import Tensors

/// Coarse-to-fine random search over the learning rate and regularization strength.
///
/// Both are drawn log-uniformly (`lr = 10^u`, `u ~ U(lo, hi)`), since their effect is
/// multiplicative. The coarse stage trains each trial for a few epochs and drops diverging
/// trials early (the trainer's 3× quit rule); the fine stage samples around the best coarse
/// trials and trains longer. A best value near the edge of the searched range means the
/// range should be widened.
public struct LearningRateSearch: Sendable {
    /// Exponent ranges: `lr ∈ 10^learningRateExponents`, `reg ∈ 10^regularizationExponents`.
    public var learningRateExponents: ClosedRange<Double> = -6 ... -1
    public var regularizationExponents: ClosedRange<Double> = -5...1
    public var coarseTrials = 8
    public var coarseEpochs = 1
    public var fineTrials = 4
    public var fineEpochs = 3
    public var seed: UInt64 = 0
    /// Trials within this fraction of a range's width from its edge count as on the border.
    public var borderFraction = 0.1

    public init() {}

    public struct Trial: Sendable {
        public let stage: String
        public let learningRate: Double
        public let regularization: Double
        public let valAccuracy: Double
        public let trainAccuracy: Double
        public let finalLoss: Double
        public let stopReason: StopReason
    }

    public struct Result: Sendable {
        /// Every trial, best validation accuracy first.
        public let trials: [Trial]
        public let warnings: [String]
        public var best: Trial? { trials.first }

        public var table: String {
            var lines = [
                "stage   lr          reg         val acc   train acc  loss      note",
                "------  ----------  ----------  --------  ---------  --------  ----"
            ]
            for t in trials {
                let note = t.stopReason == .completed ? "" : (t.stopReason.isDivergence ? "diverged" : "stopped")
                lines.append(
                    String(
                        format: "%-6@  %.3e   %.3e   %.4f    %.4f     %-8@  %@", t.stage as NSString,
                        t.learningRate, t.regularization, t.valAccuracy, t.trainAccuracy,
                        formatLoss(t.finalLoss) as NSString, note as NSString))
            }
            return (lines + warnings.map { "warning: " + $0 }).joined(separator: "\n")
        }
    }

    /// Runs both stages. `makeModel(seed)` builds a fresh model per trial.
    public func run<Scalar: TensorScalar>(
        makeModel: (UInt64) throws -> Module<Scalar>, train: Dataset<Scalar>, val: Dataset<Scalar>,
        base: TrainerOptions = TrainerOptions(), shouldStop: @escaping () -> Bool = { false },
        report: (Trial) -> Void = { _ in }
    ) throws -> Result {
        var g = SeededGenerator(seed: seed)
        var trials: [Trial] = []
        func sample(_ r: ClosedRange<Double>) -> Double { Foundation.pow(10, r.lowerBound + (r.upperBound - r.lowerBound) * g.nextUniform()) }
        func trial(stage: String, lrRange: ClosedRange<Double>, regRange: ClosedRange<Double>, epochs: Int, index: Int) throws {
            let lr = sample(lrRange), reg = sample(regRange)
            var options = base
            options.learningRate = lr
            options.regularizer = .l2(reg)
            options.epochs = epochs
            options.verbose = false
            options.seed = seed &+ UInt64(index)
            let trainer = Trainer(model: try makeModel(seed &+ UInt64(index)), options: options)
            trainer.shouldStop = shouldStop
            let h = try trainer.train(train, validation: val)
            let t = Trial(
                stage: stage, learningRate: lr, regularization: reg, valAccuracy: h.bestValAccuracy,
                trainAccuracy: h.trainAccuracy.last ?? 0, finalLoss: h.loss.last ?? .nan, stopReason: h.stopReason)
            trials.append(t)
            report(t)
        }
        for i in 0..<coarseTrials where !shouldStop() {
            try trial(stage: "coarse", lrRange: learningRateExponents, regRange: regularizationExponents, epochs: coarseEpochs, index: i)
        }
        let top = trials.filter { !$0.stopReason.isDivergence }.sorted { $0.valAccuracy > $1.valAccuracy }.prefix(3)
        if !top.isEmpty {
            let lrs = top.map { Foundation.log10($0.learningRate) }, regs = top.map { Foundation.log10($0.regularization) }
            let fineLR = max(lrs.min()! - 0.5, learningRateExponents.lowerBound)...min(lrs.max()! + 0.5, learningRateExponents.upperBound)
            let fineReg = max(regs.min()! - 0.5, regularizationExponents.lowerBound)...min(regs.max()! + 0.5, regularizationExponents.upperBound)
            for i in 0..<fineTrials where !shouldStop() {
                try trial(stage: "fine", lrRange: fineLR, regRange: fineReg, epochs: fineEpochs, index: coarseTrials + i)
            }
        }
        let sorted = trials.sorted { $0.valAccuracy > $1.valAccuracy }
        var warnings: [String] = []
        if let best = sorted.first {
            warnings += borderWarnings(name: "learning rate", value: best.learningRate, exponents: learningRateExponents)
            warnings += borderWarnings(name: "regularization", value: best.regularization, exponents: regularizationExponents)
        }
        return Result(trials: sorted, warnings: warnings)
    }

    public func borderWarnings(name: String, value: Double, exponents r: ClosedRange<Double>) -> [String] {
        let u = Foundation.log10(value), margin = borderFraction * (r.upperBound - r.lowerBound)
        if u - r.lowerBound < margin {
            return [String(format: "the best %@ %.2e sits at the low border of 1e%g…1e%g: widen the range downwards", name as NSString, value, r.lowerBound, r.upperBound)]
        }
        if r.upperBound - u < margin {
            return [String(format: "the best %@ %.2e sits at the high border of 1e%g…1e%g: widen the range upwards", name as NSString, value, r.lowerBound, r.upperBound)]
        }
        return []
    }
}

extension StopReason {
    /// Whether the run blew up (quit-early rule or NaN/Inf).
    public var isDivergence: Bool {
        switch self {
        case .quitEarly, .nonFinite: true
        default: false
        }
    }
}
