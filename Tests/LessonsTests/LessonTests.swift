import Foundation
import Lang
import Lessons
import REPL
import Terminal
import TestSupport
import Testing

let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../lessons").standardized.path

@Suite struct LessonTests {
    static let all: [Lesson] = (try? LessonLibrary.load(from: lessonsDirectory)) ?? []

    @Test func theCourseIsComplete() {
        #expect(Self.all.count >= 14)
        #expect(Self.all.map(\.number) == Array(1...Self.all.count))
        for l in Self.all {
            #expect(!l.title.isEmpty && l.cells.contains { $0.kind == .check }, "\(l.name) needs a title and at least one check")
        }
    }

    /// Every lesson runs headless: all cells run, all checks hold.
    @Test(.serialized, arguments: Self.all.map(\.name))
    func lessonRunsEndToEnd(name: String) throws {
        let lesson = try #require(Self.all.first { $0.name == name })
        let report = LessonRunner.check(lesson)
        #expect(report.passed, "\(report.failures.map(\.description).joined(separator: "\n"))")
        #expect(report.checksPassed == lesson.cells.filter { $0.kind == .check }.count)
    }

    @Test func formatParsesCellsPredictionsAndProse() throws {
        let text = """
            # Title here

            Some *prose* with `code`.

            ```predict
            Up or down?
            up | down
            answer: up — why
            ```

            ```gs
            x = 1
            ```

            More prose.

            ```check
            expect(x == 1, "x is one")
            ```

            Closing words.
            """
        let l = try Lesson(text: text, number: 3, slug: "demo")
        #expect(l.title == "Title here")
        #expect(l.cells.count == 2)
        #expect(l.cells[0].prediction?.choices == ["up", "down"])
        #expect(l.cells[0].prose.contains("Some *prose*"))
        #expect(l.cells[1].kind == .check && l.cells[1].prose == "More prose.")
        #expect(l.closing == "Closing words.")
        #expect(throws: LessonError.self) { try Lesson(text: "```gs\nx = 1\n", number: 1, slug: "broken") }
        let failing = try Lesson(text: "```check\nexpect(1 > 2, \"never\")\n```", number: 1, slug: "f")
        #expect(!LessonRunner.check(failing).passed)
    }

    @Test func proseRendersForTheTerminal() {
        let out = Prose.render("# Head\n\nA **bold** and `code` word.\n\n- first item that is long enough to wrap around the narrow width\n- second", width: 30, color: false)
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "HEAD")
        #expect(out.contains("A bold and code word."))
        #expect(lines.contains { $0.hasPrefix("  • first") })
        #expect(lines.allSatisfy { $0.count <= 30 })
    }

    @Test func steppingThroughALessonAtThePrompt() throws {
        let scratch = try ScratchFolder("lessons")
        let dir = scratch.path
        try "# Tiny\n\nFirst.\n\n```gs\na = 40\n```\n\n```gs\na + 2\n```\n\n```check\nexpect(a == 40, \"a is forty\")\n```\n"
            .write(toFile: dir + "/01-tiny.md", atomically: true, encoding: .utf8)
        var lines = [":lessons", ":lesson 1", "", ":cells", "", "", ":lessons"]
        var out: [String] = [], err: [String] = []
        let session = Session(reader: PlainLineReader { lines.isEmpty ? nil : lines.removeFirst() }, out: { out.append($0) }, err: { err.append($0) })
        let progress = dir + "/progress.json"
        let controller = LessonController(session: session, lessons: try LessonLibrary.load(from: dir), progressPath: progress)
        controller.install()
        session.run()
        #expect(err.isEmpty, "\(err)")
        #expect(out.contains("42"))
        #expect(out.contains("✓ check holds"))
        #expect(out.contains { $0.contains("end of lesson 1") })
        #expect(out.last(where: { $0.contains("Tiny") })?.contains("✓") == true)
        #expect(FileManager.default.fileExists(atPath: progress))
    }

    @Test("every prediction has an answer key, one of its choices")
    func predictionsNeedAnswers() throws {
        let good = try Lesson(text: "```predict\nUp or down?\nup | down\nanswer: down — it falls\n```\n\n```gs\n1\n```\n", number: 1, slug: "p")
        let p = try #require(good.cells[0].prediction)
        #expect(p.answer == "down" && p.explanation == "it falls")
        #expect(p.isRight("Down") && p.isRight(" 2 ") && !p.isRight("up") && !p.isRight("1") && !p.isRight("3"))
        #expect(throws: LessonError.self) { try Lesson(text: "```predict\nUp or down?\nup | down\n```\n\n```gs\n1\n```\n", number: 1, slug: "p") }
        #expect(throws: LessonError.self) {
            try Lesson(text: "```predict\nUp or down?\nup | down\nanswer: sideways — no\n```\n\n```gs\n1\n```\n", number: 1, slug: "p")
        }
    }

    /// A terminal stand-in: interactive, so the lesson asks for a prediction.
    final class ScriptedTerminal: LineReader {
        var lines: [String]
        init(_ lines: [String]) { self.lines = lines }
        func readLine(prompt: String) -> String? { lines.isEmpty ? nil : lines.removeFirst() }
        func consumeInterrupt() -> Bool { false }
        func addHistory(_ entry: String) {}
        var isInteractive: Bool { true }
    }

    @Test("the answer is revealed after the cell runs, and whether the prediction was right is recorded")
    func predictionsAreScored() throws {
        let scratch = try ScratchFolder("predict")
        try "# P\n\n```predict\nWhat is 2 + 2?\n3 | 4\nanswer: 4 — by arithmetic\n```\n\n```gs\n2 + 2\n```\n\n```predict\nAnd 3 + 3?\nanswer: 6\n```\n\n```gs\n3 + 3\n```\n"
            .write(toFile: scratch.file("01-p.md"), atomically: true, encoding: .utf8)
        var out: [String] = []
        let session = Session(reader: ScriptedTerminal([":lesson 1", "", ":images", "five", "3", "", "6"]), out: { out.append($0) }, err: { out.append($0) })
        let progressPath = scratch.file("progress.json")
        let controller = LessonController(session: session, lessons: try LessonLibrary.load(from: scratch.path), progressPath: progressPath)
        controller.install()
        session.run(banner: false)
        #expect(out.contains("you predicted 3: not this time. The answer: 4 — by arithmetic"), "\(out)")
        #expect(out.contains("you predicted 6: right. The answer: 6"), "\(out)")
        // A :command and a word that is not a choice are asked again, not taken as the guess.
        #expect(out.contains("answer the prediction first (1 3, 2 4), or press Enter to skip it"), "\(out)")
        #expect(out.contains("choose one of: 1 3, 2 4 (or press Enter to skip)"), "\(out)")
        let progress = Progress.load(from: progressPath)
        #expect(progress.predictionsRight == ["01-p#0": false, "01-p#1": true])
    }
}

@Suite struct InOrderWorkTests {
    @Test("results arrive in the order of the work, though later pieces finish first, and pieces run side by side")
    func deliversInOrder() {
        // Piece 0 waits until piece 1 has run: with one piece at a time it would time out.
        let second = DispatchSemaphore(value: 0)
        let sawSecond = Box()
        var delivered: [Int] = []
        InOrderWork.run(
            count: 6, workers: 2,
            { index in
                if index == 0 { sawSecond.set(second.wait(timeout: .now() + 10) == .success) }
                if index == 1 { second.signal() }
                return index * index
            }
        ) { delivered.append($0) }
        #expect(delivered == [0, 1, 4, 9, 16, 25])
        #expect(sawSecond.value)
    }

    @Test("no work delivers nothing; more workers than pieces is fine")
    func edges() {
        var delivered: [Int] = []
        InOrderWork.run(count: 0, workers: 4, { $0 }) { delivered.append($0) }
        #expect(delivered.isEmpty)
        InOrderWork.run(count: 2, workers: 8, { $0 + 1 }) { delivered.append($0) }
        #expect(delivered == [1, 2])
    }

    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var flag = false
        var value: Bool { lock.withLock { flag } }
        func set(_ v: Bool) { lock.withLock { flag = v } }
    }
}
