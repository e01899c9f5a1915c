/// Why a training run ended.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    case completed
    case earlyStopping(epoch: Int, patience: Int)
    case quitEarly(iteration: Int, loss: Double, initialLoss: Double, factor: Double)
    case nonFinite(iteration: Int, epoch: Int)
    case interrupted(iteration: Int)

    public var description: String {
        switch self {
        case .completed: "completed"
        case .earlyStopping(let epoch, let patience):
            "early stopping after epoch \(epoch): validation accuracy has not improved for \(patience) epochs"
        case .quitEarly(let iteration, let loss, let initial, let factor):
            "quit early at iteration \(iteration): loss \(formatLoss(loss)) is more than \(String(format: "%g", factor))× the initial loss \(formatLoss(initial)); the learning rate is probably too high"
        case .nonFinite(let iteration, let epoch):
            "the loss became NaN/Inf at iteration \(iteration) (epoch \(epoch)); lower the learning rate, check the initialization scale, or look for log(0) or division by zero in the data"
        case .interrupted(let iteration): "interrupted at iteration \(iteration); the best model so far is kept"
        }
    }
}

func formatLoss(_ x: Double) -> String { x.isFinite ? String(format: "%.4f", x) : "\(x)" }

/// What a run recorded: the course's `loss_history`, `train_acc_history`, `val_acc_history`,
/// plus learning rates and per-layer update-to-parameter ratios.
public struct TrainingHistory: Sendable {
    /// Loss (data + regularization) at every iteration.
    public var loss: [Double] = []
    /// Accuracy on (a sample of) the training split at each evaluation (epoch 0, 1, …).
    public var trainAccuracy: [Double] = []
    /// Validation accuracy at each evaluation.
    public var valAccuracy: [Double] = []
    /// Learning rate at every iteration.
    public var learningRate: [Double] = []
    /// For each epoch, `‖Δw‖ / ‖w‖` per weight parameter, measured at its first iteration
    /// (≈ 1e-3 is healthy; ≫ means too high a learning rate, ≪ too low).
    public var updateRatios: [[String: Double]] = []
    public var iterationsPerEpoch = 1
    public var bestValAccuracy = 0.0
    public var bestEpoch = 0
    public var stopReason: StopReason = .completed
    /// Seconds spent and examples seen, for throughput.
    public var seconds = 0.0
    public var examplesSeen = 0

    public init() {}
}
