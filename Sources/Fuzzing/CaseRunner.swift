import Foundation

/// Runs one case in its own process and says how that process ended.
public struct CaseRunner: Sendable {
    /// How a case's process ended.
    public enum Outcome: Equatable, Sendable {
        /// It exited by itself (any status: an error in the entry is an ordinary exit).
        case exited(Int32)
        /// A signal killed it: a crash.
        case signal(Int32)
        /// It was still running at the time limit and was killed.
        case hang
    }

    public let executable: URL
    public let arguments: [String]
    public let timeLimit: Double
    /// The folder the process runs in (its files land there, not in the user's folder).
    public let workingDirectory: URL

    public init(executable: URL, arguments: [String], timeLimit: Double, workingDirectory: URL) {
        self.executable = executable
        self.arguments = arguments
        self.timeLimit = timeLimit
        self.workingDirectory = workingDirectory
    }

    /// Starts the process with `input` on its standard input and waits for it, up to the
    /// time limit; output is discarded.
    public func run(input: [UInt8]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = workingDirectory.path
        environment["EDITOR"] = "true"
        environment["VISUAL"] = "true"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        // A child that stops reading early must not block the writer: write on another thread.
        let writer = Thread {
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        if done.wait(timeout: .now() + timeLimit) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            // Foundation reports the end once every inheritor of the process's pipes has
            // gone; a grandchild may outlive it, so wait only briefly.
            _ = done.wait(timeout: .now() + 5)
            return .hang
        }
        switch process.terminationReason {
        case .uncaughtSignal: return .signal(process.terminationStatus)
        default: return .exited(process.terminationStatus)
        }
    }
}
