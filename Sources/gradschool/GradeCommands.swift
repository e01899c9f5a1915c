import ArgumentParser
import Foundation
import Grading
import Homework
import HomeworkKit

#if GRADSCHOOL_SOLUTIONS
    import Solutions
#endif

/// The submissions this executable can grade, by name (the reference solutions only in the
/// instructor's repository).
enum Submissions {
    static func table(_ name: String) -> ExerciseTable? {
        switch name {
        case "homework": return ExerciseTable(Homework.Submission.self)
        #if GRADSCHOOL_SOLUTIONS
            case "solutions": return ExerciseTable(Solutions.Submission.self, checkpoint: "solutions/" + ProjectRules.checkpointPath)
        #endif
        default: return nil
        }
    }
}

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade the homework (or the reference solutions), each exercise in its own process, and print or write the score table.")

    enum Submission: String, ExpressibleByArgument, CaseIterable {
        case homework, solutions
        #if GRADSCHOOL_SOLUTIONS
            static let allCases: [Submission] = [.homework, .solutions]
        #else
            static let allCases: [Submission] = [.homework]
        #endif
    }
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, gradescope, classroom }

    @Option(help: "Which implementation to grade: \(Submission.allCases.map(\.rawValue).joined(separator: ", ")).")
    var submission: Submission = .homework

    @Option(help: "Output: text (a table), json, gradescope (results.json for Gradescope) or classroom (GitHub Classroom's reporter).")
    var format: Format = .text

    @Option(help: "Write the report to this file (atomically) instead of standard output.")
    var output: String?

    @Option(help: "Seed of the random inputs (default: GRADSCHOOL_GRADE_SEED, else fresh). The same seed reproduces a run exactly.")
    var seed: UInt64?

    @Option(help: "Seconds one exercise may take before it counts as hanging (default 60, or the exercise's own limit).")
    var timeLimit: Double?

    @Option(help: "Memory one exercise's process may take, in MiB (default 4096).")
    var memoryLimit: UInt64?

    @Option(help: "Grade only these exercises (comma-separated ids, e.g. a1.relu,a3.dropout).")
    var only: String?

    @Option(help: "Exercises graded at the same time (default: one per core).")
    var jobs: Int?

    func validate() throws {
        if Submissions.table(submission.rawValue) == nil { throw ValidationError("this repository has no \(submission.rawValue) to grade") }
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite && timeLimit <= 86_400) { throw ValidationError("--time-limit takes seconds between 0 and 86400") }
        if let memoryLimit, !(memoryLimit >= 64 && memoryLimit <= 1 << 20) { throw ValidationError("--memory-limit takes MiB between 64 and 1048576") }
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs takes 1 to 64") }
        if let only {
            let unknown = only.split(separator: ",").map(String.init).filter { Gradebook.exercise($0) == nil }
            if !unknown.isEmpty { throw ValidationError("no exercise \(unknown.joined(separator: ", ")); ids look like a1.relu") }
        }
    }

    func run() throws {
        let env = GradingLimits.fromEnvironment
        var limits = env.limits
        if let timeLimit { limits.seconds = timeLimit }
        if let memoryLimit { limits.memoryBytes = memoryLimit << 20 }
        let run = GradingRun(
            submission: submission.rawValue, seed: seed ?? Gradebook.runSeed, limits: limits,
            forcedTimeLimit: timeLimit != nil || env.forced,
            exerciseIDs: only.map { $0.split(separator: ",").map(String.init) },
            jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let results = run.gradeIsolated()
        let text: String
        switch format {
        case .text: text = Report.text(results)
        case .json: text = try Report.json(results, seed: run.seed)
        case .gradescope: text = try Report.gradescope(results, seed: run.seed)
        case .classroom: text = try Report.classroom(results, seed: run.seed)
        }
        try GradingRun.deliver(text, to: output)
    }
}

/// One exercise in a process of its own; started by `grade`, which passes the nonce on standard input.
struct GradeWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade-worker", abstract: "Grade one exercise for `gradschool grade` (internal).", shouldDisplay: false)

    @Option var exercise: String
    @Option var submission: String
    @Option var seed: UInt64
    @Option var timeLimit: Double = GradingLimits.defaultSeconds
    @Option var memoryLimitMb: UInt64 = GradingLimits.defaultMemoryBytes >> 20

    func run() throws {
        guard let table = Submissions.table(submission) else { throw ValidationError("no submission \(submission)") }
        GradingRun.runWorker(
            exerciseID: exercise, table: table, seed: seed,
            limits: GradingLimits(seconds: timeLimit, memoryBytes: memoryLimitMb << 20))
    }
}

#if GRADSCHOOL_SOLUTIONS
    struct ReleaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Write a student repository (--to DIR), or regenerate Sources/Homework in place from solutions/.",
            discussion: """
                The code between BEGIN/END SOLUTION markers becomes `throw Unimplemented()`. With --to, DIR (new or empty) \
                gets the whole student repository: stubs, lessons, docs, the homework grader and a GitHub Classroom workflow; \
                no solutions/, no instructor-only checks or tests. In place, homework files holding work are never overwritten \
                unless --force, which first copies Sources/Homework to .gradschool/homework-backups/.
                """)

        @Option(help: "The instructor's package root.")
        var root: String = FileManager.default.currentDirectoryPath

        @Option(help: "Write the student repository into this new or empty folder.")
        var to: String?

        @Flag(help: "In place: replace homework files that hold work (after backing them up).")
        var force = false

        @Option(help: "The Swift release the Classroom workflow builds with.")
        var swiftVersion: String = ReleaseTree.defaultSwiftVersion

        func validate() throws {
            guard ReleaseTree.isSwiftVersion(swiftVersion) else { throw ValidationError("--swift-version looks like 6.3.1") }
            if to != nil && force { throw ValidationError("--force is for an in-place release; --to writes only into a new or empty folder") }
        }

        func run() throws {
            if let to {
                let written = try ReleaseTree.write(from: root, to: to, edition: .student, swiftVersion: swiftVersion)
                print("wrote the student repository to \(to) (\(written.count) files); push it as the GitHub Classroom template (see its \(ClassroomWorkflow.path))")
                return
            }
            let (written, backup) = try Release.writeInPlace(root: root, force: force)
            if let backup { print("backed up Sources/Homework to \(backup)") }
            print("wrote \(written.count) files to Sources/Homework: \(written.joined(separator: ", "))")
        }
    }
#endif
