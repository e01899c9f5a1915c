import Foundation

/// How a grading process ended.
public enum ChildTermination: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    /// The runner could not say (an exit test whose status did not match).
    case unknown
}

/// What the parent saw of one grading process.
public struct ChildOutcome: Sendable {
    public var termination: ChildTermination
    public var standardOutput: [UInt8]
    public var standardError: [UInt8]
    public var seconds: Double
    public init(termination: ChildTermination, standardOutput: [UInt8], standardError: [UInt8], seconds: Double) {
        self.termination = termination; self.standardOutput = standardOutput; self.standardError = standardError; self.seconds = seconds
    }
}

/// The parent side of isolated grading: turns a child's ending and output into a result.
public enum IsolatedGrading {
    /// Where submitted code lives, to name the student's file:line in a crash.
    public static let homeworkSourceMarker = "Sources/Homework/"
    /// How much of what a submission printed is kept with its exercise.
    public static let outputLimit = 8_000

    /// A fresh secret for one grading process.
    public static func newNonce() -> String {
        var g = SystemRandomNumberGenerator()
        return "gs-" + (0..<4).map { _ in String(g.next() as UInt64, radix: 16) }.joined()
    }

    /// Environment for a grading child: the Swift runtime prints a symbolicated backtrace on a
    /// crash, which is where the student's file and line come from.
    public static let backtraceSetting = "enable=yes,interactive=no,color=no,threads=crashed,sanitize=no"

    public static func result(
        for exercise: Exercise, outcome: ChildOutcome, nonce: String, seed: UInt64,
        limits: GradingLimits, sourceMarker: String = homeworkSourceMarker
    ) -> ExerciseResult {
        var studentLines: [String] = []
        var reported: [PartResult]?
        var finished: [String: PartResult] = [:]
        var running: String?
        let text = String(decoding: outcome.standardOutput, as: UTF8.self)
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let range = line.range(of: nonce) else { studentLines.append(String(line)); continue }
            // The record starts a fresh line of its own; that blank line is the grader's, not the submission's.
            if studentLines.last == "" { studentLines.removeLast() }
            let before = line[..<range.lowerBound]
            if !before.isEmpty { studentLines.append(String(before)) }
            let record = line[range.upperBound...].drop { $0 == " " }
            if record.hasPrefix("begin ") {
                running = String(record.dropFirst("begin ".count))
            } else if record.hasPrefix("part "), let verdict = part(of: exercise, fromJSON: String(record.dropFirst("part ".count))) {
                finished[verdict.name] = verdict
            } else if record.hasPrefix("result "), outcome.termination == .exited(IsolatedWorker.ExitCodes.reported) {
                reported = parts(of: exercise, fromJSON: String(record.dropFirst("result ".count)))
            }
        }
        let output = studentOutput(lines: studentLines, standardError: outcome.standardError)
        if let reported {
            return ExerciseResult(exercise: exercise, parts: reported, seed: seed, output: output, seconds: outcome.seconds)
        }
        let stderr = String(decoding: outcome.standardError, as: UTF8.self)
        let failure = explain(outcome.termination, stderr: stderr, part: running, limits: limits, sourceMarker: sourceMarker)
        // Parts that finished before the ending keep their verdicts and messages (the failure
        // still zeroes the exercise); the rest did not finish.
        let parts = exercise.parts.map {
            finished[$0.name]
                ?? PartResult(
                    name: $0.name, maxScore: $0.points, score: 0, status: .notFinished, message: nil, visibility: $0.visibility,
                    leaderboard: $0.leaderboardOrder)
        }
        return ExerciseResult(exercise: exercise, parts: parts, seed: seed, output: output, failure: failure, seconds: outcome.seconds)
    }

    /// The child's verdicts, scored with the parent's own points; nil unless they name exactly the exercise's parts.
    static func parts(of exercise: Exercise, fromJSON json: String) -> [PartResult]? {
        guard let claimed = try? JSONDecoder().decode([PartResult].self, from: Data(json.utf8)),
            claimed.map(\.name) == exercise.parts.map(\.name)
        else { return nil }
        return zip(exercise.parts, claimed).map { scored($1, as: $0) }
    }

    /// One part's verdict reported as it finished; nil unless it names one of the exercise's parts.
    static func part(of exercise: Exercise, fromJSON json: String) -> PartResult? {
        guard let verdict = try? JSONDecoder().decode(PartResult.self, from: Data(json.utf8)),
            let part = exercise.parts.first(where: { $0.name == verdict.name })
        else { return nil }
        return scored(verdict, as: part)
    }

    /// A child's verdict on `part`, scored with the parent's own points.
    static func scored(_ verdict: PartResult, as part: Part) -> PartResult {
        PartResult(
            name: part.name, maxScore: part.points, score: verdict.status == .passed ? part.points : 0,
            status: verdict.status, message: verdict.message, visibility: part.visibility,
            measure: part.leaderboardOrder == nil ? nil : verdict.measure.flatMap { $0.isFinite ? $0 : nil },
            leaderboard: part.leaderboardOrder)
    }

    static func explain(
        _ termination: ChildTermination, stderr: String, part: String?, limits: GradingLimits,
        sourceMarker: String
    ) -> (kind: ProcessFailure, explanation: String) {
        let during = part.map { " while grading part \($0)" } ?? ""
        let fatal = stderr.split(separator: "\n").first { $0.contains("Fatal error") }
            .map { line in String(line[line.range(of: "Fatal error")!.lowerBound...]) }
        let location = studentLocation(in: stderr, marker: sourceMarker)
        var details = [fatal, location.map { "at \($0)" }].compactMap { $0 }.joined(separator: ", ")
        if !details.isEmpty { details = ": " + details }
        switch termination {
        case .exited(IsolatedWorker.ExitCodes.timedOut):
            return (.timedOut, "did not finish within \(limits.secondsDescription)\(during) (an endless loop, or far too much work?); 0 points")
        case .signaled(let s) where s == SIGKILL || stderr.contains("failed to allocate") || stderr.contains("Could not allocate"):
            return (.outOfMemory, "ran out of memory (the limit is \(limits.memoryBytes >> 20) MiB)\(during)\(details); 0 points")
        case .signaled(let s):
            return (.crashed, "crashed with signal \(s) (\(signalName(s)))\(during)\(details); 0 points")
        case .exited(let code) where code == 0 || code == IsolatedWorker.ExitCodes.exitedEarly:
            return (.exitedEarly, "the process exited\(during) before the grader could report (does your code call exit()?)\(details); 0 points")
        case .exited(let code):
            return (.crashed, "the process ended with exit code \(code)\(during) before reporting a result\(details); 0 points")
        case .unknown:
            return (.exitedEarly, "the process ended\(during) before reporting a result\(details); 0 points")
        }
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGILL, SIGTRAP: return "a Swift runtime trap: index out of range, integer overflow, force-unwrap of nil, or a failed precondition"
        case SIGABRT: return "SIGABRT, the program aborted"
        case SIGSEGV: return "SIGSEGV, a bad memory access (a stack overflow from endless recursion?)"
        case SIGBUS: return "SIGBUS, a bad memory access"
        case SIGFPE: return "SIGFPE, integer division by zero?"
        default: return "signal \(s)"
        }
    }

    /// `Sources/Homework/File.swift:LINE` from the first backtrace frame in the submission's files.
    static func studentLocation(in stderr: String, marker: String) -> String? {
        for line in stderr.split(separator: "\n") {
            guard let at = line.range(of: " at ", options: .backwards) else { continue }
            let path = line[at.upperBound...]
            guard let m = path.range(of: marker) else { continue }
            let rest = path[m.lowerBound...].split(separator: ":")
            guard rest.count >= 2, rest[0].hasSuffix(".swift"), Int(rest[1]) != nil else { continue }
            return "\(rest[0]):\(rest[1])"
        }
        return nil
    }

    /// What the submission printed: standard output without the grader's records, then
    /// standard error up to the runtime's crash report, cut to `outputLimit` characters.
    static func studentOutput(lines: [String], standardError: [UInt8]) -> String {
        var out = lines
        while out.last?.isEmpty == true { out.removeLast() }
        while out.first?.isEmpty == true { out.removeFirst() }
        // Lines that are not valid UTF-8 are not the submission's prints (the test runner's
        // exit-test channel leaves a few such bytes on standard error).
        var err = standardError.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .compactMap { String(validating: $0, as: UTF8.self) }.joined(separator: "\n")
        for marker in ["\n*** Signal", "*** Program crashed", "Current stack trace:"] {
            if let r = err.range(of: marker) { err = String(err[..<r.lowerBound]) }
        }
        err = err.split(separator: "\n").filter { !$0.contains("Fatal error") && !$0.hasPrefix("swift-runtime:") }.joined(separator: "\n")
        var text = out.joined(separator: "\n")
        let trimmedErr = err.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmedErr.isEmpty { text += (text.isEmpty ? "" : "\n") + trimmedErr }
        if text.count > outputLimit { text = String(text.prefix(outputLimit)) + "\n… (\(text.count - outputLimit) more characters cut)" }
        return text
    }
}
