/// The outcome of one part of an exercise.
public struct PartResult: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        case passed, failed
        case notAttempted = "not attempted"
        /// The exercise's process ended (crash, time or memory limit) before this part finished.
        case notFinished = "not finished"
    }
    public let name: String
    public let maxScore: Double
    public let score: Double
    public let status: Status
    /// Why it failed (with input, expected vs got and the likely mistake), or why it was not graded.
    public let message: String?
    public let visibility: Visibility
    /// For a leaderboard entry: the figure measured (nil if it could not be) and which way it ranks.
    public let measure: Double?
    public let leaderboard: LeaderboardOrder?

    public init(
        name: String, maxScore: Double, score: Double, status: Status, message: String?, visibility: Visibility,
        measure: Double? = nil, leaderboard: LeaderboardOrder? = nil
    ) {
        self.name = name; self.maxScore = maxScore; self.score = score; self.status = status; self.message = message; self.visibility = visibility
        self.measure = measure; self.leaderboard = leaderboard
    }
}

/// Why an exercise's grading process ended without a verdict.
public enum ProcessFailure: String, Sendable, Codable {
    case crashed
    case timedOut = "timed out"
    case outOfMemory = "out of memory"
    case exitedEarly = "exited early"
}

/// The outcome of grading one exercise.
public struct ExerciseResult: Sendable {
    public enum Status: String, Sendable { case passed, partial, failed, notAttempted = "not attempted" }
    public let exercise: Exercise
    public let score: Double
    public let status: Status
    /// One line per part that did not pass, then process failures and the seed to reproduce.
    public let messages: [String]
    public let seed: UInt64
    public let parts: [PartResult]
    /// What the submission printed while this exercise was graded (standard output and error).
    public let output: String
    public let failure: ProcessFailure?
    public let seconds: Double

    /// Scores the parts; `failure` (with its explanation) zeroes the whole exercise.
    public init(
        exercise: Exercise, parts: [PartResult], seed: UInt64, output: String = "",
        failure: (kind: ProcessFailure, explanation: String)? = nil, seconds: Double = 0
    ) {
        self.exercise = exercise; self.seed = seed; self.output = output; self.seconds = seconds
        self.failure = failure?.kind
        // Leaderboard entries rank a submission; they decide neither its status nor its score.
        let graded = parts.filter { $0.leaderboard == nil }
        let attempted = graded.contains { $0.status == .passed || $0.status == .failed }
        var messages = parts.filter { $0.leaderboard == nil }.compactMap { p in p.message.map { "\(p.name): \($0)" } }
        if let failure {
            self.parts = parts.map {
                PartResult(
                    name: $0.name, maxScore: $0.maxScore, score: 0, status: $0.status == .passed ? .passed : .notFinished,
                    message: $0.message, visibility: $0.visibility, leaderboard: $0.leaderboard)
            }
            score = 0
            status = .failed
            messages.insert(failure.explanation, at: 0)
        } else {
            self.parts = parts
            score = parts.reduce(0) { $0 + $1.score }
            if !attempted { status = .notAttempted } else if graded.allSatisfy({ $0.status == .passed }) { status = .passed } else { status = score > 0 ? .partial : .failed }
        }
        if status == .notAttempted {
            messages = ["not attempted yet: it still throws Unimplemented (0/\(exercise.points) points)"]
        } else if status != .passed {
            messages.append("(reproduce with GRADSCHOOL_GRADE_SEED=\(seed) or --seed \(seed))")
        }
        self.messages = messages
    }

    /// Points of the parts students see.
    public var visibleScore: Double { parts.filter { $0.visibility == .visible }.reduce(0) { $0 + $1.score } }
    /// The most the parts students see can earn.
    public var visibleMaxScore: Double { parts.filter { $0.visibility == .visible }.reduce(0) { $0 + $1.maxScore } }
}
