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

    @Test("a CIFAR-10 run reads the data folder's batches, and says so when they are missing")
    func trainingOnCIFAR10() throws {
        let scratch = try ScratchFolder("project-cifar")
        let data = scratch.url.appendingPathComponent("data")
        let batches = data.appendingPathComponent("cifar-10-batches-bin")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        // 30 records per batch; every image of class k is filled with 25·k.
        for (b, name) in ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"].enumerated() {
            let bytes = (0..<30).flatMap { r -> [UInt8] in
                let label = (b + r) % 10
                return [UInt8(label)] + [UInt8](repeating: UInt8(25 * label), count: 3072)
            }
            try Data(bytes).write(to: batches.appendingPathComponent(name + ".bin"))
        }
        let t = table(scratch.file("cifar10-model.npz"))
        let outcome = try ProjectRun.train(t, budget: 60, checkpoint: t.projectCheckpoint, on: .cifar10(dataFolder: data)) { _ in }
        #expect(outcome.epochs == 2)
        let accuracy = try ProjectRun.evaluate(t, count: 30, on: .cifar10(dataFolder: data))
        #expect(accuracy >= 0 && accuracy <= 1)
        let missing = scratch.url.appendingPathComponent("empty")
        let error = #expect(throws: GradingFailure.self) { try ProjectRun.train(t, checkpoint: t.projectCheckpoint, on: .cifar10(dataFolder: missing)) { _ in } }
        #expect(error?.message.contains("gradschool fetch cifar10") == true)
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
