import ArgumentParser
import Foundation
import Homework
import HomeworkBridge
import Kernels
import Lang
import Lessons
import Plots
import REPL
import Terminal
import Training

/// Every command runs on a thread with a large stack (see `LargeStack`).
@main
enum Entry {
    static func main() {
        // Before the large-stack thread exists, so that it allocates from the shared arena.
        MemoryTuning.reuseLargeBlocks()
        LargeStack.run { GradSchool.main() }
    }
}

struct GradSchool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gradschool",
        abstract: "Learn what it takes to train ConvNets: a REPL, lessons and graded homework.",
        discussion: "With no subcommand, starts the prompt. `gradschool -e 'EXPR'` evaluates one entry.",
        subcommands: [Prompt.self, Run.self, LessonCommand.self, Grade.self, GradeWorker.self, ProjectCommand.self, FetchCommand.self] + instructorCommands
            + [Bench.self, Reference.self, COCOSample.self, FuzzCommand.self, FuzzCaseCommand.self],
        defaultSubcommand: Prompt.self)
}

/// Commands that need the reference solutions: in the instructor's repository only.
#if GRADSCHOOL_SOLUTIONS
    let instructorCommands: [ParsableCommand.Type] = [ReleaseCommand.self, GradescopeBundleCommand.self]
#else
    let instructorCommands: [ParsableCommand.Type] = []
#endif

struct Prompt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl", abstract: "The interactive prompt (the default), or one entry with -e.")

    @OptionGroup var common: CommonOptions

    @Option(
        name: .customShort("e"), parsing: .unconditional,
        help: "Evaluate this entry and exit: source, ?name or a :command (a value starting with - is the entry, e.g. -e '-1').")
    var expression: String?

    func run() throws {
        let session = common.makeSession(interactive: expression == nil)
        if let expression {
            session.handle(expression)
            if session.hadError { throw ExitCode(1) }
            return
        }
        session.run()
    }
}

/// Options shared by the prompt, `-e` and `run`.
struct CommonOptions: ParsableArguments {
    @Option(help: "Seed of the session's random stream.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads for kernels (default: all cores).")
    var threads: Int?

    @Flag(help: "Plain output without ANSI colours (also when NO_COLOR is set).")
    var noColor = false

    func makeSession(interactive: Bool) -> Session {
        if let threads, threads > 0 { Parallel.threads = threads }
        let interpreter = Interpreter()
        interpreter.reseed(seed)
        let terminal = isatty(0) != 0 && isatty(1) != 0
        let color = terminal && !noColor && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        var reader: LineReader = PlainLineReader()
        let session = Session(interpreter: interpreter, reader: reader, color: color)
        if interactive && terminal,
            let editor = LibEditLineReader(completer: { [unowned session] word, line in
                session.completions(word: word, line: line)
            })
        {
            reader = editor
            session.reader = editor
            var history = HistoryFile()
            for entry in history.entries { editor.addHistory(entry) }
            history.append("")
            session.history = history
        }
        // Pictures in the terminal when it draws them; GRADSCHOOL_IMAGES forces a protocol
        // even when the output is not a terminal (to capture the sequences).
        let forcedImages = ProcessInfo.processInfo.environment["GRADSCHOOL_IMAGES"].flatMap { InlineImageProtocol(rawValue: $0.lowercased()) }
        interpreter.inlineImages = terminal ? InlineImageProtocol.detect() : forcedImages ?? .off
        if terminal {
            interpreter.status = { text in FileHandle.standardOutput.write(Data(("\r\u{1B}[K" + text).utf8)) }
        }
        installInterruptHandler { [interrupt = interpreter.interrupt] in interrupt.raise() }
        StudentImplementations.install(session, homework: Homework.Submission.self)
        if let dir = LessonLibrary.directory() {
            interpreter.courseFiles = LessonLibrary.courseFiles(in: dir)
            do {
                let controller = LessonController(session: session, lessons: try LessonLibrary.load(from: dir))
                controller.install()
                lessonController = controller
            } catch { session.report("lessons: \(error)") }
        }
        return session
    }
}

nonisolated(unsafe) var lessonController: LessonController?

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Open a lesson at the prompt, or run lessons headless with --check.")

    @Argument(help: "Lesson number or name; with --check, `all` runs every lesson.")
    var lesson: String = "1"

    @Flag(help: "Run every cell and check without a terminal and report.")
    var check = false

    @Flag(help: "Show that every check cell can fail: rerun each with one computed value wrong at a time.")
    var falsify = false

    @OptionGroup var common: CommonOptions

    func run() throws {
        if check || falsify {
            guard let dir = LessonLibrary.directory() else { throw ValidationError("no lessons/ folder found; set GRADSCHOOL_LESSONS") }
            let all = try LessonLibrary.load(from: dir)
            let chosen = lesson == "all" ? all : all.filter { "\($0.number)" == lesson || $0.slug == lesson || $0.name == lesson }
            guard !chosen.isEmpty else { throw ValidationError("no lesson \(lesson)") }
            var failed = false
            // Each lesson runs in its own interpreter, so lessons run side by side, one per core,
            // and print in order.
            let workers = ProcessInfo.processInfo.activeProcessorCount
            if falsify {
                InOrderWork.run(count: chosen.count, workers: workers, { CheckFalsifier.audit(chosen[$0]) }) { verdicts in
                    for v in verdicts {
                        print("\(v.falsifiable ? "✓" : "✗") \(v)")
                        failed = failed || !v.falsifiable
                    }
                }
                if failed { throw ExitCode(1) }
                return
            }
            InOrderWork.run(count: chosen.count, workers: workers, { LessonRunner.check(chosen[$0]) }) { r in
                print(String(format: "%@ %-34@ %2d cells, %2d checks, %.1f s", r.passed ? "✓" : "✗", r.lesson as NSString, r.cellsRun, r.checksPassed, r.seconds))
                for f in r.failures { print("    \(f)") }
                failed = failed || !r.passed
            }
            if failed { throw ExitCode(1) }
            return
        }
        let session = common.makeSession(interactive: true)
        guard let controller = lessonController else { throw ValidationError("no lessons/ folder found; set GRADSCHOOL_LESSONS") }
        do { try controller.open(lesson) } catch { session.report("\(error)") }
        session.run(banner: false)
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script file; exits non-zero on the first error.")

    @Argument(help: "The script to run.")
    var file: String

    @OptionGroup var common: CommonOptions

    func run() throws {
        let source: String
        do { source = try ScriptSource.read(file) } catch {
            FileHandle.standardError.write(Data("gradschool: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let session = common.makeSession(interactive: false)
        if !session.run(source: source, sourceName: file) { throw ExitCode(1) }
    }
}

/// Writes the course's sample COCO annotation file (`lessons/data/annotations-sample.json`).
struct COCOSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coco-sample", abstract: "Print the generated COCO-format annotation file the lessons ship (lessons/data/annotations-sample.json).")
    func run() throws { FileHandle.standardOutput.write(SyntheticCOCO.json()) }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the builtin reference (Markdown) generated from the registry.")
    func run() throws { print(Interpreter().registry.referenceMarkdown, terminator: "") }
}
