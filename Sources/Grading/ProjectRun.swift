import Foundation
import HomeworkKit
import NeuralNet
import Optimizers
import Random
import Tensors
import Training

/// Training and evaluating the final project's model, as `gradschool project` does: the
/// student's architecture and settings, the course's trainer, the budget enforced.
public enum ProjectRun {
    /// What a training run did.
    public struct Outcome: Sendable {
        public var seconds: Double
        public var epochs: Int
        public var stoppedByBudget: Bool
        public var bestValidationAccuracy: Double
    }

    /// Trains a fresh model on `trainingImages` generated images (10 % held out for
    /// validation), stops at `budget` seconds, keeps the best epoch's weights and saves them to
    /// `checkpoint`. `log` receives the trainer's lines.
    public static func train(
        _ t: ExerciseTable, budget: Double = ProjectRules.budgetSeconds, checkpoint: String, log: @escaping (String) -> Void
    ) throws -> Outcome {
        let settings = try t.projectTraining()
        try settings.validate()
        let update = try UpdateRule(name: settings.optimizer)
        var g = SeededGenerator(seed: 0)
        let model = try t.projectModel(&g)
        let images = try SyntheticImages.make(count: settings.trainingImages, seed: ProjectGrading.trainingSeed, noise: ProjectRules.imageNoise, as: Float.self)
        let held = max(10, settings.trainingImages / 10)
        let train = try images.subset(Array(0..<(images.count - held))), validation = try images.subset(Array((images.count - held)..<images.count))
        var options = TrainerOptions()
        options.epochs = settings.epochs
        options.batchSize = settings.batchSize
        options.learningRate = settings.learningRate
        options.learningRateDecay = settings.learningRateDecay
        options.update = update
        options.regularizer = settings.weightDecay > 0 ? .l2(settings.weightDecay) : .none
        options.augmentation = settings.augment ? Augmentation(cropPadding: 2, horizontalFlip: true) : .none
        options.seed = 7
        options.quitEarlyFactor = nil
        let trainer = Trainer(model: model, options: options)
        trainer.printLine = log
        trainer.printStatus = nil
        let started = Date()
        var stoppedByBudget = false
        trainer.shouldStop = {
            guard Date().timeIntervalSince(started) > budget else { return false }
            stoppedByBudget = true
            return true
        }
        let history = try trainer.train(train, validation: validation)
        let folder = (checkpoint as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try model.save(to: checkpoint)
        return Outcome(
            seconds: Date().timeIntervalSince(started), epochs: history.valAccuracy.count - 1, stoppedByBudget: stoppedByBudget,
            bestValidationAccuracy: history.bestValAccuracy)
    }

    /// Accuracy of the saved model on `count` images from `seed` (never the training seed).
    public static func evaluate(_ t: ExerciseTable, count: Int = 2_000, seed: UInt64 = 12_345) throws -> Double {
        try ProjectGrading.images(count: count, seed: seed).accuracy(of: ProjectGrading.loadedModel(t))
    }
}
