import Tensors
import Training

/// A trainer at the prompt: `t = trainer(net, train, val, epochs: 5)`, then `t.run()`;
/// `t.history`, `t.optimizer`, `t.epochs` (settable) and `t.accuracy(data)`.
public final class TrainerObject: NativeObject {
    public let trainer: Trainer<Float>
    let train: Dataset<Float>
    let val: Dataset<Float>
    public init(_ trainer: Trainer<Float>, train: Dataset<Float>, val: Dataset<Float>) {
        self.trainer = trainer
        self.train = train
        self.val = val
    }
    public var typeName: String { "trainer" }

    public var summary: String {
        "trainer: \(trainer.options.update.rawValue), lr \(formatNumber(trainer.options.learningRate)), \(trainer.options.epochs) epochs, batch \(trainer.options.batchSize) on \(train.count) examples"
    }

    /// Trains with output, progress and Ctrl-C wired to the session.
    public func run(in interp: Interpreter) throws -> TrainingHistory {
        trainer.printLine = { interp.output($0) }
        trainer.printStatus = interp.status
        trainer.shouldStop = { interp.interrupt.isRaised }
        return try trainer.train(train, validation: val)
    }

    static func declareMembers(_ r: inout BuiltinRegistry) {
        r.declareMembers(of: TrainerObject.self, "trainer", doc: "a model, its data and its settings, ready to run.") { t in
            t.method("run", "Trains for the set number of epochs and returns the history (Ctrl-C stops early).") { tr, _, interp in
                .object(HistoryObject(try tr.run(in: interp)))
            }
            t.property("history", "What the runs so far recorded.") { tr, _ in .object(HistoryObject(tr.trainer.history)) }
            t.property("optimizer", "The optimizer the trainer steps.") { tr, _ in .object(OptimizerObject(tr.trainer.optimizer)) }
            t.property("model", "The model being trained.") { tr, _ in .object(ModelObject(tr.trainer.model)) }
            t.settable(
                "epochs", .whole(.count), "Epochs the next run() trains.", get: { tr, _ in .number(Double(tr.trainer.options.epochs)) },
                set: { tr, v, _ in tr.trainer.options.epochs = Int(v.numberValue ?? 0) })
            t.settable(
                "lr", .nonNegative, "The base learning rate.", get: { tr, _ in .number(tr.trainer.options.learningRate) },
                set: { tr, v, _ in tr.trainer.options.learningRate = v.numberValue ?? tr.trainer.options.learningRate })
            t.method("accuracy", [Param("data", .object("dataset"))], "The model's accuracy on a dataset, in eval mode.") { tr, a, _ in
                .number(try tr.trainer.accuracy(on: try dataset(a)))
            }
        }
    }
}
