import Foundation

/// Gradescope's `results.json`, the file an autograder writes to `/autograder/results/`.
///
/// Top level: `score`, `execution_time` (seconds), `output`, `visibility`, `stdout_visibility`,
/// `extra_data`, `tests`, `leaderboard`. A test's `status` is `passed` or `failed` (there is no
/// skipped); `visibility` is `visible`, `hidden`, `after_due_date` or `after_published`.
public struct GradescopeResults: Codable, Sendable, Equatable {
    public struct Test: Codable, Sendable, Equatable {
        public var name: String
        public var number: String
        public var score: Double
        public var maxScore: Double
        public var status: String
        public var output: String
        public var tags: [String]
        public var visibility: String

        public init(
            name: String, number: String, score: Double, maxScore: Double, passed: Bool, output: String,
            tags: [String], visibility: String = "visible"
        ) {
            self.name = name; self.number = number; self.score = score; self.maxScore = maxScore
            self.status = passed ? "passed" : "failed"; self.output = output; self.tags = tags; self.visibility = visibility
        }

        enum CodingKeys: String, CodingKey {
            case name, number, score, status, output, tags, visibility
            case maxScore = "max_score"
        }
    }

    /// One column of the assignment's leaderboard.
    public struct LeaderboardEntry: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double
        /// `asc` (smaller is better) or `desc`.
        public var order: String
        public init(name: String, value: Double, order: String) { self.name = name; self.value = value; self.order = order }
    }

    public var score: Double
    public var executionTime: Int
    public var output: String
    public var visibility: String
    public var stdoutVisibility: String
    public var extraData: [String: String]
    public var tests: [Test]
    public var leaderboard: [LeaderboardEntry]?

    public init(
        score: Double, executionTime: Int, output: String, extraData: [String: String] = [:], tests: [Test],
        leaderboard: [LeaderboardEntry]? = nil
    ) {
        self.score = score; self.executionTime = executionTime; self.output = output
        self.visibility = "visible"; self.stdoutVisibility = "hidden"; self.extraData = extraData
        self.tests = tests; self.leaderboard = leaderboard
    }

    enum CodingKeys: String, CodingKey {
        case score, output, visibility, tests, leaderboard
        case executionTime = "execution_time"
        case stdoutVisibility = "stdout_visibility"
        case extraData = "extra_data"
    }

    /// Pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// What the grader knows of its exercises before any code runs: written into the Gradescope
/// bundle, so a submission that does not compile still gets one failed test per exercise.
public struct GradebookOutline: Codable, Sendable, Equatable {
    public struct Exercise: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var assignment: Int
        /// Points of the parts students see, and of the instructor-only parts (graded after publishing).
        public var visiblePoints: Double
        public var hiddenParts: [HiddenPart]
        public init(id: String, title: String, assignment: Int, visiblePoints: Double, hiddenParts: [HiddenPart]) {
            self.id = id; self.title = title; self.assignment = assignment; self.visiblePoints = visiblePoints; self.hiddenParts = hiddenParts
        }
    }
    public struct HiddenPart: Codable, Sendable, Equatable {
        public var name: String
        public var points: Double
        public var visibility: String
        public init(name: String, points: Double, visibility: String) { self.name = name; self.points = points; self.visibility = visibility }
    }
    public var exercises: [Exercise]
    public init(exercises: [Exercise]) { self.exercises = exercises }

    /// Every exercise failed with 0 points and the same explanation (the code did not build).
    public func allFailed(because output: String, executionTime: Int) -> GradescopeResults {
        var tests: [GradescopeResults.Test] = []
        for e in exercises {
            tests.append(
                .init(
                    name: "\(e.id): \(e.title)", number: e.id, score: 0, maxScore: e.visiblePoints, passed: false,
                    output: "Not graded: your code did not compile (see the top of this page).", tags: ["assignment \(e.assignment)"]))
            for p in e.hiddenParts {
                tests.append(
                    .init(
                        name: "\(e.id): \(p.name) (instructor check)", number: "\(e.id).\(p.name)", score: 0, maxScore: p.points,
                        passed: false, output: "Not graded: the code did not compile.", tags: ["assignment \(e.assignment)", "hidden"],
                        visibility: p.visibility))
            }
        }
        return GradescopeResults(score: 0, executionTime: executionTime, output: output, tests: tests)
    }
}
