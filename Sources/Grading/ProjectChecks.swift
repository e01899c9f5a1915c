import Foundation
import HomeworkKit
import NeuralNet
import Random
import Tensors
import Training

/// The final project's grading: the student's architecture, rebuilt from their code, with
/// their committed checkpoint loaded, tested on images generated at grading time.
enum ProjectGrading {
    /// The seed `gradschool project train` draws its training images from. Test images come
    /// from other seeds, drawn per grading run.
    static let trainingSeed: UInt64 = 1
    /// Test images in the accuracy measurement.
    static let testImages = 2_000

    /// The student's model with their checkpoint loaded, or a failure that says what to do.
    static func loadedModel(_ t: ExerciseTable) throws -> Module<Float> {
        var g = SeededGenerator(seed: 0)
        let model = try t.projectModel(&g)
        let count = model.parameters.reduce(0) { $0 + $1.variable.value.count }
        try Check.that(count <= ProjectRules.maximumParameters, "project: your model has \(count) parameters; the limit is \(ProjectRules.maximumParameters)")
        try Check.that(FileManager.default.fileExists(atPath: t.projectCheckpoint), "project: no trained model at \(t.projectCheckpoint): run `gradschool project train` and commit \(ProjectRules.checkpointPath)")
        do { try model.load(from: t.projectCheckpoint) } catch {
            throw GradingFailure("project: your checkpoint does not fit the model projectModel builds (\(error)); train again after changing the architecture")
        }
        return model
    }

    /// Accuracy on `testImages` fresh images from a seed that is never the training seed,
    /// measured once per model and checkpoint in a process: the first part to ask draws the
    /// test set's seed, and every part and the leaderboard read that one measurement.
    static func accuracy(_ t: ExerciseTable, _ g: inout SeededGenerator) throws -> Double {
        let model = try loadedModel(t)
        let modified = (try? FileManager.default.attributesOfItem(atPath: t.projectCheckpoint)[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let architecture = (try? String(decoding: JSONEncoder().encode(model.layerDescription), as: UTF8.self)) ?? ""
        let key = "\(t.projectCheckpoint)|\(modified)|\(architecture)"
        if let known = measured.value(for: key) { return known }
        let accuracy = try images(count: testImages, seed: g.next() >> 11).accuracy(of: model)
        measured.set(accuracy, for: key)
        return accuracy
    }

    /// `count` project images from `seed`, or from the next seed when that is the training one.
    static func images(count: Int, seed: UInt64) throws -> Dataset<Float> {
        try SyntheticImages.make(count: count, seed: seed == trainingSeed ? seed + 1 : seed, noise: ProjectRules.imageNoise, as: Float.self)
    }

    static let measured = Measurements()

    /// Accuracies already measured in this process, by model and checkpoint.
    final class Measurements: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [String: Double] = [:]
        func value(for key: String) -> Double? { lock.withLock { values[key] } }
        func set(_ value: Double, for key: String) { lock.withLock { values[key] = value } }
    }

    /// A part worth `points` when the accuracy on fresh images reaches `threshold`.
    static func threshold(_ threshold: Double, points: Double) -> Part {
        Part("accuracy ≥ \(Int((threshold * 100).rounded())) %", points: points) { t, g in
            let a = try accuracy(t, &g)
            try Check.that(a >= threshold, String(format: "project: %.1f %% of %d fresh test images right; this part needs %.0f %%", 100 * a, testImages, 100 * threshold))
        }
    }
}

let projectExercises: [Exercise] = [
    Exercise(
        id: "a5.project", assignment: 5, title: "Final project: your own ConvNet, trained within the budget", timeLimit: 180,
        parts: [
            Part("model and checkpoint", points: 2) { t, _ in _ = try ProjectGrading.loadedModel(t) },
            ProjectGrading.threshold(0.3, points: 2),
            ProjectGrading.threshold(0.5, points: 2),
            ProjectGrading.threshold(0.7, points: 2),
            ProjectGrading.threshold(0.85, points: 2)
        ])
]
