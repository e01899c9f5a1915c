import Foundation
import Lang

/// Runs a lesson's cells without a terminal: every code cell must run and every check hold.
public enum LessonRunner {
    public struct Failure: Sendable, CustomStringConvertible {
        public let lesson: String
        public let cell: Int
        public let line: Int
        public let message: String
        public var description: String { "\(lesson) cell \(cell) (line \(line)): \(message)" }
    }

    public struct Report: Sendable {
        public let lesson: String
        public let cellsRun: Int
        public let checksPassed: Int
        public let failures: [Failure]
        public let seconds: Double
        public let output: [String]
        public var passed: Bool { failures.isEmpty }
    }

    /// Runs every cell in order in a fresh interpreter seeded with 0.
    public static func check(_ lesson: Lesson, interpreter: Interpreter = Interpreter()) -> Report {
        var output: [String] = []
        interpreter.output = { output.append($0) }
        interpreter.reseed(0)
        if interpreter.courseFiles == nil { interpreter.courseFiles = lesson.courseFiles }
        var failures: [Failure] = []
        var checks = 0
        let start = Date()
        for (k, cell) in lesson.cells.enumerated() {
            do {
                try interpreter.run(cell.source)
                if cell.kind == .check { checks += 1 }
            } catch let e as LangError {
                failures.append(Failure(lesson: lesson.name, cell: k + 1, line: cell.line, message: e.rendered(source: cell.source)))
            } catch {
                failures.append(Failure(lesson: lesson.name, cell: k + 1, line: cell.line, message: "\(error)"))
            }
        }
        return Report(
            lesson: lesson.name, cellsRun: lesson.cells.count, checksPassed: checks, failures: failures,
            seconds: Date().timeIntervalSince(start), output: output)
    }
}
