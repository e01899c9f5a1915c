import Training

/// A training history: `h.loss`, `h.train_acc`, `h.val_acc`, `h.lr`, `h.update_ratios`.
public final class HistoryObject: NativeObject {
    public let history: TrainingHistory
    public init(_ history: TrainingHistory) { self.history = history }
    public var typeName: String { "history" }

    public var summary: String {
        let last = history.loss.last.map { formatNumber($0) } ?? "-"
        return "history: \(history.loss.count) iterations, \(max(0, history.valAccuracy.count - 1)) epochs, last loss \(last), best val \(formatNumber(history.bestValAccuracy)) (\(history.stopReason))"
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: HistoryObject.self, "history", doc: "what a training run recorded, per iteration and per epoch.") { t in
            t.property("loss", "The loss of every iteration.") { h, _ in numbers(h.history.loss) }
            t.property("train_acc", "Training accuracy per epoch (on a sample), starting before the first.") { h, _ in numbers(h.history.trainAccuracy) }
            t.property("val_acc", "Validation accuracy per epoch, starting before the first.") { h, _ in numbers(h.history.valAccuracy) }
            t.property("lr", "The learning rate of every epoch.") { h, _ in numbers(h.history.learningRate) }
            t.property(
                "update_ratios",
                "Per epoch, each weight's ‖update‖ / ‖value‖ at the epoch's first step (about 1e-3 is healthy), named by layer: the weight 0.weight is .layer0_weight."
            ) { h, _ in
                .list(
                    h.history.updateRatios.map { epoch in
                        .object(RecordObject("update ratios", epoch.sorted { $0.key < $1.key }.map { (memberName($0.key), .number($0.value)) }))
                    })
            }
            t.property("best_val_acc", "The best validation accuracy reached.") { h, _ in .number(h.history.bestValAccuracy) }
            t.property("best_epoch", "The epoch that reached it.") { h, _ in .number(Double(h.history.bestEpoch)) }
            t.property("stop_reason", "Why training stopped.") { h, _ in .string(h.history.stopReason.description) }
            t.property("seconds", "Wall-clock seconds the run took.") { h, _ in .number(h.history.seconds) }
            t.property("iterations_per_epoch", "Iterations in one epoch.") { h, _ in .number(Double(h.history.iterationsPerEpoch)) }
        }
    }
}

/// A parameter name as a member name: `0.weight` → `layer0_weight`, `fc.bias` → `fc_bias`.
func memberName(_ parameter: String) -> String {
    let safe = String(parameter.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    return safe.first?.isNumber == true ? "layer" + safe : safe
}
