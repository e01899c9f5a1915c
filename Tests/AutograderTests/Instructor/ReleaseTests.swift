import Foundation
import GraderFixtures
import GradescopeFormat
import Grading
import HomeworkKit
import Solutions
import TestSupport
import Testing

/// The instructor's repository root (this file is in Tests/AutograderTests/Instructor).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../..").standardized.path

/// Every file under `folder`, relative to it.
func files(under folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
    }.sorted()
}

/// Lines only the answers hold: inside a solution region and nowhere in the instructor's tree
/// outside `solutions/` (so a line the engine also has, like `}`, is no secret).
func secretLines() throws -> Set<String> {
    var secret = Set<String>()
    for name in try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/solutions") where name.hasSuffix(".swift") {
        secret.formUnion(Release.solutionLines(try String(contentsOfFile: packageRoot + "/solutions/" + name, encoding: .utf8)))
    }
    secret = secret.filter { $0.count >= 12 }
    for folder in ["Sources", "Tests"] {
        for path in files(under: packageRoot + "/" + folder) where path.hasSuffix(".swift") {
            guard let text = try? String(contentsOfFile: packageRoot + "/" + folder + "/" + path, encoding: .utf8) else { continue }
            for line in text.components(separatedBy: "\n") { secret.remove(line.trimmingCharacters(in: .whitespaces)) }
        }
    }
    return secret
}

@Suite("Release: the student's repository and the stubs")
struct ReleaseTests {
    @Test func committedStubsMatchRelease() throws {
        for (name, text) in try Release.stubs(solutionsDirectory: packageRoot + "/solutions") {
            let committed = try String(contentsOfFile: packageRoot + "/Sources/Homework/" + name, encoding: .utf8)
            #expect(committed == text, "Sources/Homework/\(name) differs from what `gradschool release` produces")
            #expect(Release.isUntouchedStub(committed))
        }
        let stub = Release.stub(from: "func f() -> Int {\n    // keep me\n    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n}")
        #expect(stub.hasSuffix("func f() -> Int {\n    // keep me\n    throw Unimplemented()\n}"))
        #expect(Release.isUntouchedStub(stub))
        #expect(!Release.isUntouchedStub(stub.replacingOccurrences(of: "throw Unimplemented()", with: "return 2")))
        #expect(!Release.isUntouchedStub("func f() {}"))
    }

    /// A small instructor tree: one solution file and its stub.
    func instructorTree(solution: String) throws -> ScratchFolder {
        let scratch = try ScratchFolder("instructor")
        let root = scratch.path
        try FileManager.default.createDirectory(atPath: root + "/solutions", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/Sources/Homework", withIntermediateDirectories: true)
        try solution.write(toFile: root + "/solutions/Losses.swift", atomically: true, encoding: .utf8)
        try Release.stub(from: solution).write(toFile: root + "/Sources/Homework/Losses.swift", atomically: true, encoding: .utf8)
        return scratch
    }

    @Test("in place: untouched stubs (of this or an earlier release) are replaced; work is refused, then backed up with --force")
    func inPlaceReleaseKeepsWork() throws {
        let v1 = "func f() -> Int {\n    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n}\n"
        let tree = try instructorTree(solution: v1), root = tree.path
        let homework = root + "/Sources/Homework/Losses.swift"
        #expect(try Release.writeInPlace(root: root, force: false).backup == nil)

        // The instructor edits the answers: the old stub is still untouched, so it is replaced.
        let v2 = v1.replacingOccurrences(of: "func f() -> Int {", with: "/// Returns one.\nfunc f() -> Int {")
        try v2.write(toFile: root + "/solutions/Losses.swift", atomically: true, encoding: .utf8)
        #expect(try Release.writeInPlace(root: root, force: false).backup == nil)
        #expect(try String(contentsOfFile: homework, encoding: .utf8) == Release.stub(from: v2))

        // A student's answer is refused and left as it was.
        let work = try String(contentsOfFile: homework, encoding: .utf8).replacingOccurrences(of: "throw Unimplemented()", with: "return 1")
        try work.write(toFile: homework, atomically: true, encoding: .utf8)
        try "func helper() {}\n".write(toFile: root + "/Sources/Homework/Helper.swift", atomically: true, encoding: .utf8)
        #expect(throws: ReleaseError.wouldOverwrite(["Helper.swift", "Losses.swift"])) { try Release.writeInPlace(root: root, force: false) }
        #expect(try String(contentsOfFile: homework, encoding: .utf8) == work)

        // --force keeps a copy first.
        let backup = try #require(try Release.writeInPlace(root: root, force: true).backup)
        #expect(try String(contentsOfFile: backup + "/Losses.swift", encoding: .utf8) == work)
        #expect(FileManager.default.fileExists(atPath: backup + "/Helper.swift"))
        #expect(try String(contentsOfFile: homework, encoding: .utf8) == Release.stub(from: v2))
        #expect(backup.hasPrefix(root + "/.gradschool/homework-backups/"))
    }

    @Test("--to writes a student repository: stubs, no solutions, no hidden checks, no instructor tests, no answer lines")
    func studentRepository() throws {
        let scratch = try ScratchFolder("student")
        let out = scratch.path + "/course"
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        let written = try ReleaseTree.write(from: packageRoot, to: out, edition: .student)
        let all = files(under: out)
        #expect(written == all)
        #expect(all.contains("Package.swift") && all.contains("README.md") && all.contains(ClassroomWorkflow.path))
        #expect(all.contains("Tests/AutograderTests/Homework.swift") && all.contains { $0.hasPrefix("lessons/") })
        #expect(!all.contains { $0.hasPrefix("solutions/") || $0.hasPrefix("Sources/Grading/Hidden/") || $0.contains("/Instructor/") })
        #expect(!all.contains { $0.hasPrefix("Tests/") && !$0.hasPrefix("Tests/AutograderTests/") && !$0.hasPrefix("Tests/TestSupport/") })
        #expect(!all.contains { $0.hasPrefix(".build") || $0 == "Package.resolved" || $0.hasPrefix(".git/") })
        for (name, text) in try Release.stubs(solutionsDirectory: packageRoot + "/solutions") {
            #expect(try String(contentsOfFile: out + "/Sources/Homework/" + name, encoding: .utf8) == text)
        }
        // No line of an answer anywhere, and no solution markers.
        let secret = try secretLines()
        #expect(secret.count > 50, "the answers have \(secret.count) lines of their own")
        for path in all {
            guard let text = try? String(contentsOfFile: out + "/" + path, encoding: .utf8) else { continue }
            for line in text.components(separatedBy: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                #expect(!secret.contains(trimmed), "\(path) holds an answer line: \(trimmed)")
                #expect(trimmed != "// BEGIN SOLUTION", "\(path) holds a solution marker")
            }
        }
        let readme = try String(contentsOfFile: out + "/README.md", encoding: .utf8)
        #expect(readme.contains("## For students") && readme.contains("## Grading on GitHub"))
        #expect(!readme.contains("## For instructors"))
    }

    @Test("the secret-line check finds an answer leaked into a release")
    func leakIsCaught() throws {
        let secret = try secretLines()
        let leaked = try String(contentsOfFile: packageRoot + "/solutions/LossAndGradients.swift", encoding: .utf8)
        #expect(leaked.components(separatedBy: "\n").contains { secret.contains($0.trimmingCharacters(in: .whitespaces)) })
    }

    @Test("the autograder edition keeps the hidden checks and leaves out solutions and tests")
    func autograderEdition() throws {
        let scratch = try ScratchFolder("autograder")
        let out = scratch.path + "/package"
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        let all = try ReleaseTree.write(from: packageRoot, to: out, edition: .autograder)
        #expect(all.contains("Sources/Grading/Hidden/HiddenParts.swift"))
        #expect(!all.contains { $0.hasPrefix("solutions/") || $0.hasPrefix("Tests/") || $0.hasPrefix("lessons/") })
        #expect(throws: ReleaseError.notEmpty(out)) { try ReleaseTree.write(from: packageRoot, to: out, edition: .student) }
        let inside = packageRoot + "/Sources/student-copy"
        #expect(throws: ReleaseError.insideRepository(inside)) { try ReleaseTree.write(from: packageRoot, to: inside, edition: .student) }
        #expect(!FileManager.default.fileExists(atPath: inside))
    }

    @Test("the Classroom workflow grades with the project's grader and hands the result to Classroom's reporter")
    func classroomWorkflow() throws {
        let yaml = ClassroomWorkflow.yaml(swiftVersion: "6.3.1")
        #expect(yaml.contains("container: swift:6.3.1-noble"))
        #expect(yaml.contains("swift run gradschool grade --format classroom --output classroom-result.json"))
        #expect(yaml.contains("id: gradschool") && yaml.contains("runners: gradschool"))
        #expect(yaml.contains("GRADSCHOOL_RESULTS: \"${{ steps.gradschool.outputs.result }}\""))
        #expect(yaml.contains("classroom-resources/autograding-grading-reporter@v1"))
        #expect(!yaml.contains("\t"), "YAML takes no tabs")
        #expect(ReleaseTree.isSwiftVersion("6.3.1") && ReleaseTree.isSwiftVersion("6.3"))
        for bad in ["", "6", "6..3", "6.3.1-noble", "6.3\nrun: rm", "6.3.1.2", "٦.٣"] { #expect(!ReleaseTree.isSwiftVersion(bad), "\(bad)") }
    }
}

@Suite("Platform reports: GitHub Classroom and Gradescope")
struct PlatformReportTests {
    func classroomResult(_ table: ExerciseTable) throws -> [String: Any] {
        let results = Gradebook.grade(table, seed: 5)
        return try #require(try JSONSerialization.jsonObject(with: Data(try Report.classroom(results, seed: 5).utf8)) as? [String: Any])
    }

    /// What Classroom's reporter totals: the tests' scores against the runner's max_score.
    func points(_ result: [String: Any]) throws -> (total: Double, max: Double) {
        let tests = try #require(result["tests"] as? [[String: Any]])
        return (tests.reduce(0) { $0 + ($1["score"] as? Double ?? 0) }, try #require(result["max_score"] as? Double))
    }

    @Test func classroomResultCarriesPartialCredit() throws {
        let full = try classroomResult(ExerciseTable.solutions)
        #expect(full["version"] as? Int == 1 && full["status"] as? String == "pass")
        let visibleTotal = Gradebook.exercises.reduce(0) { $0 + $1.points }
        #expect(try points(full) == (Double(visibleTotal), Double(visibleTotal)))

        var wrong = ExerciseTable.solutions
        wrong.reluBackward = { dOut, _ in dOut }  // forgets the gate: loses the backward part only
        wrong.sgd = { _, _, _ in throw Unimplemented() }
        let partial = try classroomResult(wrong)
        #expect(partial["status"] as? String == "fail")
        let tests = try #require(partial["tests"] as? [[String: Any]])
        let relu = try #require(tests.first { ($0["name"] as? String)?.hasPrefix("a1.relu ") == true })
        let reluMax = try #require(relu["max_score"] as? Double), reluScore = try #require(relu["score"] as? Double)
        #expect(relu["status"] as? String == "fail" && reluScore > 0 && reluScore < reluMax)
        let sgd = try #require(tests.first { ($0["name"] as? String)?.hasPrefix("a2.sgd ") == true })
        #expect(sgd["score"] as? Double == 0 && sgd["message"] as? String == "not attempted yet")
        let (total, max) = try points(partial)
        #expect(max == Double(visibleTotal) && total == max - (reluMax - reluScore) - (sgd["max_score"] as? Double ?? 0))
    }

    @Test("a build failure's report: every exercise (hidden parts too) failed with 0 points, in Gradescope's schema")
    func compileFailureReport() throws {
        let outline = Gradebook.outline
        #expect(outline.exercises.count == Gradebook.exercises.count)
        #expect(outline.exercises.contains { !$0.hiddenParts.isEmpty }, "the instructor's tree has hidden parts")
        let report = outline.allFailed(because: "did not compile", executionTime: 3)
        let json = try #require(try JSONSerialization.jsonObject(with: report.encoded()) as? [String: Any])
        try validateGradescope(json)
        let tests = try #require(json["tests"] as? [[String: Any]])
        #expect(tests.count == Gradebook.exercises.count + outline.exercises.reduce(0) { $0 + $1.hiddenParts.count })
        #expect(tests.allSatisfy { $0["score"] as? Double == 0 && $0["status"] as? String == "failed" })
        #expect(tests.contains { $0["visibility"] as? String == "after_published" })
        #expect(json["score"] as? Double == 0 && json["output"] as? String == "did not compile")
    }

    @Test("the leaderboard ranks right answers only, and is neither a test nor a score")
    func leaderboard() throws {
        let conv = try #require(Gradebook.exercise("a3.conv_forward_naive"))
        func gradescope(_ table: ExerciseTable) throws -> [String: Any] {
            let json = try Report.gradescope([Gradebook.grade(conv, table, seed: 9)], seed: 9)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            try validateGradescope(parsed)
            return parsed
        }
        let right = try gradescope(ExerciseTable.solutions)
        let board = try #require(right["leaderboard"] as? [[String: Any]])
        #expect(board.count == 1 && board[0]["name"] as? String == "conv forward (ms)" && board[0]["order"] as? String == "asc")
        #expect((board[0]["value"] as? Double ?? 0) > 0)
        #expect(right["score"] as? Double == conv.maxScore)
        #expect(!((right["tests"] as? [[String: Any]]) ?? []).contains { ($0["name"] as? String ?? "").contains("conv forward (ms)") })

        var wrong = ExerciseTable.solutions
        let reference = wrong.convForwardNaive
        wrong.convForwardNaive = { x, w, b, stride, pad in try reference(x, w, b, stride, pad).map { $0 * 1.01 } }
        let wrongJSON = try gradescope(wrong)
        #expect(wrongJSON["leaderboard"] == nil)
        let result = Gradebook.grade(conv, wrong, seed: 9)
        #expect(result.status == .failed && !result.messages.contains { $0.contains("leaderboard") })
    }
}
