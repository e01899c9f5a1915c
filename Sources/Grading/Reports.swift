import Foundation

/// Score tables: text for people, JSON for tools, and Gradescope's `results.json`.
public enum Report {
    public static func text(_ results: [ExerciseResult]) -> String {
        var lines: [String] = []
        var total = 0.0, maximum = 0
        for (number, title) in Gradebook.assignments {
            let rs = results.filter { $0.exercise.assignment == number }
            guard !rs.isEmpty else { continue }
            let score = rs.reduce(0) { $0 + $1.score }, max = rs.reduce(0) { $0 + $1.exercise.points }
            lines.append("Assignment \(number): \(title) — \(format(score)) / \(max)")
            for r in rs {
                let mark = r.status == .passed ? "✓" : r.status == .notAttempted ? "·" : "✗"
                lines.append("  \(mark) \(r.exercise.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(format(r.score)) / \(r.exercise.points)  \(r.status.rawValue)")
                if r.status != .passed && r.status != .notAttempted { for m in r.messages { lines.append("      \(m)") } }
            }
            total += score
            maximum += max
        }
        lines.append("Total: \(format(total)) / \(maximum)")
        return lines.joined(separator: "\n")
    }

    public static func json(_ results: [ExerciseResult]) throws -> String {
        let rows: [[String: Any]] = results.map {
            ["id": $0.exercise.id, "assignment": $0.exercise.assignment, "score": $0.score, "max_score": $0.exercise.points,
             "status": $0.status.rawValue, "messages": $0.messages]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["results": rows, "seed": Gradebook.runSeed], options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    /// Gradescope has no "skipped": an exercise not attempted scores 0 with a message saying so.
    public static func gradescope(_ results: [ExerciseResult]) throws -> String {
        let tests: [[String: Any]] = results.map {
            ["name": "\($0.exercise.id): \($0.exercise.title)", "score": $0.score, "max_score": $0.exercise.points,
             "output": $0.status == .passed ? "passed" : $0.messages.joined(separator: "\n")]
        }
        let total = results.reduce(0) { $0 + $1.score }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["score": total, "tests": tests], options: [.prettyPrinted, .sortedKeys]), as: UTF8.self)
    }

    static func format(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x) }
}
