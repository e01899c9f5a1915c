import Foundation
import GradescopeFormat

/// Score tables: text for people, JSON for tools, Gradescope's `results.json` and GitHub Classroom's runner result.
public enum Report {
    public static func text(_ results: [ExerciseResult]) -> String {
        var lines: [String] = []
        var total = 0.0, maximum = 0.0
        for (number, title) in Gradebook.assignments {
            let rs = results.filter { $0.exercise.assignment == number }
            guard !rs.isEmpty else { continue }
            let score = rs.reduce(0) { $0 + $1.score }, max = rs.reduce(0) { $0 + $1.exercise.maxScore }
            lines.append("Assignment \(number): \(title) — \(format(score)) / \(format(max))")
            for r in rs {
                let mark = r.status == .passed ? "✓" : r.status == .notAttempted ? "·" : "✗"
                lines.append("  \(mark) \(r.exercise.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(format(r.score)) / \(format(r.exercise.maxScore))  \(r.status.rawValue)")
                if r.status == .partial || r.status == .failed {
                    for m in r.messages { lines.append("      \(m)") }
                    if !r.output.isEmpty {
                        lines.append("      your output:")
                        lines += r.output.split(separator: "\n", omittingEmptySubsequences: false).prefix(20).map { "        | \($0)" }
                    }
                }
            }
            total += score
            maximum += max
        }
        lines.append("Total: \(format(total)) / \(format(maximum))")
        return lines.joined(separator: "\n")
    }

    static func partRows(_ r: ExerciseResult) -> [[String: Any]] {
        r.parts.map { p in
            var row: [String: Any] = [
                "name": p.name, "score": p.score, "max_score": p.maxScore, "status": p.status.rawValue,
                "visibility": p.visibility.rawValue
            ]
            if let m = p.message { row["message"] = m }
            if let m = p.measure { row["measure"] = m }
            return row
        }
    }

    /// Fields per exercise: id, assignment, score, max_score, status, messages (since the
    /// first release); parts, output, failure, seconds.
    public static func json(_ results: [ExerciseResult], seed: UInt64 = Gradebook.runSeed) throws -> String {
        let rows: [[String: Any]] = results.map {
            var row: [String: Any] = [
                "id": $0.exercise.id, "assignment": $0.exercise.assignment, "score": $0.score,
                "max_score": $0.exercise.maxScore, "status": $0.status.rawValue, "messages": $0.messages,
                "parts": partRows($0), "output": $0.output, "seconds": ($0.seconds * 1000).rounded() / 1000
            ]
            row["failure"] = $0.failure?.rawValue ?? NSNull()
            return row
        }
        let total = results.reduce(0) { $0 + $1.score }, max = results.reduce(0) { $0 + $1.exercise.maxScore }
        return String(
            decoding: try JSONSerialization.data(
                withJSONObject: ["results": rows, "seed": seed, "score": total, "max_score": max],
                options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// Gradescope's `results.json`: one test per exercise for the parts students see, one per
    /// instructor-only part (`after_published`), and the leaderboard entries' figures. Gradescope has no "skipped": an exercise
    /// not attempted scores 0 with a message saying so.
    public static func gradescope(_ results: [ExerciseResult], seed: UInt64 = Gradebook.runSeed) throws -> String {
        var tests: [GradescopeResults.Test] = []
        var leaderboard: [GradescopeResults.LeaderboardEntry] = []
        for r in results {
            for p in r.parts {
                if let order = p.leaderboard, let value = p.measure, r.failure == nil {
                    leaderboard.append(.init(name: p.name, value: value, order: order.rawValue))
                }
            }
            let visible = r.parts.filter { $0.visibility == .visible }
            let (score, max) = (r.visibleScore, r.visibleMaxScore)
            var output =
                r.status == .passed
                ? "passed: " + visible.map { "\($0.name) \(format($0.score))/\(format($0.maxScore))" }.joined(separator: ", ")
                : r.messages.joined(separator: "\n")
            if !r.output.isEmpty { output += "\n\nYour output while this exercise was graded:\n" + r.output }
            tests.append(
                .init(
                    name: "\(r.exercise.id): \(r.exercise.title)", number: r.exercise.id, score: score, maxScore: max,
                    passed: score >= max && r.failure == nil, output: output, tags: ["assignment \(r.exercise.assignment)"]))
            for p in r.parts where p.visibility != .visible && p.leaderboard == nil {
                tests.append(
                    .init(
                        name: "\(r.exercise.id): \(p.name) (instructor check)", number: "\(r.exercise.id).\(p.name)",
                        score: p.score, maxScore: p.maxScore, passed: p.status == .passed && r.failure == nil,
                        output: p.message ?? (r.failure == nil ? p.status.rawValue : r.messages.first ?? ""),
                        tags: ["assignment \(r.exercise.assignment)", "hidden"], visibility: p.visibility.rawValue))
            }
        }
        let report = GradescopeResults(
            score: results.reduce(0) { $0 + $1.score }, executionTime: Int(results.reduce(0) { $0 + $1.seconds }.rounded(.up)),
            output: "Graded with seed \(seed) (reproduce with GRADSCHOOL_GRADE_SEED=\(seed)).", extraData: ["seed": String(seed)],
            tests: tests, leaderboard: leaderboard.isEmpty ? nil : leaderboard)
        return String(decoding: try report.encoded(), as: UTF8.self)
    }

    /// The result a GitHub Classroom reporter step reads (`autograding-grading-reporter`, its
    /// runner format version 1): one test per exercise with the points of the parts students
    /// see, so Classroom's total carries partial credit. `status` is `pass` when every
    /// exercise has full marks, else `fail`.
    public static func classroom(_ results: [ExerciseResult], seed: UInt64 = Gradebook.runSeed) throws -> String {
        let tests: [[String: Any]] = results.map { r in
            let (score, max) = (r.visibleScore, r.visibleMaxScore)
            // A failure's messages end with how to reproduce it (its seed).
            let message = r.status == .passed ? "" : r.status == .notAttempted ? "not attempted yet" : r.messages.joined(separator: "\n")
            return [
                "name": "\(r.exercise.id) [\(format(max)) pts]", "status": score >= max && r.failure == nil ? "pass" : "fail",
                "score": score, "max_score": max, "message": message, "execution_time": String(format: "%.2fs", r.seconds)
            ]
        }
        let max = results.reduce(0) { $0 + $1.visibleMaxScore }
        let allPassed = tests.allSatisfy { ($0["status"] as? String) == "pass" }
        let top: [String: Any] = ["version": 1, "status": allPassed ? "pass" : "fail", "max_score": max, "tests": tests]
        return String(decoding: try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys]), as: UTF8.self)
    }

    public static func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
}
