import Autograd
import Foundation
import NeuralNet
import Optimizers
import Random
import Tensors

/// Trains a classifier the way the course's `ClassifierTrainer` does: mini-batch updates,
/// one evaluation per epoch on a training sample and on the validation split, and the best
/// model by validation accuracy at the end.
///
/// Lines printed (when `verbose`):
/// ```
/// Finished epoch 1 / 200: cost 2.302603, train: 0.400000, val 0.400000, lr 1.000000e-03
/// finished optimization. best validation accuracy: 1.000000
/// ```
public final class Trainer<Scalar: TensorScalar> {
    public let model: Module<Scalar>
    public var options: TrainerOptions
    /// The optimizer; built from `options.update` unless one is given.
    public private(set) var optimizer: Optimizer<Scalar>
    public private(set) var history = TrainingHistory()
    /// Receives whole lines of output.
    public var printLine: (String) -> Void = { print($0) }
    /// Receives a transient status line (progress bar); nil prints nothing.
    public var printStatus: ((String) -> Void)? =
        standardOutputIsTerminal
        ? { status in
            FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + status).utf8))
        } : nil
    /// Polled every iteration; returning true stops the run (Ctrl-C at the prompt).
    public var shouldStop: () -> Bool = { false }

    /// Parameter values of the best model so far.
    var bestParameters: [Tensor<Scalar>] = []

    public init(model: Module<Scalar>, options: TrainerOptions = TrainerOptions(), optimizer: Optimizer<Scalar>? = nil) {
        self.model = model
        self.options = options
        self.optimizer =
            optimizer
            ?? options.update.make(
                parameters: model.parameters, learningRate: options.learningRate,
                momentum: options.momentum)
    }

    /// The data loss plus the regularization penalty on one batch.
    public func loss(inputs: Tensor<Scalar>, labels: [Int]) throws -> Variable<Scalar> {
        let scores = try model(inputs)
        let data =
            options.loss == .softmax
            ? try scores.softmaxCrossEntropy(labels: labels)
            : try scores.multiclassHinge(labels: labels)
        if options.regularizer.isZero { return data }
        return try data + options.regularizer.penalty(model.parameters)
    }

    /// Accuracy of the model (in evaluation mode, no graph) on `data`, in batches.
    public func accuracy(on data: Dataset<Scalar>, limit: Int? = nil) throws -> Double {
        // Schedule-free optimizers evaluate their averaged weights.
        optimizer.prepareForEvaluation()
        defer { optimizer.prepareForTraining() }
        return try data.accuracy(of: model, limit: limit)
    }

    /// Runs the whole optimization and leaves the best model (by validation accuracy) in `model`.
    @discardableResult
    public func train(_ train: Dataset<Scalar>, validation val: Dataset<Scalar>) throws -> TrainingHistory {
        guard train.count > 0 else { throw DataError.invalid("train: the training split is empty") }
        if options.sanityCheck {
            for line in try SanityCheck.run(model: model, data: train, loss: options.loss).lines { emit(line) }
        }
        history = TrainingHistory()
        let batches = MiniBatches(count: train.count, batchSize: options.batchSize, sampleBatches: options.sampleBatches)
        history.iterationsPerEpoch = batches.iterationsPerEpoch
        var generator = SeededGenerator(seed: options.seed)
        var augmentGenerator = SeededGenerator(seed: options.seed &+ 0x5151)
        let totalIterations = options.epochs * batches.iterationsPerEpoch
        var iteration = 0
        var initialLoss: Double?
        var epochsWithoutImprovement = 0
        let start = Date()
        bestParameters = model.parameters.map { $0.variable.value }
        history.bestValAccuracy = -1
        model.training = true

        epochs: for epoch in 1...max(options.epochs, 1) where options.epochs > 0 {
            // A schedule sets every iteration's rate itself; the per-epoch decay is the default
            // schedule, so the two never compound.
            let epochRate =
                options.schedule == .constant
                ? options.learningRate * Foundation.pow(options.learningRateDecay, Double(epoch - 1)) : options.learningRate
            var lastLoss = Double.nan
            for (b, idx) in batches.epoch(using: &generator).enumerated() {
                if shouldStop() { history.stopReason = .interrupted(iteration: iteration); break epochs }
                let rate = options.schedule.rate(base: epochRate, at: iteration)
                optimizer.learningRate = rate
                var x = try train.inputs.take(idx)
                x = try options.augmentation.apply(x, using: &augmentGenerator)
                let loss = try self.loss(inputs: x, labels: idx.map { train.labels[$0] })
                let value = Double(loss.value.scalars[0])
                iteration += 1
                history.loss.append(value)
                history.learningRate.append(rate)
                history.examplesSeen += idx.count
                lastLoss = value
                guard value.isFinite else {
                    history.stopReason = .nonFinite(iteration: iteration, epoch: epoch)
                    break epochs
                }
                if initialLoss == nil { initialLoss = value }
                if let factor = options.quitEarlyFactor, let initialLoss, value > factor * initialLoss {
                    history.stopReason = .quitEarly(iteration: iteration, loss: value, initialLoss: initialLoss, factor: factor)
                    break epochs
                }
                try loss.backward()
                let before = b == 0 ? model.parameters.map { $0.variable.value } : []
                try optimizer.step()
                optimizer.zeroGrad()
                if let c = options.maxNorm {
                    for p in model.parameters where p.role == .weight { try maxNormProject(&p.variable.value, maxNorm: Scalar(c)) }
                }
                if b == 0 { history.updateRatios.append(try updateRatios(before: before)) }
                if iteration == 1 { try evaluate(epoch: 0, cost: value, train: train, val: val, lr: rate) }
                if let printStatus, options.verbose {
                    let elapsed = Date().timeIntervalSince(start)
                    let eta = elapsed / Double(iteration) * Double(totalIterations - iteration)
                    printStatus(progressLine(epoch: epoch, iteration: iteration, total: totalIterations, loss: value, eta: eta))
                }
            }
            let improved = try evaluate(epoch: epoch, cost: lastLoss, train: train, val: val, lr: optimizer.learningRate)
            epochsWithoutImprovement = improved ? 0 : epochsWithoutImprovement + 1
            if let patience = options.patience, epochsWithoutImprovement >= patience {
                history.stopReason = .earlyStopping(epoch: epoch, patience: patience)
                break
            }
        }
        if printStatus != nil && options.verbose { printStatus?("") }
        history.seconds = Date().timeIntervalSince(start)
        if history.stopReason != .completed { emit(history.stopReason.description) }
        restoreBest()
        if history.bestValAccuracy < 0 { history.bestValAccuracy = 0 }
        emit(String(format: "finished optimization. best validation accuracy: %f", history.bestValAccuracy))
        return history
    }

    /// Puts the best parameters seen so far back into the model.
    public func restoreBest() {
        optimizer.prepareForEvaluation()
        for (p, best) in zip(model.parameters, bestParameters) { p.variable.value = best }
    }

    @discardableResult
    func evaluate(epoch: Int, cost: Double, train: Dataset<Scalar>, val: Dataset<Scalar>, lr: Double) throws -> Bool {
        let trainAccuracy = try accuracy(on: train, limit: options.trainAccuracySamples)
        let valAccuracy = try accuracy(on: val)
        history.trainAccuracy.append(trainAccuracy)
        history.valAccuracy.append(valAccuracy)
        if printStatus != nil && options.verbose { printStatus?("") }
        emit(
            String(
                format: "Finished epoch %d / %d: cost %f, train: %f, val %f, lr %e",
                epoch, options.epochs, cost, trainAccuracy, valAccuracy, lr))
        guard valAccuracy > history.bestValAccuracy else { return false }
        history.bestValAccuracy = valAccuracy
        history.bestEpoch = epoch
        optimizer.prepareForEvaluation()
        bestParameters = model.parameters.map { $0.variable.value }
        optimizer.prepareForTraining()
        return true
    }

    func emit(_ line: String) { if options.verbose { printLine(line) } }

    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    func updateRatios(before: [Tensor<Scalar>]) throws -> [String: Double] {
        var ratios: [String: Double] = [:]
        for (p, old) in zip(model.parameters, before) where p.role == .weight {
            let new = p.variable.value.scalars, previous = old.scalars
            var du = 0.0, w = 0.0
            for i in new.indices {
                let d = Double(new[i] - previous[i]); du += d * d
                w += Double(previous[i]) * Double(previous[i])
            }
            ratios[p.name] = w > 0 ? (du / w).squareRoot() : 0
        }
        return ratios
    }

    func progressLine(epoch: Int, iteration: Int, total: Int, loss: Double, eta: Double) -> String {
        let width = 24
        let done = total > 0 ? Int(Double(width) * Double(iteration) / Double(total)) : width
        let bar = String(repeating: "█", count: done) + String(repeating: "·", count: width - done)
        return "epoch \(epoch)/\(options.epochs) \(bar) it \(iteration)/\(total) loss \(String(format: "%.4f", loss)) ETA \(formatDuration(eta))"
    }
}

func formatDuration(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    if s < 60 { return String(format: "%.0fs", s) }
    if s < 3600 { return String(format: "%dm%02ds", Int(s) / 60, Int(s) % 60) }
    return String(format: "%dh%02dm", Int(s) / 3600, (Int(s) % 3600) / 60)
}
