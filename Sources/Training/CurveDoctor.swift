/// Reads a training history the way the course reads loss and accuracy plots, and names
/// what it sees with the course's hint.
public enum CurveDoctor {
    public enum Finding: String, Sendable, CaseIterable {
        case notTraining = "not training"
        case errorIncreasing = "error increasing"
        case notConverged = "not converged yet"
        case slowStart = "slow start"
        case possibleOverfitting = "possible overfitting"
        case definiteOverfitting = "definite overfitting"
        case noisyLoss = "loss too noisy"
        case learningRateTooLow = "learning rate too low"
        case noGap = "no gap between train and val"
        case healthy = "looks healthy"

        public var hint: String {
            switch self {
            case .notTraining: "the loss does not move: the learning rate is far too low, or gradients are not reaching the weights (check with a gradient check)"
            case .errorIncreasing: "the loss goes up: the learning rate is too high; lower it by 3–10×"
            case .notConverged: "the loss is still falling at the end: train longer"
            case .slowStart: "a long plateau before the loss drops: suspect the initialization (try Xavier/He)"
            case .possibleOverfitting: "a growing gap between train and val accuracy: watch it; more data or regularization may help"
            case .definiteOverfitting: "train accuracy far above val accuracy: increase regularization (L2, dropout), get more data, or stop earlier"
            case .noisyLoss: "the loss jumps around a lot between iterations: increase the batch size (or lower the learning rate)"
            case .learningRateTooLow: "the loss falls in a straight line rather than a curve: the learning rate is too low; raise it"
            case .noGap: "train and val accuracy are equal and not high: the model may be too small; increase its capacity"
            case .healthy: "the loss falls quickly then levels off, with a moderate train/val gap"
            }
        }
    }

    /// Each finding with its hint.
    public static func diagnose(_ h: TrainingHistory) -> [(finding: Finding, hint: String)] {
        var findings: [Finding] = []
        let loss = h.loss.filter(\.isFinite)
        if case .nonFinite = h.stopReason { findings.append(.errorIncreasing) }
        if case .quitEarly = h.stopReason { findings.append(.errorIncreasing) }
        if loss.count >= 10 {
            let k = max(1, loss.count / 10)
            let first = mean(loss.prefix(k)), last = mean(loss.suffix(k))
            let drop = first - last
            if last > first * 1.05 {
                if !findings.contains(.errorIncreasing) { findings.append(.errorIncreasing) }
            } else if drop < 0.01 * abs(first) {
                findings.append(.notTraining)
            } else {
                // Smoothed curve: means of ten equal segments.
                let segments = (0..<10).map { mean(loss[($0 * loss.count / 10)..<max(($0 + 1) * loss.count / 10, $0 * loss.count / 10 + 1)]) }
                let totalDrop = segments[0] - segments[9]
                if totalDrop > 0 {
                    let endSlope = segments[8] - segments[9]
                    if endSlope > 0.03 * totalDrop { findings.append(.notConverged) }
                    // A plateau, then a drop: the first fifth of the run barely moves, yet the
                    // whole run falls by over a tenth of the starting loss.
                    if segments[0] - segments[2] < 0.05 * totalDrop && totalDrop > 0.1 * abs(segments[0]) {
                        findings.append(.slowStart)
                    }
                    // A straight line: every segment drops by about the same amount.
                    let drops = (0..<9).map { segments[$0] - segments[$0 + 1] }
                    let meanDrop = totalDrop / 9
                    if drops.allSatisfy({ $0 > 0.5 * meanDrop && $0 < 1.5 * meanDrop }) { findings.append(.learningRateTooLow) }
                }
                // Noise: spread of iteration losses around their local mean, relative to the drop.
                let window = max(2, loss.count / 20)
                var residual = 0.0
                for i in loss.indices {
                    let lo = max(0, i - window), hi = min(loss.count, i + window + 1)
                    let local = mean(loss[lo..<hi])
                    residual += (loss[i] - local) * (loss[i] - local)
                }
                let spread = (residual / Double(loss.count)).squareRoot()
                if spread > 0.25 * max(drop, 1e-12) && spread > 0.05 * abs(last) { findings.append(.noisyLoss) }
            }
        }
        if let train = h.trainAccuracy.last, let val = h.valAccuracy.last {
            let gap = train - val
            let valPeak = h.valAccuracy.max() ?? val
            if gap > 0.2 || (gap > 0.1 && val < valPeak - 0.05) {
                findings.append(.definiteOverfitting)
            } else if gap > 0.1 {
                findings.append(.possibleOverfitting)
            } else if gap < 0.03 && train < 0.6 && h.trainAccuracy.count > 2 && !findings.contains(.notTraining) {
                // Underfitting: training accuracy low, and validation as high (or higher).
                findings.append(.noGap)
            }
        }
        if findings.isEmpty { findings.append(.healthy) }
        return findings.map { ($0, $0.hint) }
    }

    /// The findings as printable lines.
    public static func report(_ h: TrainingHistory) -> String {
        diagnose(h).map { "\($0.finding.rawValue): \($0.hint)" }.joined(separator: "\n")
    }
}

private func mean<C: Collection>(_ xs: C) -> Double where C.Element == Double {
    xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count)
}
