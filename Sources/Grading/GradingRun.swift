import Foundation

/// `gradschool grade`: every exercise graded in a worker process of the running executable
/// (`<executable> grade-worker …`), several at a time, and one report written whatever the
/// submission does.
public struct GradingRun: Sendable {
    public var submission: String
    public var seed: UInt64
    public var limits: GradingLimits
    /// True when the time limit was given explicitly, overriding exercises' own limits.
    public var forcedTimeLimit: Bool
    public var exerciseIDs: [String]?
    public var jobs: Int
    /// Where the graded code lives, to name its file and line in a crash.
    public var sourceMarker: String

    public init(
        submission: String, seed: UInt64, limits: GradingLimits, forcedTimeLimit: Bool,
        exerciseIDs: [String]? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
        sourceMarker: String = IsolatedGrading.homeworkSourceMarker
    ) {
        self.submission = submission; self.seed = seed; self.limits = limits
        self.forcedTimeLimit = forcedTimeLimit; self.exerciseIDs = exerciseIDs; self.jobs = max(1, jobs)
        self.sourceMarker = sourceMarker
    }

    public var exercises: [Exercise] {
        guard let ids = exerciseIDs else { return Gradebook.exercises }
        return Gradebook.exercises.filter { ids.contains($0.id) }
    }

    /// The path of the running executable, which doubles as the worker.
    public static var currentExecutable: URL {
        #if os(Linux)
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return URL(fileURLWithPath: path) }
        #endif
        return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    }

    /// The worker's command line for one exercise (the nonce travels on standard input).
    public func workerArguments(for exercise: Exercise, limits: GradingLimits) -> [String] {
        [
            "grade-worker", "--exercise", exercise.id, "--submission", submission, "--seed", String(seed),
            "--time-limit", String(limits.seconds), "--memory-limit-mb", String(limits.memoryBytes >> 20)
        ]
    }

    /// Grades every exercise in its own process, `jobs` at a time, in the gradebook's order.
    public func gradeIsolated(executable: URL = currentExecutable) -> [ExerciseResult] {
        let list = exercises
        let results = ResultSlots(count: list.count)
        // Worker threads of our own: each spends its life waiting on a child process.
        let next = Counter()
        let finished = DispatchGroup()
        for _ in 0..<min(jobs, list.count) {
            finished.enter()
            Thread.detachNewThread { [self] in
                while let i = next.take(below: list.count) {
                    let exercise = list[i]
                    let limits = limits.applied(to: exercise, forced: forcedTimeLimit)
                    let nonce = IsolatedGrading.newNonce()
                    let outcome = WorkerProcess.run(
                        executable: executable, arguments: workerArguments(for: exercise, limits: limits),
                        input: nonce, deadline: limits.seconds + 10,
                        environment: ["SWIFT_BACKTRACE": IsolatedGrading.backtraceSetting])
                    results.set(i, IsolatedGrading.result(for: exercise, outcome: outcome, nonce: nonce, seed: seed, limits: limits, sourceMarker: sourceMarker))
                }
                finished.leave()
            }
        }
        finished.wait()
        return results.values
    }

    /// The worker side: reads the nonce from standard input, then grades one exercise and exits.
    public static func runWorker(exerciseID: String, table: ExerciseTable, seed: UInt64, limits: GradingLimits) -> Never {
        let nonce = readLine(strippingNewline: true) ?? ""
        guard nonce.count >= 16 else {
            FileHandle.standardError.write(Data("grade-worker reads its nonce from standard input; run `gradschool grade` instead\n".utf8))
            exit(2)
        }
        IsolatedWorker.run(exerciseID: exerciseID, table: table, seed: seed, nonce: nonce, limits: limits)
    }

    /// Writes `text` to `path` atomically (a reader never sees half a report), or prints it.
    public static func deliver(_ text: String, to path: String?) throws {
        guard let path else { print(text); return }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((text + "\n").utf8).write(to: url, options: .atomic)
    }
}

/// Hands out indices 0, 1, 2, … to concurrent workers.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard value < limit else { return nil }
        value += 1
        return value - 1
    }
}

/// Results filled in by concurrent workers.
final class ResultSlots: @unchecked Sendable {
    private var slots: [ExerciseResult?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: ExerciseResult) { lock.lock(); slots[i] = r; lock.unlock() }
    var values: [ExerciseResult] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
