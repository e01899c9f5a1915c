import ArgumentParser
import Foundation
import Fuzzing
import Lang
import REPL

/// `gradschool fuzz`: generated entries, each run by `gradschool fuzz-case` in its own
/// process under a memory and time limit; counts signal deaths and hangs.
struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Feed generated entries (every builtin and command with edge values, random expressions, deep nesting, raw bytes) to the prompt, each in its own process, and count crashes and hangs.")

    @OptionGroup var common: CommonOptions

    @Option(help: "How many cases to run.")
    var cases = 1_000

    @Option(help: "Seed of the case generator (the same seed makes the same cases).")
    var casesSeed: UInt64 = 1

    @Option(help: "Cases run at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Seconds a case may run before it counts as a hang.")
    var timeLimit = 20.0

    @Option(help: "MiB of memory each case's process may use.")
    var memoryLimitMb = 6_144

    @Option(help: "Folder where each crashing or hanging case is saved as a file to reproduce (`gradschool < FILE`).")
    var save: String?

    func validate() throws {
        guard cases >= 1 && cases <= 10_000_000 else { throw ValidationError("--cases takes 1 to 10000000") }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs takes 1 to 256") }
        guard timeLimit.isFinite && timeLimit >= 1 && timeLimit <= 3600 else { throw ValidationError("--time-limit takes 1 to 3600 seconds") }
        guard (1_024...1 << 20).contains(memoryLimitMb) else { throw ValidationError("--memory-limit-mb takes 1024 to 1048576") }
    }

    func run() throws {
        let session = common.makeSession(interactive: false)
        let generator = FuzzCaseGenerator(registry: session.interpreter.registry, commands: Array(session.commands.keys), seed: casesSeed)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-fuzz-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let saveFolder = save.map { URL(fileURLWithPath: $0) }
        if let saveFolder { try FileManager.default.createDirectory(at: saveFolder, withIntermediateDirectories: true) }
        let runner = CaseRunner(
            executable: URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().absoluteURL,
            arguments: ["fuzz-case", "--memory-limit-mb", String(memoryLimitMb)],
            timeLimit: timeLimit, workingDirectory: scratch)
        let campaign = FuzzCampaign(runner: runner, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        let total = cases
        let report = campaign.run(
            count: total, generator: generator,
            progress: { report in
                if report.cases % 500 == 0 || report.cases == total {
                    print("\(report.cases)/\(total) cases, \(report.signalDeaths) signal deaths, \(report.hangs) hangs, \(String(format: "%.0f", report.seconds)) s")
                    fflush(nil)
                }
            },
            failed: { failure in
                var line = "case \(failure.number) (\(failure.kind.rawValue)): \(failure.outcome)"
                if let saveFolder {
                    let file = saveFolder.appendingPathComponent("case-\(failure.number).gs")
                    try? Data(failure.input).write(to: file)
                    line += ", saved to \(file.path)"
                } else {
                    line += ": " + String(decoding: failure.input.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: "⏎")
                }
                print(line)
                fflush(nil)
            })
        print(report.summary)
        if report.signalDeaths + report.hangs > 0 { throw ExitCode(1) }
    }
}

/// One fuzz case: reads entries from standard input, under a memory limit, like the prompt.
struct FuzzCaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-case", abstract: "Run one fuzz case from standard input (used by fuzz).",
        shouldDisplay: false)

    @OptionGroup var common: CommonOptions

    @Option var memoryLimitMb = 6_144

    func run() throws {
        #if os(Linux)
            var limit = rlimit(rlim_cur: rlim_t(memoryLimitMb) << 20, rlim_max: rlim_t(memoryLimitMb) << 20)
            _ = setrlimit(Int32(RLIMIT_DATA.rawValue), &limit)
        #endif
        let session = common.makeSession(interactive: false)
        session.run(banner: false)
    }
}
