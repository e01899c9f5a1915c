import Foundation
import GraderFixtures
import Grading
import HomeworkKit
import TestSupport
import Testing

/// `gradschool project train|evaluate` on the reference architecture, with a few images so
/// it takes seconds: the checkpoint it saves is the one the grader loads.
@Suite struct ProjectRunTests {
    /// Two epochs on 60 images, changed by `adjust`.
    static func settings(_ adjust: (inout ProjectTraining) -> Void = { _ in }) -> ProjectTraining {
        var s = ProjectTraining()
        s.trainingImages = 60
        s.batchSize = 20
        s.epochs = 2
        adjust(&s)
        return s
    }

    func table(_ checkpoint: String, _ settings: ProjectTraining = Self.settings()) -> ExerciseTable {
        var t = ExerciseTable.solutions
        t.projectCheckpoint = checkpoint
        t.projectTraining = { settings }
        return t
    }

    @Test func trainingSavesACheckpointTheGraderLoads() throws {
        let scratch = try ScratchFolder("project")
        let t = table(scratch.file("project/model.npz"))
        var lines: [String] = []
        let outcome = try ProjectRun.train(t, budget: 60, checkpoint: t.projectCheckpoint) { lines.append($0) }
        #expect(outcome.epochs == 2 && !outcome.stoppedByBudget)
        #expect(lines.contains { $0.hasPrefix("Finished epoch 2 / 2") }, "\(lines)")
        let accuracy = try ProjectRun.evaluate(t, count: 50, seed: 3)
        #expect(accuracy >= 0 && accuracy <= 1)
        // The grader's first part loads the same file into the same architecture.
        let result = Gradebook.grade(Gradebook.exercise("a5.project")!, t, seed: 9)
        #expect(result.parts[0].status == .passed, "\(result.messages)")
    }

    @Test func theBudgetStopsTraining() throws {
        let scratch = try ScratchFolder("project")
        let t = table(scratch.file("model.npz"), Self.settings { $0.epochs = 10_000 })
        let outcome = try ProjectRun.train(t, budget: 0.5, checkpoint: t.projectCheckpoint) { _ in }
        #expect(outcome.stoppedByBudget && outcome.epochs < 10_000)
        #expect(FileManager.default.fileExists(atPath: t.projectCheckpoint))
    }

    static let outOfRange: [(String, ProjectTraining)] = [
        ("epochs", settings { $0.epochs = 0 }), ("epochs", settings { $0.epochs = -3 }),
        ("trainingImages", settings { $0.trainingImages = 10 }), ("trainingImages", settings { $0.trainingImages = Int.max }),
        ("batchSize", settings { $0.batchSize = 0 }), ("batchSize", settings { $0.batchSize = 1 << 62 }),
        ("learningRate", settings { $0.learningRate = .nan }), ("learningRate", settings { $0.learningRate = -1 }),
        ("learningRate", settings { $0.learningRate = .infinity }), ("learningRateDecay", settings { $0.learningRateDecay = 0 }),
        ("weightDecay", settings { $0.weightDecay = -0.1 }), ("update rule", settings { $0.optimizer = "lbfgs" })
    ]

    @Test("settings out of range are refused by name before anything is trained or written", arguments: outOfRange)
    func badSettings(_ name: String, _ settings: ProjectTraining) throws {
        let scratch = try ScratchFolder("project")
        let t = table(scratch.file("model.npz"), settings)
        let error = #expect(throws: (any Error).self) { try ProjectRun.train(t, checkpoint: t.projectCheckpoint) { _ in } }
        #expect("\(error.map { "\($0)" } ?? "")".contains(name), "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: t.projectCheckpoint))
    }
}
