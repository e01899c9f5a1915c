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

    /// The images a project trains and is evaluated on: the course's generated images (what
    /// the grader uses), or real CIFAR-10 from the data folder (`gradschool fetch cifar10`),
    /// for a run that is not graded.
    public enum Images: Sendable {
        case generated
        case cifar10(dataFolder: URL)

        func training(count: Int) throws -> Dataset<Float> {
            switch self {
            case .generated:
                return try SyntheticImages.make(count: count, seed: ProjectGrading.trainingSeed, noise: ProjectRules.imageNoise, as: Float.self)
            case .cifar10(let folder):
                let choice = try CourseImages.load(count: count, split: .train, directory: folder)
                guard choice.isCIFAR10 else { throw GradingFailure("CIFAR-10 is not in \(folder.path): run `gradschool fetch cifar10` first") }
                return choice.images
            }
        }

        func test(count: Int, seed: UInt64) throws -> Dataset<Float> {
            switch self {
            case .generated:
                return try ProjectGrading.images(count: count, seed: seed)
            case .cifar10(let folder):
                let choice = try CourseImages.load(count: min(count, 10_000), split: .test, directory: folder)
                guard choice.isCIFAR10 else { throw GradingFailure("CIFAR-10 is not in \(folder.path): run `gradschool fetch cifar10` first") }
                return choice.images
            }
        }
    }

    /// Trains a fresh model on `trainingImages` images (10 % held out for validation), stops
    /// at `budget` seconds, keeps the best epoch's weights and saves them to `checkpoint`.
    /// `log` receives the trainer's lines.
    public static func train(
        _ t: ExerciseTable, budget: Double = ProjectRules.budgetSeconds, checkpoint: String, on data: Images = .generated,
        log: @escaping (String) -> Void
    ) throws -> Outcome {
        let settings = try t.projectTraining()
        try settings.validate()
        let update = try UpdateRule(name: settings.optimizer)
        var g = SeededGenerator(seed: 0)
        let model = try t.projectModel(&g)
        let images = try data.training(count: settings.trainingImages)
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

    /// Accuracy of the saved model on `count` images from `seed` (never the training seed),
    /// or on the first `count` of CIFAR-10's test batch.
    public static func evaluate(_ t: ExerciseTable, count: Int = 2_000, seed: UInt64 = 12_345, on data: Images = .generated) throws -> Double {
        try data.test(count: count, seed: seed).accuracy(of: ProjectGrading.loadedModel(t))
    }
}
