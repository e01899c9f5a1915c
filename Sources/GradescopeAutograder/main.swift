import Foundation
import GradescopeFormat

// One Gradescope submission, start to finish: the submission's homework files go into the
// pristine package, the package is built, `gradschool grade` grades every exercise in a
// process of its own, and `results/results.json` is written whatever happened — a
// submission that does not compile gets 0 points and the compiler's first errors.
//
// Layout under the root (`--root`, else $AUTOGRADER_ROOT, else /autograder):
//   source/package      the course package (the bundle's), built by setup.sh
//   source/stubs        the homework stubs, restored before each submission
//   source/gradebook.json  exercise names and points, for reports made without grading
//   submission/         the student's repository, or their Sources/Homework/*.swift flat
//   results/results.json

let started = Date()
var arguments = CommandLine.arguments.dropFirst()
var root = ProcessInfo.processInfo.environment["AUTOGRADER_ROOT"] ?? "/autograder"
while let flag = arguments.popFirst() {
    if flag == "--root", let value = arguments.popFirst() {
        root = value
    } else {
        FileHandle.standardError.write(Data("usage: gradescope-autograder [--root DIR]\n".utf8))
        exit(2)
    }
}
let layout = AutograderLayout(root: root)
let outline =
    (try? JSONDecoder().decode(GradebookOutline.self, from: Data(contentsOf: URL(fileURLWithPath: layout.gradebook))))
    ?? GradebookOutline(exercises: [])

/// Writes the results file; the one place this program ends.
func finish(_ results: GradescopeResults) -> Never {
    var results = results
    results.executionTime = max(results.executionTime, Int(Date().timeIntervalSince(started).rounded(.up)))
    do {
        try FileManager.default.createDirectory(atPath: (layout.results as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try results.encoded().write(to: URL(fileURLWithPath: layout.results), options: .atomic)
    } catch {
        FileHandle.standardError.write(Data("could not write \(layout.results): \(error)\n".utf8))
        exit(1)
    }
    print("score \(results.score); results in \(layout.results)")
    exit(0)
}

func failAll(_ message: String) -> Never {
    finish(outline.allFailed(because: message, executionTime: 0))
}

// 1. The submission's homework files.
let found = SubmissionFiles.homework(in: layout.submission)
guard !found.files.isEmpty else {
    failAll(
        "No homework files were found in your submission. Submit your repository (with Sources/Homework/) "
            + "or the .swift files of Sources/Homework/ themselves.")
}
var notes: [String] = []
do {
    let kept = try layout.install(found.files)
    notes.append(
        "Graded your " + found.files.map(\.lastPathComponent).sorted().joined(separator: ", ")
            + (found.from.isEmpty ? "" : " (from \(found.from))") + ".")
    if !kept.isEmpty { notes.append("Not in your submission, so graded as not attempted: \(kept.joined(separator: ", ")).") }
    if !found.ignored.isEmpty { notes.append("Ignored: \(found.ignored.joined(separator: ", ")).") }
    let checkpoint = SubmissionFiles.projectCheckpoint(in: layout.submission)
    try layout.installProjectCheckpoint(checkpoint)
    if checkpoint == nil { notes.append("No project/model.npz in your submission: the final project is graded without a trained model.") }
} catch {
    failAll("The autograder could not copy your files: \(error)")
}

// 2. Build.
let build = Command.run("swift", ["build", "--package-path", layout.package, "--product", "gradschool"])
guard build.status == 0 else {
    let errors = CompilerErrors.first(in: build.output, stripping: layout.package + "/", limit: 10)
    failAll(
        "Your code did not compile, so nothing could be graded (0 points).\n\n"
            + (errors.isEmpty ? "The build failed:\n" + String(build.output.suffix(3_000)) : "The compiler's first errors:\n\n" + errors)
            + "\n\n" + notes.joined(separator: "\n"))
}

// 3. Grade, each exercise isolated; the grader writes results.json atomically. It runs in the
// package, where the project checkpoint was put.
FileManager.default.changeCurrentDirectoryPath(layout.package)
try? FileManager.default.removeItem(atPath: layout.results)
let grade = Command.run(
    layout.package + "/.build/debug/gradschool",
    [
        "grade", "--format", "gradescope", "--output", layout.results,
        "--jobs", String(max(1, ProcessInfo.processInfo.activeProcessorCount))
    ])
guard grade.status == 0, let data = FileManager.default.contents(atPath: layout.results),
    var results = try? JSONDecoder().decode(GradescopeResults.self, from: data)
else {
    failAll("The grader itself failed (exit status \(grade.status)); please tell your instructor.\n\n" + String(grade.output.suffix(2_000)))
}
results.output = (notes + [results.output]).joined(separator: "\n")
finish(results)
