import ArgumentParser
import Foundation
import Grading
import Homework
import Solutions

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade the homework (or the reference solutions) in-process and print the score table.")

    enum Submission: String, ExpressibleByArgument, CaseIterable { case homework, solutions }
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, gradescope }

    @Option(help: "Which implementation to grade: \(Submission.allCases.map(\.rawValue).joined(separator: ", ")).")
    var submission: Submission = .homework

    @Option(help: "Output: text (a table), json, or gradescope (results.json for Gradescope).")
    var format: Format = .text

    @Option(help: "Write the report to this file instead of standard output.")
    var output: String?

    func run() throws {
        let table = submission == .homework ? ExerciseTable(Homework.Submission.self) : ExerciseTable(Solutions.Submission.self)
        let results = Gradebook.grade(table)
        let text: String
        switch format {
        case .text: text = Report.text(results)
        case .json: text = try Report.json(results)
        case .gradescope: text = try Report.gradescope(results)
        }
        if let output { try (text + "\n").write(toFile: output, atomically: true, encoding: .utf8) } else { print(text) }
    }
}

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Regenerate Sources/Homework from solutions/ (the code between BEGIN/END SOLUTION markers becomes `throw Unimplemented()`).")

    @Option(help: "The package root.")
    var root: String = FileManager.default.currentDirectoryPath

    func run() throws {
        let written = try Release.write(solutionsDirectory: root + "/solutions", homeworkDirectory: root + "/Sources/Homework")
        print("wrote \(written.count) files to Sources/Homework: \(written.joined(separator: ", "))")
    }
}
