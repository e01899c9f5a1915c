import Foundation
import GraderFixtures
import Grading
import Solutions
import Testing

/// The fixture's limits: short, so the hanging and memory-hungry exercises end quickly.
/// Ten seconds: the conv exercise's leaderboard part times three naive convolutions of a
/// CIFAR-sized batch, which takes over 3 s on a loaded 2-core machine.
let fixtureLimits = GradingLimits(seconds: 10, memoryBytes: 512 << 20)

/// Checks one exercise of the faulty fixture: the misbehaving ones get 0 with the right
/// explanation, every other exercise is graded normally.
func expectFaultyOutcome(_ r: ExerciseResult, sourceLocation: SourceLocation = #_sourceLocation) {
    let id = r.exercise.id
    let all = r.messages.joined(separator: "\n")
    if let failure = FaultyExpectation.failures[id] {
        #expect(r.failure == failure && r.score == 0, "\(id): \(all)", sourceLocation: sourceLocation)
        switch failure {
        case .crashed:
            #expect(all.contains("signal 4") && all.contains("Fatal error: Index out of range") && all.contains("while grading part forward"), "\(all)", sourceLocation: sourceLocation)
            #expect(all.contains("Tests/GraderFixtures/FaultySubmission.swift:"), "no file:line in \(all)", sourceLocation: sourceLocation)
            #expect(r.output.contains("debug: relu on"), "the student's print before the crash is kept: \(r.output)", sourceLocation: sourceLocation)
        case .timedOut: #expect(all.contains("did not finish within \(Int(fixtureLimits.seconds)) s"), "\(all)", sourceLocation: sourceLocation)
        case .outOfMemory: #expect(all.contains("ran out of memory (the limit is 512 MiB)"), "\(all)", sourceLocation: sourceLocation)
        case .exitedEarly: #expect(all.contains("exit()") && r.output.contains("done early"), "\(all)", sourceLocation: sourceLocation)
        }
    } else if id == FaultyExpectation.forged {
        #expect(r.failure == nil && r.score == 0, "forged records must not score: \(all)", sourceLocation: sourceLocation)
        #expect(r.output.contains("result [{"), "the forged line is shown as the submission's output", sourceLocation: sourceLocation)
    } else if id == FaultyExpectation.wrong {
        #expect(r.score < r.exercise.maxScore && r.output.contains("debug: svm on"), "\(all)", sourceLocation: sourceLocation)
        #expect(!all.contains("debug: svm"), "prints stay out of the messages", sourceLocation: sourceLocation)
    } else {
        #expect(r.status == .passed, "\(id): \(all)", sourceLocation: sourceLocation)
    }
}

/// The package's build folder (`.build/debug` or the like), where `swift test` also builds
/// the `grader-fixture` executable.
var productsDirectory: URL {
    #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") { return bundle.bundleURL.deletingLastPathComponent() }
    #endif
    return GradingRun.currentExecutable.deletingLastPathComponent()
}

/// Runs the fixture's `grade` (the `gradschool grade` driver over the fixture submissions).
func runFixtureGrader(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
    let p = Process()
    p.executableURL = productsDirectory.appendingPathComponent("grader-fixture")
    p.arguments = ["grade"] + arguments
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardOutput = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
}

@Suite("Isolation: a crash, a hang or a runaway allocation costs one exercise, never the run")
struct IsolationTests {
    @Test("swift test's path: each exercise in an exit-test child", arguments: Gradebook.exercises)
    func exitTestChildren(_ e: Exercise) async {
        // An exercise with a longer limit of its own (the project's evaluation) keeps it, as in real grading.
        let r = await gradeIsolated(e, .fixture(.faulty), seed: 11, limits: fixtureLimits.applied(to: e, forced: false))
        expectFaultyOutcome(r)
    }

    @Test("gradschool grade's path: worker processes, one complete JSON file whatever the homework does")
    func workerProcesses() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gs-isolation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("results.json").path
        // The forging exercise also tries to overwrite the report itself.
        let status = try runFixtureGrader(
            [
                "--submission", "faulty", "--seed", "5", "--time-limit", String(Int(fixtureLimits.seconds)), "--memory-limit-mb", "512",
                "--format", "json", "--output", out
            ], environment: [FixtureSubmission.forgeTargetVariable: out])
        #expect(status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let rows = try #require(json["results"] as? [[String: Any]])
        #expect(rows.map { $0["id"] as? String } == Gradebook.exercises.map(\.id))
        for row in rows {
            let id = row["id"] as! String
            if let failure = FaultyExpectation.failures[id] {
                #expect(row["failure"] as? String == failure.rawValue && row["score"] as? Double == 0, "\(id): \(row)")
            } else if id == FaultyExpectation.forged || id == FaultyExpectation.wrong {
                #expect(row["score"] as? Double == 0, "\(id): \(row)")
            } else {
                #expect(row["status"] as? String == "passed", "\(id): \(row)")
            }
            #expect(row["parts"] is [[String: Any]] && row["messages"] is [String] && row["output"] is String)
        }
        let relu = try #require(rows.first { $0["id"] as? String == "a1.relu" })
        #expect((relu["messages"] as? [String])?.first?.contains("FaultySubmission.swift:") == true, "\(relu)")
    }

    @Test("the Gradescope report is written whole and valid whatever the homework does")
    func gradescopeFileFromFaultyHomework() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("gs-results-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        #expect(
            try runFixtureGrader([
                "--submission", "faulty", "--seed", "6", "--time-limit", String(Int(fixtureLimits.seconds)), "--memory-limit-mb", "512",
                "--only", "a1.relu,a1.l2_regularization,a1.l1_regularization,a2.sgd",
                "--format", "gradescope", "--output", out
            ]) == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        try validateGradescope(json)
        #expect((json["score"] as? NSNumber)?.doubleValue == 1, "only a2.sgd scores: \(json)")
    }

    @Test("the same seed reproduces a run exactly, in separate processes")
    func sameSeedSameMessages() throws {
        func messages(_ seed: Int) throws -> [[String]] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("gs-seed-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            _ = try runFixtureGrader([
                "--submission", "faulty", "--seed", String(seed), "--only", "a1.svm_loss,a1.l1_regularization",
                "--format", "json", "--output", out
            ])
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
            return (json["results"] as! [[String: Any]]).map { $0["messages"] as! [String] }
        }
        let first = try messages(123), second = try messages(123), other = try messages(124)
        #expect(first == second)
        #expect(!first.isEmpty && first.allSatisfy { !$0.isEmpty })
        #expect(first != other)
        // And in this process: the same seed gives the same message.
        var table = reference
        table.svmLoss = { s, y in (try Solutions.Submission.svmLoss(scores: s, labels: y).loss + 1, s) }
        #expect(Gradebook.grade(exercise("a1.svm_loss"), table, seed: 9).messages == Gradebook.grade(exercise("a1.svm_loss"), table, seed: 9).messages)
    }
}

@Suite struct ChildOutputTests {
    let relu = exercise("a1.relu")
    func record(_ nonce: String, _ statuses: [PartResult.Status]) -> String {
        let parts = zip(relu.parts, statuses).map { PartResult(name: $0.name, maxScore: 50, score: 50, status: $1, message: nil, visibility: .visible) }
        return "\(nonce) result " + String(decoding: try! JSONEncoder().encode(parts), as: UTF8.self)
    }

    @Test("only a record with this child's nonce counts, scored with the grader's own points")
    func recordsNeedTheNonce() {
        let nonce = IsolatedGrading.newNonce()
        let stdout = "hello\n" + record("gs-forged", [.passed, .passed]) + "\n\n" + record(nonce, [.passed, .failed]) + "\n"
        let garbage: [UInt8] = [0x39, 0x74, 0x87, 0x6d, 0x96, 0xdd, 0x0a] + Array("my warning\n".utf8)
        let outcome = ChildOutcome(termination: .exited(IsolatedWorker.ExitCodes.reported), standardOutput: Array(stdout.utf8), standardError: garbage, seconds: 0.1)
        let r = IsolatedGrading.result(for: relu, outcome: outcome, nonce: nonce, seed: 1, limits: GradingLimits())
        #expect(r.score == 1 && r.status == .partial)
        #expect(r.output.hasPrefix("hello\ngs-forged result") && r.output.hasSuffix("my warning"), "\(r.output)")
        #expect(!r.output.contains(nonce))
        // The same record with a status other than "reported" (exit(0) after printing it) does not count.
        let early = ChildOutcome(termination: .exited(0), standardOutput: Array(stdout.utf8), standardError: [], seconds: 0.1)
        #expect(IsolatedGrading.result(for: relu, outcome: early, nonce: nonce, seed: 1, limits: GradingLimits()).score == 0)
        // A record naming other parts is ignored.
        let renamed = stdout.replacingOccurrences(of: "\"forward\"", with: "\"bonus\"")
        let odd = ChildOutcome(termination: .exited(IsolatedWorker.ExitCodes.reported), standardOutput: Array(renamed.utf8), standardError: [], seconds: 0.1)
        #expect(IsolatedGrading.result(for: relu, outcome: odd, nonce: nonce, seed: 1, limits: GradingLimits()).failure != nil)
    }

    @Test("a crash keeps the verdicts and messages of the parts that finished before it, and still scores 0")
    func partsBeforeACrash() {
        let nonce = IsolatedGrading.newNonce()
        func part(_ name: String, _ status: PartResult.Status, _ message: String?) -> String {
            let verdict = PartResult(name: name, maxScore: 50, score: 50, status: status, message: message, visibility: .visible)
            return "\(nonce) part " + String(decoding: try! JSONEncoder().encode(verdict), as: UTF8.self)
        }
        let forward = relu.parts[0].name, backward = relu.parts[1].name
        let stdout = [
            "\(nonce) begin \(forward)", part(forward, .failed, "relu_forward: expected 1 but got 2"), "\(nonce) begin \(backward)",
            part("bonus", .passed, nil), "gs-forged part " + part(backward, .passed, nil).dropFirst(nonce.count + 1)
        ].joined(separator: "\n")
        let crash = ChildOutcome(termination: .signaled(SIGILL), standardOutput: Array(stdout.utf8), standardError: [], seconds: 0.1)
        let r = IsolatedGrading.result(for: relu, outcome: crash, nonce: nonce, seed: 1, limits: GradingLimits())
        #expect(r.score == 0 && r.failure == .crashed)
        #expect(r.messages.first?.contains("while grading part \(backward)") == true, "\(r.messages)")
        #expect(r.messages.contains("\(forward): relu_forward: expected 1 but got 2"), "\(r.messages)")
        // Neither a part the exercise does not have nor a record without the nonce counts.
        #expect(r.parts.map(\.status) == [.notFinished, .notFinished] && r.parts.allSatisfy { $0.maxScore == 1 })
        // A part that held before the crash shows as held, still for 0 points.
        let held = "\(nonce) begin \(forward)\n" + part(forward, .passed, nil) + "\n\(nonce) begin \(backward)\n"
        let after = IsolatedGrading.result(
            for: relu, outcome: ChildOutcome(termination: .signaled(SIGILL), standardOutput: Array(held.utf8), standardError: [], seconds: 0.1), nonce: nonce,
            seed: 1, limits: GradingLimits())
        #expect(after.parts.map(\.status) == [.passed, .notFinished] && after.score == 0)
    }
}
