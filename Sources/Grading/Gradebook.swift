import Foundation
import HomeworkKit
import Kernels
import Tensors

/// One graded exercise: a stable id, its assignment, points, and checks (points are split
/// evenly among the checks for partial credit).
public struct Exercise: @unchecked Sendable, CustomTestStringConvertibleShim {
    public let id: String
    public let assignment: Int
    public let title: String
    public let points: Int
    let checks: [(ExerciseTable, inout SeededGenerator) throws -> Void]

    public var testDescription: String { "\(id) [\(points) pts]" }
}

/// Lets test arguments print as `a1.softmax_loss_naive [4 pts]` without importing Testing here.
public protocol CustomTestStringConvertibleShim { var testDescription: String { get } }

/// The outcome of grading one exercise.
public struct ExerciseResult: Sendable {
    public enum Status: String, Sendable { case passed, partial, failed, notAttempted = "not attempted" }
    public let exercise: Exercise
    public let score: Double
    public let status: Status
    public let messages: [String]
    public let seed: UInt64
}

public enum Gradebook {
    public static let assignments: [(number: Int, title: String)] = [
        (1, "Losses and gradients"), (2, "Training"), (3, "ConvNets and regularization"),
    ]

    public static var exercises: [Exercise] { lossExercises + trainingExercises + convExercises }

    public static func exercises(in assignment: Int) -> [Exercise] { exercises.filter { $0.assignment == assignment } }

    /// The seed for this run's random inputs: `GRADSCHOOL_GRADE_SEED` to reproduce a run,
    /// otherwise fresh each time (so answers cannot be hard-coded).
    public static let runSeed: UInt64 = {
        if let s = ProcessInfo.processInfo.environment["GRADSCHOOL_GRADE_SEED"], let v = UInt64(s) { return v }
        return UInt64.random(in: 1...999_999)
    }()

    /// Runs every check of `exercise` against `table`.
    public static func grade(_ exercise: Exercise, _ table: ExerciseTable, seed: UInt64 = runSeed) -> ExerciseResult {
        var messages: [String] = []
        var passed = 0
        var attempted = false
        for (k, check) in exercise.checks.enumerated() {
            var g = SeededGenerator(seed: seed &+ UInt64(k) &* 7919 &+ UInt64(abs(exercise.id.hashValue % 1000)))
            do {
                try check(table, &g)
                passed += 1
                attempted = true
            } catch is Unimplemented {
                continue
            } catch let f as GradingFailure {
                attempted = true
                messages.append(f.message)
            } catch {
                attempted = true
                messages.append("\(exercise.id): threw \(error)")
            }
        }
        guard attempted else {
            return ExerciseResult(exercise: exercise, score: 0, status: .notAttempted,
                                  messages: ["not attempted yet: it still throws Unimplemented (0/\(exercise.points) points)"], seed: seed)
        }
        let score = Double(exercise.points) * Double(passed) / Double(exercise.checks.count)
        let status: ExerciseResult.Status = passed == exercise.checks.count ? .passed : passed == 0 ? .failed : .partial
        if status != .passed { messages.append("(reproduce with GRADSCHOOL_GRADE_SEED=\(seed))") }
        return ExerciseResult(exercise: exercise, score: score, status: status, messages: messages, seed: seed)
    }

    public static func grade(_ table: ExerciseTable, seed: UInt64 = runSeed) -> [ExerciseResult] {
        exercises.map { grade($0, table, seed: seed) }
    }
}

func randomTensor(_ shape: [Int], _ g: inout SeededGenerator, scale: Double = 1) -> Tensor<Double> {
    (try? Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in scale * g.nextNormal() }))!
}

func randomInt(_ range: ClosedRange<Int>, _ g: inout SeededGenerator) -> Int {
    range.lowerBound + min(range.count - 1, Int(g.nextUniform() * Double(range.count)))
}

func describe(_ t: Tensor<Double>, _ name: String) -> String { "\(name) of shape \(t.shape)" }
