import HomeworkKit
import Random

/// A check of one part of an exercise: it calls the submission's functions on inputs drawn
/// from the generator and throws `GradingFailure` (wrong), `Unimplemented` (not attempted
/// yet) or any other error (counted as wrong) — returning means the part holds.
public typealias PartCheck = (ExerciseTable, inout SeededGenerator) throws -> Void

/// Who sees a part's result. Instructor-only parts live outside the student release and
/// show on Gradescope once grades are published.
public enum Visibility: String, Sendable, Codable {
    case visible
    case afterPublished = "after_published"
}

/// A leaderboard figure measured on the submission (e.g. milliseconds for a forward pass).
public typealias Measure = (ExerciseTable, inout SeededGenerator) throws -> Double

/// Which way a leaderboard ranks: `asc` (smaller is better) or `desc`.
public enum LeaderboardOrder: String, Sendable, Codable { case asc, desc }

/// One named, separately scored part of an exercise (e.g. `dx`, `dw`, `db` of a backward pass),
/// or a leaderboard entry: a figure measured on the submission, worth no points.
public struct Part: @unchecked Sendable {
    public let name: String
    public let points: Double
    public let visibility: Visibility
    let check: PartCheck
    /// Set for a leaderboard entry: what it measures and which way it ranks.
    let measure: Measure?
    public let leaderboardOrder: LeaderboardOrder?

    public init(_ name: String, points: Double, visibility: Visibility = .visible, _ check: @escaping PartCheck) {
        self.name = name; self.points = points; self.visibility = visibility; self.check = check
        measure = nil; leaderboardOrder = nil
    }

    /// A leaderboard entry: `measure` runs after the exercise's parts; it should throw
    /// (`GradingFailure`) when the submission is wrong, so only right answers are ranked.
    /// Shown only once grades are published.
    public static func leaderboard(_ name: String, order: LeaderboardOrder, _ measure: @escaping Measure) -> Part {
        Part(name: name, measure: measure, order: order)
    }

    private init(name: String, measure: @escaping Measure, order: LeaderboardOrder) {
        self.name = name; points = 0; visibility = .afterPublished; check = { _, _ in }
        self.measure = measure; leaderboardOrder = order
    }
}

/// One graded exercise: a stable id, its assignment, and named parts with their points.
/// `points` counts the parts a student sees; instructor-only parts add to it on Gradescope.
public struct Exercise: @unchecked Sendable, CustomTestStringConvertibleShim {
    public let id: String
    public let assignment: Int
    public let title: String
    public let parts: [Part]
    /// Wall-clock limit for grading this exercise in its own process, when it needs more than the default.
    public let timeLimit: Double?

    public init(id: String, assignment: Int, title: String, timeLimit: Double? = nil, parts: [Part]) {
        self.id = id; self.assignment = assignment; self.title = title; self.timeLimit = timeLimit
        self.parts = parts + (Self.hiddenParts[id] ?? [])
    }

    /// Instructor-only parts by exercise id: in the instructor's tree and the Gradescope
    /// bundle (`Sources/Grading/Hidden/`), absent from a student release.
    #if GRADSCHOOL_HIDDEN_CHECKS
        static let hiddenParts = HiddenParts.byExercise
    #else
        static let hiddenParts: [String: [Part]] = [:]
    #endif

    /// Points of the parts students see (the figure in the test names).
    public var points: Int { Int(parts.filter { $0.visibility == .visible }.reduce(0) { $0 + $1.points }.rounded()) }
    /// Points of every part, instructor-only ones included.
    public var maxScore: Double { parts.reduce(0) { $0 + $1.points } }

    public var testDescription: String { "\(id) [\(points) pts]" }

    /// The generator for one part: a stable mix of the run seed, the exercise id and the part
    /// name, so the same seed gives the same inputs in any process, whatever else is graded.
    public func generator(for part: Part, runSeed: UInt64) -> SeededGenerator {
        SeededGenerator(seed: StableHash.mix(runSeed, StableHash.fnv1a("\(id)/\(part.name)")))
    }
}

/// Lets test arguments print as `a1.softmax_loss_naive [4 pts]` without importing Testing here.
public protocol CustomTestStringConvertibleShim { var testDescription: String { get } }

/// Hashes that are the same in every process (Swift's `hashValue` is seeded per process).
public enum StableHash {
    /// FNV-1a, 64-bit, over the UTF-8 bytes.
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in s.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    /// SplitMix64's finalizer over `a ⊕ rotated b`: nearby seeds give unrelated streams.
    public static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ 0x9e37_79b9_7f4a_7c15 &+ (b << 17 | b >> 47)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
