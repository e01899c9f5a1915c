import Foundation
import GraderFixtures
import GradescopeFormat
import Grading
import TestSupport
import Testing
import ZIPFoundation

/// The slow half of the platform tests: each builds a copy of the package from scratch (a few
/// minutes on two cores). `.ci/run` sets GRADSCHOOL_PLATFORM_TESTS=1; a plain `swift test`
/// skips them.
let platformTestsEnabled = ProcessInfo.processInfo.environment["GRADSCHOOL_PLATFORM_TESTS"] == "1"

/// Runs a program to the end; standard output and error together.
func runProgram(
    _ program: String, _ arguments: [String], in directory: String? = nil,
    environment: [String: String] = [:]
) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
    p.arguments = program.contains("/") ? arguments : [program] + arguments
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    env["GRADSCHOOL_PLATFORM_TESTS"] = nil
    p.environment = env
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite(
    "Platforms end to end: the student release builds and tests green; the Gradescope bundle grades four kinds of submission",
    .serialized, .enabled(if: platformTestsEnabled, "set GRADSCHOOL_PLATFORM_TESTS=1 (CI does)"))
struct PlatformEndToEndTests {
    @Test("the student release builds, `swift test` is green, and every exercise is not attempted")
    func studentReleaseIsGreen() throws {
        let scratch = try ScratchFolder("student-release")
        let out = scratch.path + "/course"
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        try ReleaseTree.write(from: packageRoot, to: out, edition: .student)
        let test = try runProgram("swift", ["test"], in: out)
        #expect(test.status == 0, "swift test in the student release failed:\n\(test.output.suffix(4_000))")
        for e in Gradebook.exercises {
            #expect(test.output.contains("\(e.id): not attempted yet"), "\(e.id) was not reported as not attempted")
        }
        let grade = try runProgram(out + "/.build/debug/gradschool", ["grade", "--format", "json"], in: out)
        #expect(grade.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(grade.output.utf8)) as? [String: Any])
        let rows = try #require(report["results"] as? [[String: Any]])
        #expect(rows.count == Gradebook.exercises.count)
        #expect(rows.allSatisfy { $0["status"] as? String == "not attempted" })
        // The instructor's commands are not in a student's executable.
        let release = try runProgram(out + "/.build/debug/gradschool", ["release", "--to", out + "/again"], in: out)
        #expect(release.status != 0 && !FileManager.default.fileExists(atPath: out + "/again"))
    }

    @Test("run_autograder on a fake root: correct, wrong, crashing and non-compiling submissions each get a valid results.json")
    func gradescopeBundle() throws {
        let scratch = try ScratchFolder("gradescope")
        let work = scratch.path
        defer { try? FileManager.default.removeItem(atPath: work) }
        let zip = work + "/autograder.zip"
        let made = try runProgram(
            productsDirectory.appendingPathComponent("gradschool").path,
            ["gradescope-bundle", "--to", zip, "--root", packageRoot])
        try #require(made.status == 0, "gradescope-bundle failed: \(made.output)")
        let root = work + "/autograder"
        try FileManager.default.createDirectory(atPath: root + "/source", withIntermediateDirectories: true)
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: zip), to: URL(fileURLWithPath: root + "/source"))
        let setup = try runProgram("bash", [root + "/source/setup.sh"])
        try #require(setup.status == 0, "setup.sh failed:\n\(setup.output.suffix(4_000))")

        let solutions = try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/solutions").filter { $0.hasSuffix(".swift") }
        func answer(_ name: String) throws -> String { try String(contentsOfFile: packageRoot + "/solutions/" + name, encoding: .utf8) }
        /// Submits `files` (name → text) under `folder` of the submission, runs the autograder, returns results.json.
        func submit(_ files: [String: String], folder: String = "", model: Bool = false) throws -> [String: Any] {
            let submission = root + "/submission"
            try? FileManager.default.removeItem(atPath: submission)
            try? FileManager.default.removeItem(atPath: root + "/results")
            try FileManager.default.createDirectory(atPath: submission + "/" + folder, withIntermediateDirectories: true)
            for (name, text) in files { try text.write(toFile: submission + "/" + folder + "/" + name, atomically: true, encoding: .utf8) }
            // The final project's trained model travels beside flat files as model.npz.
            if model { try FileManager.default.copyItem(atPath: referenceCheckpoint, toPath: submission + "/" + folder + "/model.npz") }
            let run = try runProgram("bash", [root + "/source/run_autograder"], environment: ["AUTOGRADER_ROOT": root])
            #expect(run.status == 0, "run_autograder: \(run.output.suffix(2_000))")
            let data = try #require(FileManager.default.contents(atPath: root + "/results/results.json"), "no results.json: \(run.output.suffix(2_000))")
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            try validateGradescope(json)
            return json
        }
        func tests(_ json: [String: Any]) -> [[String: Any]] { json["tests"] as? [[String: Any]] ?? [] }
        func test(_ json: [String: Any], _ id: String) -> [String: Any]? { tests(json).first { $0["number"] as? String == id } }
        let fullMarks = Gradebook.exercises.reduce(0) { $0 + $1.maxScore }
        var answers: [String: String] = [:]
        for name in solutions { answers[name] = try answer(name) }

        // Correct, as flat files: full marks, instructor-only checks included (after_published).
        let correct = try submit(answers, model: true)
        #expect(correct["score"] as? Double == fullMarks, "\(String(describing: correct["output"]))")
        #expect(tests(correct).contains { $0["visibility"] as? String == "after_published" && $0["status"] as? String == "passed" })
        let board = try #require(correct["leaderboard"] as? [[String: Any]], "the bundle ranks a right answer")
        #expect(board.first?["name"] as? String == "conv forward (ms)")

        // Wrong, as a whole repository inside a folder: ReLU's backward pass forgets its gate.
        var wrong = answers
        wrong["LossAndGradients.swift"] = try #require(answers["LossAndGradients.swift"]).replacingOccurrences(
            of: "map { $1 > 0 ? $0 : 0 }", with: "map { x, _ in x }")
        #expect(wrong != answers)
        let wrongJSON = try submit(wrong, folder: "my-repo/Sources/Homework")
        let relu = try #require(test(wrongJSON, "a1.relu"))
        #expect(relu["status"] as? String == "failed" && (relu["score"] as? Double ?? 0) > 0)
        #expect((wrongJSON["score"] as? Double ?? 0) < fullMarks && (wrongJSON["score"] as? Double ?? 0) > fullMarks / 2)
        #expect((wrongJSON["output"] as? String ?? "").contains("my-repo/Sources/Homework"))

        // Crashing: an index out of range in one exercise costs that exercise only.
        var crashing = answers
        crashing["LossAndGradients.swift"] = try #require(answers["LossAndGradients.swift"]).replacingOccurrences(
            of: "return x.map { max(0, $0) }", with: "return x.map { _ in [Double]()[0] }")
        let crashed = try submit(crashing)
        let reluCrash = try #require(test(crashed, "a1.relu"))
        #expect(reluCrash["score"] as? Double == 0 && (reluCrash["output"] as? String ?? "").contains("crashed"))
        #expect((crashed["score"] as? Double ?? 0) > fullMarks / 2)

        // Not compiling: 0 points, the compiler's error with the student's file, every exercise listed.
        var broken = answers
        broken["Training.swift"] = try #require(answers["Training.swift"]) + "\nlet oops: Int = \"text\"\n"
        let brokenJSON = try submit(broken)
        #expect(brokenJSON["score"] as? Double == 0)
        let output = brokenJSON["output"] as? String ?? ""
        #expect(output.contains("did not compile") && output.contains("Sources/Homework/Training.swift:") && output.contains("error:"))
        #expect(tests(brokenJSON).count >= Gradebook.exercises.count)

        // Nothing usable submitted: still a results file, 0 points.
        let empty = try submit(["notes.txt": "hello"])
        #expect(empty["score"] as? Double == 0 && (empty["output"] as? String ?? "").contains("No homework files"))
    }
}
