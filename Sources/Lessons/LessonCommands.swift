import Foundation
import Lang
import Plots
import REPL

/// The lesson commands at the prompt: a notebook stepped cell by cell.
///
/// Opening a lesson shows its first cell (prose and code) without running it; Enter or
/// `:next` runs the shown cell, prints its output and shows the next one.
public final class LessonController {
    public let lessons: [Lesson]
    let session: Session
    var progress: Progress
    let progressPath: String
    public private(set) var current: Lesson?
    /// Index of the cell shown (and run by the next Enter).
    public private(set) var shown = 0

    public init(session: Session, lessons: [Lesson], progressPath: String = Progress.defaultPath) {
        self.session = session
        self.lessons = lessons
        self.progressPath = progressPath
        progress = Progress.load(from: progressPath)
    }

    /// Adds `:lessons :lesson :next :prev :cells :run :edit :check` to the session.
    public func install() {
        session.register(SessionCommand("lessons", usage: ":lessons", summary: "the lessons, with your progress") { _, _ in self.list() })
        session.register(SessionCommand("lesson", usage: ":lesson N|name", summary: "opens a lesson at the cell where you left it") { _, arg in try self.open(arg) })
        session.register(SessionCommand("next", usage: ":next (or Enter)", summary: "runs the shown cell and shows the next") { _, _ in try self.next() })
        session.register(SessionCommand("prev", usage: ":prev", summary: "shows the previous cell again") { _, _ in try self.previous() })
        session.register(SessionCommand("cells", usage: ":cells", summary: "lists the lesson's cells") { _, _ in try self.listCells() })
        session.register(SessionCommand("run", usage: ":run N", summary: "runs cell N") { _, arg in try self.run(cell: arg) })
        session.register(SessionCommand("edit", usage: ":edit N", summary: "puts cell N in the history: press Up to edit it, Enter to run") { _, arg in try self.edit(cell: arg) })
        session.register(SessionCommand("check", usage: ":check", summary: "runs the lesson's checks up to here in a fresh session") { _, _ in try self.checkSoFar() })
        session.emptyLineAction = { [unowned self] in
            guard self.current != nil else { return }
            do { try self.next() } catch { self.session.report("\(error)") }
        }
        session.promptPrefix = { [unowned self] in
            guard let l = self.current else { return "" }
            return "[\(l.number):\(min(self.shown + 1, l.cells.count))/\(l.cells.count)] "
        }
    }

    var width: Int { min(max(40, terminalColumns - 2), 90) }
    func say(_ s: String) { session.out(s) }

    func list() {
        for l in lessons {
            let at = progress.position[l.name] ?? 0
            let mark = progress.completed.contains(l.name) ? "✓" : at > 0 ? "…" : " "
            say(" \(mark) \(String(format: "%2d", l.number))  \(l.title)" + (at > 0 && mark == "…" ? "  (cell \(at + 1)/\(l.cells.count))" : ""))
        }
        say("open one with :lesson N")
    }

    func find(_ arg: String) throws -> Lesson {
        let key = arg.trimmingCharacters(in: .whitespaces)
        if let n = Int(key), let l = lessons.first(where: { $0.number == n }) { return l }
        if let l = lessons.first(where: { $0.slug == key || $0.name == key || $0.slug.hasPrefix(key) && !key.isEmpty }) { return l }
        throw LessonError("no lesson \(key.isEmpty ? "given" : key); :lessons lists them")
    }

    public func open(_ arg: String) throws {
        let l = try find(arg)
        current = l
        shown = min(progress.position[l.name] ?? 0, max(0, l.cells.count - 1))
        if progress.completed.contains(l.name) { shown = 0 }
        say("")
        say(Prose.render("# \(l.number). \(l.title)", width: width, color: session.color))
        if shown > 0 {
            say("(resuming at cell \(shown + 1); earlier cells are run again so their variables exist)")
            for k in 0..<shown { _ = runQuietly(l.cells[k]) }
        }
        showCell()
    }

    func showCell() {
        guard let l = current else { return }
        guard shown < l.cells.count else {
            if !l.closing.isEmpty { say(Prose.render(l.closing, width: width, color: session.color)) }
            say("— end of lesson \(l.number). :lessons for the next one.")
            progress.completed.insert(l.name)
            progress.position[l.name] = 0
            progress.save(to: progressPath)
            current = nil
            return
        }
        let cell = l.cells[shown]
        if !cell.prose.isEmpty { say(""); say(Prose.render(cell.prose, width: width, color: session.color)) }
        say("")
        let label = cell.kind == .check ? "check" : "cell \(shown + 1)"
        for (i, line) in cell.source.components(separatedBy: "\n").enumerated() {
            let gutter = i == 0 ? label.padding(toLength: 8, withPad: " ", startingAt: 0) : String(repeating: " ", count: 8)
            say(session.color ? "\u{1B}[2m\(gutter)\u{1B}[0m\u{1B}[36m\(line)\u{1B}[0m" : gutter + line)
        }
        if let p = cell.prediction {
            say("")
            say("predict: \(p.question)" + (p.choices.isEmpty ? "" : " (\(p.choices.joined(separator: " / ")))"))
        }
        say(session.reader.isInteractive ? "(Enter runs it)" : "")
    }

    public func next() throws {
        guard let l = current else { throw LessonError("no lesson is open; :lessons lists them") }
        guard shown < l.cells.count else { showCell(); return }
        let cell = l.cells[shown]
        var guess: String?
        let key = "\(l.name)#\(shown)"
        if let prediction = cell.prediction, session.reader.isInteractive {
            guess = askPrediction(prediction)
            if let g = guess, !g.isEmpty { progress.predictions[key] = g }
        }
        let ok = session.run(source: cell.source, sourceName: "\(l.name) cell \(shown + 1)")
        // The answer key comes after the learner has committed and seen the result.
        if let p = cell.prediction, ok {
            let why = p.explanation.isEmpty ? "" : " — \(p.explanation)"
            if let guess, !guess.isEmpty {
                let right = p.isRight(guess)
                progress.predictionsRight[key] = right
                say("you predicted \(guess): \(right ? "right" : "not this time"). The answer: \(p.answer)\(why)")
            } else {
                say("the answer: \(p.answer)\(why)")
            }
        }
        if cell.kind == .check && ok { say("✓ check holds") }
        guard ok else {
            say("the cell did not succeed: change something (:edit \(shown + 1)) or press Enter to try again")
            return
        }
        shown += 1
        progress.position[l.name] = shown
        progress.save(to: progressPath)
        showCell()
    }

    func previous() throws {
        guard current != nil else { throw LessonError("no lesson is open") }
        shown = max(0, shown - 1)
        showCell()
    }

    func listCells() throws {
        guard let l = current else { throw LessonError("no lesson is open") }
        for (k, c) in l.cells.enumerated() {
            let first = c.source.split(separator: "\n").first.map(String.init) ?? ""
            say("\(k == shown ? "▶" : " ") \(String(format: "%2d", k + 1)) \(c.kind == .check ? "check" : "code ") \(first.prefix(64))")
        }
    }

    func cellIndex(_ arg: String) throws -> (Lesson, Int) {
        guard let l = current else { throw LessonError("no lesson is open") }
        guard let n = Int(arg.trimmingCharacters(in: .whitespaces)), n >= 1, n <= l.cells.count else {
            throw LessonError("give a cell number 1…\(l.cells.count)")
        }
        return (l, n - 1)
    }

    func run(cell arg: String) throws {
        let (l, k) = try cellIndex(arg)
        session.run(source: l.cells[k].source, sourceName: "\(l.name) cell \(k + 1)")
    }

    func edit(cell arg: String) throws {
        let (l, k) = try cellIndex(arg)
        session.reader.addHistory(l.cells[k].source)
        say(session.reader.isInteractive ? "cell \(k + 1) is now the last history entry: press Up to edit it, Enter to run it" : l.cells[k].source)
    }

    /// Reads the learner's prediction: one of the choices (or its number) when there are
    /// choices, any words otherwise; empty skips, Ctrl-D too. A `:command` or a word that is
    /// not a choice is not taken as the answer: the question is asked again.
    func askPrediction(_ p: Lesson.Prediction) -> String? {
        while true {
            guard let line = session.reader.readLine(prompt: "your prediction> ")?.trimmingCharacters(in: .whitespaces) else { return nil }
            if line.isEmpty { return line }
            if !line.hasPrefix(":") && p.accepts(line) { return line }
            let options = p.choices.isEmpty ? "your answer in words" : p.choices.enumerated().map { "\($0.offset + 1) \($0.element)" }.joined(separator: ", ")
            say(line.hasPrefix(":") ? "answer the prediction first (\(options)), or press Enter to skip it" : "choose one of: \(options) (or press Enter to skip)")
        }
    }

    func checkSoFar() throws {
        guard let l = current else { throw LessonError("no lesson is open") }
        let upTo = l.prefix(max(shown, 1))
        let report = LessonRunner.check(upTo)
        say(report.passed ? "✓ \(report.checksPassed) checks hold in a fresh session (cells 1–\(upTo.cells.count))" : report.failures.map(\.description).joined(separator: "\n"))
    }

    func runQuietly(_ cell: Lesson.Cell) -> Bool {
        let saved = session.interpreter.output
        session.interpreter.output = { _ in }
        defer { session.interpreter.output = saved }
        return (try? session.interpreter.run(cell.source)) != nil
    }
}
