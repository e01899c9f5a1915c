import Autograd
import Foundation
import NeuralNet
import Optimizers
import Tensors
import Training

/// A model at the prompt; calling it runs the forward pass: `net(x)`.
public final class ModelObject: NativeObject, Callable {
    public let module: Module<Float>
    public init(_ module: Module<Float>) { self.module = module }
    public var typeName: String { "model" }
    public var name: String { "model" }
    public var memberNames: [String] { ["params", "param_names", "layers", "parameter_count", "training", "grads"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "params": return .list(module.parameters.map { .tensor($0.variable) })
        case "param_names": return .list(module.parameters.map { .string($0.name) })
        case "grads": return .list(module.parameters.map { p in p.variable.grad.map { .tensor(Variable($0)) } ?? .none })
        case "layers":
            if let s = module as? Sequential<Float> { return .list(s.layers.map { .object(ModelObject($0)) }) }
            return .list(module.children.map { .object(ModelObject($0.module)) })
        case "parameter_count": return .number(Double(module.parameterCount))
        case "training": return .bool(module.training)
        case "weight":
            if let l = module as? Linear<Float> { return .tensor(l.weight) }
            if let c = module as? Conv2d<Float> { return .tensor(c.weight) }
            return nil
        case "bias":
            if let l = module as? Linear<Float> { return l.bias.map { .tensor($0) } ?? Value.none }
            if let c = module as? Conv2d<Float> { return c.bias.map { .tensor($0) } ?? Value.none }
            return nil
        case "mask":
            if let d = module as? Dropout<Float> { return d.lastMask.map { .tensor(Variable($0)) } ?? Value.none }
            return nil
        default: return nil
        }
    }

    public func setMember(_ name: String, _ value: Value) throws -> Bool {
        guard name == "training", case .bool(let b) = value else { return false }
        module.training = b
        return true
    }

    public var summary: String {
        var lines = ["model: \(module.summary), \(module.parameterCount) parameters"]
        if let s = module as? Sequential<Float> {
            for (i, layer) in s.layers.enumerated() { lines.append("  \(i): \(layer.summary)") }
        }
        return lines.joined(separator: "\n")
    }

    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let x = try args.tensor(0, "x")
        return .tensor(try module(x))
    }
}

/// A dataset: `data.x`, `data.y`, `data.count`, `data[:20]`.
public final class DatasetObject: NativeObject, SequenceObject {
    public let data: Dataset<Float>
    public init(_ data: Dataset<Float>) { self.data = data }
    public var typeName: String { "dataset" }
    public var memberNames: [String] { ["x", "y", "count", "classes", "class_names", "shape", "class_counts", "name"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "x": return .tensor(Variable(data.inputs))
        case "y": return .list(data.labels.map { .number(Double($0)) })
        case "count": return .number(Double(data.count))
        case "classes": return .number(Double(data.classCount))
        case "class_names": return .list(data.classNames.map { .string($0) })
        case "shape": return .list(data.exampleShape.map { .number(Double($0)) })
        case "class_counts": return .list(data.classCounts.map { .number(Double($0)) })
        case "name": return .string(data.name)
        case "__index__":
            return .function(BoundMethod("index") { args, _ in
                let idx = try args.wholeList(0, "index", .index)
                return .object(DatasetObject(try self.data.subset(idx.map { $0 < 0 ? $0 + self.data.count : $0 })))
            })
        default: return nil
        }
    }

    public func elements() throws -> [Value] {
        try (0..<data.count).map { .list([.tensor(Variable(try data.inputs.slice([.index($0)]))), .number(Double(data.labels[$0]))]) }
    }

    public var summary: String { "dataset \(data.description)" }
}

/// Train/val/test splits; reading `.test` a second time warns.
public final class SplitsObject: NativeObject {
    public let splits: DataSplits<Float>
    public init(_ splits: DataSplits<Float>) { self.splits = splits }
    public var typeName: String { "splits" }
    public var memberNames: [String] { ["train", "val", "test", "test_uses"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "train": return .object(DatasetObject(splits.train))
        case "val": return .object(DatasetObject(splits.val))
        case "test":
            splits.warn = { interpreter.output("warning: " + $0) }
            return .object(DatasetObject(splits.test()))
        case "test_uses": return .number(Double(splits.testUses))
        default: return nil
        }
    }

    public var summary: String {
        let s = splits.sizes
        return "splits: train \(s.train), val \(s.val), test \(s.test) (the test split is for the very end)"
    }
}

/// An optimizer: `opt.step()`, `opt.zero_grad()`, `opt.lr`, `opt.state`.
public final class OptimizerObject: NativeObject {
    public let optimizer: Optimizer<Float>
    public init(_ optimizer: Optimizer<Float>) { self.optimizer = optimizer }
    public var typeName: String { "optimizer" }
    public var memberNames: [String] { ["step", "zero_grad", "lr", "iteration", "name", "state", "slots", "eval", "train"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "step": return .function(BoundMethod("step") { _, _ in try self.optimizer.step(); return .none })
        case "zero_grad": return .function(BoundMethod("zero_grad") { _, _ in self.optimizer.zeroGrad(); return .none })
        case "eval": return .function(BoundMethod("eval") { _, _ in self.optimizer.prepareForEvaluation(); return .none })
        case "train": return .function(BoundMethod("train") { _, _ in self.optimizer.prepareForTraining(); return .none })
        case "lr": return .number(optimizer.learningRate)
        case "iteration": return .number(Double(optimizer.iteration))
        case "name": return .string(optimizer.name)
        case "slots": return .list(optimizer.slotNames.map { .string($0) })
        case "state":
            var fields: [(String, Value)] = []
            for slot in optimizer.slotNames {
                let bySlot = optimizer.slot(slot)
                fields.append((slot, .list(optimizer.parameters.map { p in bySlot[p.name].map { .tensor(Variable($0)) } ?? .none })))
            }
            return .object(RecordObject("optimizer state", fields))
        default: return nil
        }
    }

    public func setMember(_ name: String, _ value: Value) throws -> Bool {
        guard name == "lr", case .number(let x) = value else { return false }
        optimizer.learningRate = x
        return true
    }

    public var summary: String { optimizer.description }
}

/// A training history: `h.loss`, `h.train_acc`, `h.val_acc`, `h.lr`, `h.update_ratios`.
public final class HistoryObject: NativeObject {
    public let history: TrainingHistory
    public init(_ history: TrainingHistory) { self.history = history }
    public var typeName: String { "history" }
    public var memberNames: [String] {
        ["loss", "train_acc", "val_acc", "lr", "update_ratios", "best_val_acc", "best_epoch", "stop_reason", "seconds", "iterations_per_epoch"]
    }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        func numbers(_ xs: [Double]) -> Value { .list(xs.map { .number($0) }) }
        switch name {
        case "loss": return numbers(history.loss)
        case "train_acc": return numbers(history.trainAccuracy)
        case "val_acc": return numbers(history.valAccuracy)
        case "lr": return numbers(history.learningRate)
        case "update_ratios":
            return .list(history.updateRatios.map { epoch in
                .object(RecordObject("update ratios", epoch.sorted { $0.key < $1.key }.map { ($0.key, .number($0.value)) }))
            })
        case "best_val_acc": return .number(history.bestValAccuracy)
        case "best_epoch": return .number(Double(history.bestEpoch))
        case "stop_reason": return .string(history.stopReason.description)
        case "seconds": return .number(history.seconds)
        case "iterations_per_epoch": return .number(Double(history.iterationsPerEpoch))
        default: return nil
        }
    }

    public var summary: String {
        let last = history.loss.last.map { formatNumber($0) } ?? "-"
        return "history: \(history.loss.count) iterations, \(max(0, history.valAccuracy.count - 1)) epochs, last loss \(last), best val \(formatNumber(history.bestValAccuracy)) (\(history.stopReason))"
    }
}

/// A learning-rate schedule: `s.rate(t)`, `s.values(n)`.
public final class ScheduleObject: NativeObject {
    public let schedule: LearningRateSchedule
    public let base: Double
    public init(_ schedule: LearningRateSchedule, base: Double) { self.schedule = schedule; self.base = base }
    public var typeName: String { "schedule" }
    public var memberNames: [String] { ["rate", "values", "formula", "base"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "rate": return .function(BoundMethod("rate") { args, _ in .number(self.schedule.rate(base: self.base, at: try args.whole(0, "t", .count))) })
        case "values":
            return .function(BoundMethod("values") { args, _ in
                let n = try args.whole(0, "n", .count.within(0...Value.maximumListCount))
                return .list((0..<max(0, n)).map { .number(self.schedule.rate(base: self.base, at: $0)) })
            })
        case "formula": return .string(schedule.formula)
        case "base": return .number(base)
        default: return nil
        }
    }

    public var summary: String { "schedule \(schedule.formula), lr = \(formatNumber(base))" }
}

/// Fitted preprocessing: `p.apply(data)`, `p.mean`, `p.eigenvalues`.
public final class PreprocessorObject: NativeObject {
    public let preprocessing: Preprocessing
    public init(_ p: Preprocessing) { preprocessing = p }
    public var typeName: String { "preprocessing" }
    public var memberNames: [String] { ["apply", "mean", "eigenvalues", "kind"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "apply":
            return .function(BoundMethod("apply") { args, _ in
                guard let v = args.value(0, "data") else { throw LangError(.type, "apply: missing data") }
                if case .object(let o) = v, let d = o as? DatasetObject { return .object(DatasetObject(try self.preprocessing.apply(d.data))) }
                let t = try args.tensor(0, "data")
                return .tensor(Variable(try self.preprocessing.apply(t.value)))
            })
        case "mean":
            return .tensor(Variable(Tensor(preprocessing.mean.map { Float($0) })))
        case "eigenvalues": return .list(preprocessing.eigenvalues.map { .number($0) })
        case "kind":
            // The name preprocess() takes, not the Swift case.
            switch preprocessing.kind {
            case .meanImage: return .string("mean_image")
            case .perChannelMean: return .string("channel_mean")
            case .standardize: return .string("standardize")
            case .pca: return .string("pca")
            case .pcaWhiten: return .string("pca_whiten")
            case .zcaWhiten: return .string("zca_whiten")
            }
        default: return nil
        }
    }

    public var summary: String { "preprocessing \(preprocessing.kind), fitted on examples of shape \(preprocessing.exampleShape)" }
}

/// A read-only record of named fields (reports, statistics, search trials).
public final class RecordObject: NativeObject {
    public let typeName: String
    public let fields: [(String, Value)]
    let text: String?

    public init(_ typeName: String, _ fields: [(String, Value)], summary: String? = nil) {
        self.typeName = typeName
        self.fields = fields
        self.text = summary
    }

    public var memberNames: [String] { fields.map(\.0) }
    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? { fields.first { $0.0 == name }?.1 }
    public var summary: String {
        text ?? "\(typeName): " + fields.map { "\($0.0)=\(format($0.1, nested: true))" }.joined(separator: ", ")
    }
}

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

    /// Trains with output, progress and Ctrl-C wired to the session.
    public func run(in interp: Interpreter) throws -> TrainingHistory {
        trainer.printLine = { interp.output($0) }
        trainer.printStatus = interp.status
        trainer.shouldStop = { interp.interrupt.isRaised }
        return try trainer.train(train, validation: val)
    }

    public var memberNames: [String] { ["run", "history", "optimizer", "model", "epochs", "lr", "accuracy"] }

    public func member(_ name: String, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "run":
            return .function(BoundMethod("run") { _, interp in .object(HistoryObject(try self.run(in: interp))) })
        case "history": return .object(HistoryObject(trainer.history))
        case "optimizer": return .object(OptimizerObject(trainer.optimizer))
        case "model": return .object(ModelObject(trainer.model))
        case "epochs": return .number(Double(trainer.options.epochs))
        case "lr": return .number(trainer.options.learningRate)
        case "accuracy":
            return .function(BoundMethod("accuracy") { args, _ in
                .number(try self.trainer.accuracy(on: try dataset(args, 0)))
            })
        default: return nil
        }
    }

    public func setMember(_ name: String, _ value: Value) throws -> Bool {
        guard case .number(let x) = value else { return false }
        switch name {
        case "epochs": trainer.options.epochs = try Arguments.whole(x, name: "epochs", .count, callee: "trainer", location: .unknown)
        case "lr": trainer.options.learningRate = x
        default: return false
        }
        return true
    }

    public var summary: String {
        "trainer: \(trainer.options.update.rawValue), lr \(formatNumber(trainer.options.learningRate)), \(trainer.options.epochs) epochs, batch \(trainer.options.batchSize) on \(train.count) examples"
    }
}
