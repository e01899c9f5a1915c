import Foundation
import GradescopeFormat
import HomeworkKit
import Random
import Tensors

public enum Gradebook {
    public static let assignments: [(number: Int, title: String)] = [
        (1, "Losses and gradients"), (2, "Training"), (3, "ConvNets and regularization"),
        (4, "Normalization, deep nets and a Solver"), (5, "Final project")
    ]

    public static let exercises: [Exercise] =
        lossExercises + trainingExercises + convExercises + im2colExercises + normalizationExercises + fullyConnectedExercises + solverExercises
        + projectExercises

    public static func exercises(in assignment: Int) -> [Exercise] { exercises.filter { $0.assignment == assignment } }

    public static func exercise(_ id: String) -> Exercise? { exercises.first { $0.id == id } }

    /// The run seed from `GRADSCHOOL_GRADE_SEED` when it holds a number, else nil.
    public static var environmentSeed: UInt64? {
        ProcessInfo.processInfo.environment["GRADSCHOOL_GRADE_SEED"].flatMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The seed for this run's random inputs: `GRADSCHOOL_GRADE_SEED` to reproduce a run,
    /// otherwise fresh each time (so answers cannot be hard-coded).
    public static let runSeed: UInt64 = environmentSeed ?? UInt64.random(in: 1...999_999)

    /// Runs every part of `exercise` against `table` in this process. `starting` is told the
    /// name of each part before it runs and `finished` its verdict after (the isolated worker
    /// reports both, so a crash can be placed in its part and the parts before it keep their
    /// verdicts and messages).
    public static func grade(
        _ exercise: Exercise, _ table: ExerciseTable, seed: UInt64 = runSeed,
        starting: (String) -> Void = { _ in }, finished: (PartResult) -> Void = { _ in }
    ) -> ExerciseResult {
        let started = Date()
        let parts = exercise.parts.map { part in
            starting(part.name)
            let verdict = gradePart(part, of: exercise, table, seed: seed)
            finished(verdict)
            return verdict
        }
        return ExerciseResult(exercise: exercise, parts: parts, seed: seed, seconds: Date().timeIntervalSince(started))
    }

    static func gradePart(_ part: Part, of exercise: Exercise, _ table: ExerciseTable, seed: UInt64) -> PartResult {
        var g = exercise.generator(for: part, runSeed: seed)
        func result(_ status: PartResult.Status, _ message: String?, measure: Double? = nil) -> PartResult {
            PartResult(
                name: part.name, maxScore: part.points, score: status == .passed ? part.points : 0, status: status,
                message: message, visibility: part.visibility, measure: measure, leaderboard: part.leaderboardOrder)
        }
        do {
            if let measure = part.measure { return result(.passed, nil, measure: try measure(table, &g)) }
            try part.check(table, &g)
            return result(.passed, nil)
        } catch let u as Unimplemented {
            return result(.notAttempted, "not attempted yet (\(u.function) still throws Unimplemented)")
        } catch let f as GradingFailure {
            return result(.failed, f.message)
        } catch {
            return result(.failed, "your code threw \(error)")
        }
    }

    /// Grades every exercise in this process (no isolation: for the grader's own tests).
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

/// `count` distinct integers from `range` (which must hold at least `count`), in random order.
func distinctInts(_ count: Int, in range: ClosedRange<Int>, _ g: inout SeededGenerator) -> [Int] {
    var pool = Array(range)
    for i in 0..<count { pool.swapAt(i, i + randomInt(0...(pool.count - 1 - i), &g)) }
    return Array(pool.prefix(count))
}

/// Values at least `gap` away from 0 on both sides, so no input sits on the kink of ReLU,
/// max or the hinge (where more than one answer would be right).
func awayFromZero(_ t: Tensor<Double>, gap: Double = 0.05) -> Tensor<Double> {
    t.map { $0 >= 0 ? $0 + gap : $0 - gap }
}

func describe(_ t: Tensor<Double>, _ name: String) -> String { "\(name) of shape \(t.shape)" }

extension Gradebook {
    /// Names and points of every exercise, for a grader that must report before any code runs.
    public static var outline: GradebookOutline {
        GradebookOutline(
            exercises: exercises.map { e in
                .init(
                    id: e.id, title: e.title, assignment: e.assignment,
                    visiblePoints: e.parts.filter { $0.visibility == .visible }.reduce(0) { $0 + $1.points },
                    hiddenParts: e.parts.filter { $0.visibility != .visible && $0.leaderboardOrder == nil }.map { .init(name: $0.name, points: $0.points, visibility: $0.visibility.rawValue) })
            })
    }
}
