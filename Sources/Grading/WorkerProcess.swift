import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one grading worker as a child process: the nonce goes in on standard input (never
/// on the command line or in the environment, which the child's code could read back),
/// standard output and error are collected, and the child is killed if it outlives `deadline`.
public enum WorkerProcess {
    /// Output beyond this many bytes keeps only its start and its end (where the result record is).
    static let keptBytes = 1 << 20

    public static func run(
        executable: URL, arguments: [String], input: String, deadline: Double,
        environment: [String: String] = [:]
    ) -> ChildOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let started = Date()
        do { try process.run() } catch {
            return ChildOutcome(termination: .exited(127), standardOutput: [], standardError: Array("could not start \(executable.path): \(error)".utf8), seconds: 0)
        }
        stdin.fileHandleForWriting.write(Data((input + "\n").utf8))
        try? stdin.fileHandleForWriting.close()
        let pid = process.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline, execute: killer)
        // Dedicated threads, not the shared dispatch pool, which may be busy waiting on other workers.
        let out = Drain(stdout.fileHandleForReading), err = Drain(stderr.fileHandleForReading)
        process.waitUntilExit()
        killer.cancel()
        // A grandchild may hold the pipes open; don't wait for it for long.
        let deadline = Date().addingTimeInterval(10)
        let standardOutput = out.bytes(before: deadline), standardError = err.bytes(before: deadline)
        let termination: ChildTermination =
            process.terminationReason == .uncaughtSignal
            ? .signaled(process.terminationStatus) : .exited(process.terminationStatus)
        return ChildOutcome(
            termination: termination, standardOutput: standardOutput, standardError: standardError,
            seconds: Date().timeIntervalSince(started))
    }

    /// Reads a pipe to its end on a thread of its own.
    final class Drain: @unchecked Sendable {
        private let done = NSCondition()
        private var result: [UInt8]?
        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                let bytes = WorkerProcess.drain(handle)
                done.lock(); result = bytes; done.signal(); done.unlock()
            }
        }
        func bytes(before deadline: Date) -> [UInt8] {
            done.lock(); defer { done.unlock() }
            while result == nil { if !done.wait(until: deadline) { break } }
            return result ?? []
        }
    }

    /// Reads to the end, keeping the first and last `keptBytes` of a flood.
    static func drain(_ handle: FileHandle) -> [UInt8] {
        var head: [UInt8] = [], tail: [UInt8] = []
        var dropped = 0
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if head.count < keptBytes {
                let take = min(keptBytes - head.count, chunk.count)
                head += chunk.prefix(take)
                tail += chunk.dropFirst(take)
            } else {
                tail += chunk
            }
            if tail.count > 2 * keptBytes {
                dropped += tail.count - keptBytes
                tail.removeFirst(tail.count - keptBytes)
            }
        }
        if dropped == 0 { return head + tail }
        return head + Array("\n… (\(dropped) bytes of output cut)\n".utf8) + tail
    }
}
