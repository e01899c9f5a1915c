import Foundation
import NeuralNet
import Optimizers
import Tensors
import TestSupport
import Testing
import Training

/// Small splits of the embedded image set shared by the trainer tests.
enum Embedded {
    static let images: Dataset<Float> = try! SyntheticImages.make(count: 300, seed: 11)
    static let splits = try! images.split(train: 200, val: 50, seed: 1)
}

@Suite struct TrainerTests {
    func options(_ change: (inout TrainerOptions) -> Void) -> TrainerOptions {
        var o = TrainerOptions()
        o.verbose = true
        change(&o)
        return o
    }

    @Test func overfitsTwentyExamplesWithTheCourseLogLines() throws {
        let twenty = try Embedded.splits.train.prefix(20)
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-4, seed: 1)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 200; $0.update = .sgd; $0.learningRate = 0.1; $0.learningRateDecay = 1
                $0.regularizer = .none; $0.sampleBatches = false
            })
        var lines: [String] = []
        trainer.printLine = { lines.append($0) }
        trainer.printStatus = nil
        let history = try trainer.train(twenty, validation: twenty)
        #expect(history.trainAccuracy.last == 1.0, "train accuracy \(history.trainAccuracy.suffix(3))")
        #expect(history.loss.count == 200)
        let pattern = #/Finished epoch 1 / 200: cost \d+\.\d{6}, train: \d\.\d{6}, val \d\.\d{6}, lr 1\.000000e-01/#
        #expect(lines.contains { $0.wholeMatch(of: pattern) != nil }, "\(lines.prefix(3))")
        #expect(lines.last == "finished optimization. best validation accuracy: 1.000000")
        #expect(try trainer.accuracy(on: twenty) == 1)
    }

    @Test func tinyLearningRateBarelyMovesTheLoss() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-4, seed: 2)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 3; $0.update = .sgd; $0.learningRate = 1e-6; $0.batchSize = 50; $0.verbose = false
            })
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        let first = h.loss.first!, last = h.loss.last!
        #expect(abs(last - first) / first < 0.01)
        #expect(abs(first - log(10)) < 0.01, "initial loss \(first) should be log 10")
        #expect(h.stopReason == .completed)
    }

    @Test func hugeLearningRateQuitsEarly() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-2, seed: 3)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 5; $0.update = .sgd; $0.learningRate = 1e6; $0.batchSize = 50
            })
        var lines: [String] = []
        trainer.printLine = { lines.append($0) }
        trainer.printStatus = nil
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        #expect(h.stopReason.isDivergence, "\(h.stopReason)")
        #expect(h.loss.count < 10)
        #expect(lines.contains { $0.contains("quit early") || $0.contains("NaN") })
    }

    @Test("the quit-early message states the factor in force, not a fixed 3×")
    func quitEarlyMessageUsesItsFactor() {
        let reason = StopReason.quitEarly(iteration: 7, loss: 12, initialLoss: 2.3, factor: 5)
        #expect(reason.description.contains("more than 5× the initial loss"))
        #expect(!reason.description.contains("3×"))
    }

    @Test func earlyStoppingAndBestModelIsRestored() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 20, classes: 10, std: 1e-3, seed: 4)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 50; $0.update = .sgd; $0.learningRate = 1e-7; $0.patience = 2; $0.verbose = false
                $0.batchSize = 100
            })
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        guard case .earlyStopping(let epoch, 2) = h.stopReason else {
            Issue.record("expected early stopping, got \(h.stopReason)"); return
        }
        #expect(epoch < 50)
        #expect(try trainer.accuracy(on: Embedded.splits.val) == h.bestValAccuracy)
    }

    @Test func interruptionKeepsTheRunUsable() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 10, classes: 10, std: 1e-3, seed: 5)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 10; $0.verbose = false; $0.batchSize = 20
            })
        var calls = 0
        trainer.shouldStop = {
            calls += 1; return calls > 3
        }
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        #expect(h.stopReason == .interrupted(iteration: 3))
        #expect(h.loss.count == 3)
    }

    @Test func historyRecordsUpdateRatiosAndSchedules() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 10, classes: 10, std: 1e-3, seed: 6)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 2; $0.verbose = false; $0.batchSize = 50; $0.learningRate = 1e-2; $0.learningRateDecay = 0.5
                $0.schedule = .warmup(steps: 2, then: .constant)
            })
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        #expect(h.iterationsPerEpoch == 4)
        #expect(h.learningRate.count == 8)
        #expect(abs(h.learningRate[0] - 5e-3) < 1e-12)
        #expect(abs(h.learningRate[4] - 1e-2) < 1e-12)  // epoch 2, past warmup: a schedule is not compounded with lr_decay
        #expect(h.updateRatios.count == 2)
        #expect(h.updateRatios[0].keys.sorted() == ["layers.0.weight", "layers.2.weight"].sorted() || h.updateRatios[0].count == 2)
        #expect(h.updateRatios[0].values.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(h.trainAccuracy.count == 3 && h.valAccuracy.count == 3)
    }

    /// With a schedule, every iteration's rate is the schedule's (lr_decay does not compound
    /// with it); without one, the rate is lr · decay^(epoch − 1) for the whole epoch.
    @Test(
        "fit's learning rate per iteration is the schedule's, or the per-epoch decay without one",
        arguments: [
            LearningRateSchedule.constant, .step(every: 3, factor: 0.5), .exponential(factor: 0.9, every: 2), .sqrtDecay(total: 12),
            .inverseTime(k: 0.3), .exponentialDecay(k: 0.1), .cosine(total: 12, floor: 1e-3),
            .cyclical(mode: .triangular2, maxRate: 0.05, stepSize: 3, gamma: 1), .warmup(steps: 4, then: .step(every: 5, factor: 0.1))
        ])
    func learningRatePerIteration(schedule: LearningRateSchedule) throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 8, classes: 10, std: 1e-3, seed: 8)
        let trainer = Trainer(
            model: net,
            options: options {
                $0.epochs = 3; $0.verbose = false; $0.batchSize = 50; $0.learningRate = 1e-2; $0.learningRateDecay = 0.5
                $0.update = .sgd; $0.schedule = schedule
            })
        let h = try trainer.train(Embedded.splits.train, validation: Embedded.splits.val)
        #expect(h.learningRate.count == 12)
        let expected = (0..<12).map { t in
            schedule == .constant ? 1e-2 * pow(0.5, Double(t / 4)) : schedule.rate(base: 1e-2, at: t)
        }
        expectClose(h.learningRate, expected, tolerance: 1e-15, "\(schedule)")
    }

    @Test func sanityChecksHoldAtInitialization() throws {
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1e-4, seed: 7)
        let s = try SanityCheck.run(model: net, data: Embedded.splits.train)
        #expect(s.initialLossIsChance, "\(s.lines)")
        #expect(s.regularizationRaisesLoss, "\(s.lines)")
        let svm = try SanityCheck.run(model: net, data: Embedded.splits.train, loss: .svm)
        #expect(abs(svm.initialLoss - 9) < 0.1)
        // A badly scaled initialization fails the first check.
        let loud: Sequential<Float> = try Models.twoLayerNet(inputs: 3072, hidden: 50, classes: 10, std: 1, seed: 7)
        #expect(try !SanityCheck.run(model: loud, data: Embedded.splits.train).initialLossIsChance)
    }

    @Test func optimizerStateSavesWithTheModel() throws {
        let net: Sequential<Double> = try Models.twoLayerNet(inputs: 4, hidden: 3, classes: 2, std: 0.1, seed: 8)
        let adam = Adam(parameters: net.parameters, learningRate: 0.01)
        let x = try Tensor<Double>(shape: [2, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8])
        try net(x).softmaxCrossEntropy(labels: [0, 1]).backward()
        try adam.step()
        let path = NSTemporaryDirectory() + "gradschool-\(UUID().uuidString).npz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try net.save(to: path, optimizer: adam)
        let copy: Sequential<Double> = try Models.twoLayerNet(inputs: 4, hidden: 3, classes: 2, std: 0.1, seed: 9)
        let copyAdam = Adam(parameters: copy.parameters, learningRate: 0.01)
        try copy.load(from: path, optimizer: copyAdam)
        #expect(copyAdam.iteration == 1)
        #expect(copyAdam.slot("m") == adam.slot("m"))
        #expect(copy.parameters.map(\.variable.value) == net.parameters.map(\.variable.value))
    }
}
