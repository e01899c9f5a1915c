import Foundation
import Fuzzing
import Lang
import TestSupport
import Testing

/// The gradschool executable beside this test bundle.
var gradschoolExecutable: URL {
    #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("gradschool")
        }
    #endif
    return URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gradschool")
}

@Suite struct CaseRunnerTests {
    func shell(_ script: String, timeLimit: Double = 10) throws -> CaseRunner.Outcome {
        try CaseRunner(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script], timeLimit: timeLimit,
            workingDirectory: FileManager.default.temporaryDirectory
        ).run(input: Array("1\n".utf8))
    }

    @Test("a process killed by a signal counts as a crash, with its signal")
    func signalsAreCrashes() throws {
        #expect(try shell("kill -SEGV $$") == .signal(SIGSEGV))
        #expect(try shell("kill -KILL $$") == .signal(SIGKILL))
    }

    @Test("a process still running at the time limit is a hang, and is killed")
    func hangsAreKilled() throws {
        let start = Date()
        #expect(try shell("exec sleep 30", timeLimit: 1) == .hang)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test("an exit, even with an error status, is an ordinary ending")
    func exitsAreNormal() throws {
        #expect(try shell("exit 3") == .exited(3))
        #expect(try shell("cat > /dev/null") == .exited(0))
    }
}

@Suite struct GeneratorTests {
    func generator(seed: UInt64) -> FuzzCaseGenerator {
        FuzzCaseGenerator(registry: Interpreter().registry, commands: ["help", "vars", "history"], seed: seed)
    }

    @Test("the same seed makes the same cases; another seed others")
    func deterministic() {
        var a = generator(seed: 3), b = generator(seed: 3), c = generator(seed: 4)
        let first = (0..<200).map { _ in a.next().bytes }
        #expect(first == (0..<200).map { _ in b.next().bytes })
        #expect(first != (0..<200).map { _ in c.next().bytes })
    }

    @Test("every registered builtin is called and every kind of case made")
    func coversTheRegistry() {
        var g = generator(seed: 1)
        var text = "", kinds = Set<FuzzCaseGenerator.Kind>()
        for _ in 0..<20_000 {
            let c = g.next()
            kinds.insert(c.kind)
            text += String(decoding: c.bytes, as: UTF8.self)
        }
        let registry = Interpreter().registry
        let missing = registry.order.filter { !text.contains("\($0)(") }
        #expect(missing.isEmpty, "never called: \(missing)")
        #expect(kinds == Set(FuzzCaseGenerator.Kind.allCases))
    }
}

@Suite struct FuzzSampleTests {
    /// `GRADSCHOOL_FUZZ_CASES` sets the sample size (CI runs thousands; 300 by default).
    @Test("a sample of generated entries: no signal deaths, no hangs")
    func sampleRunsClean() throws {
        let count = ProcessInfo.processInfo.environment["GRADSCHOOL_FUZZ_CASES"].flatMap { Int($0) } ?? 300
        let scratch = try ScratchFolder("fuzz-test")
        let runner = CaseRunner(executable: gradschoolExecutable, arguments: ["fuzz-case"], timeLimit: 60, workingDirectory: scratch.url)
        let generator = FuzzCaseGenerator(
            registry: Interpreter().registry, commands: ["help", "vars", "history", "time", "plot", "save", "load", "reset"],
            seed: UInt64(count))
        let report = FuzzCampaign(runner: runner, jobs: 2).run(count: count, generator: generator)
        let failures = report.failures.map { "\($0.outcome): " + String(decoding: $0.input.prefix(300), as: UTF8.self) }
        #expect(report.cases == count)
        #expect(report.signalDeaths == 0 && report.hangs == 0, "\(failures)")
    }
}

@Suite struct OutputOrderTests {
    @Test("with stdout and stderr on one pipe, an error appears after the results printed before it")
    func errorsFollowEarlierOutput() throws {
        let process = Process()
        process.executableURL = gradschoolExecutable
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data("print(1)\n1 + 1\nfoo\nprint(3)\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "1" && lines.dropFirst().first == "2", "\(lines)")
        #expect(lines.firstIndex { $0.contains("foo is not defined") } == 2, "\(lines)")
        #expect(lines.last == "3")
    }
}
