import Foundation
import GraderSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The child side of isolated grading: one exercise, in a process of its own.
///
/// The child reports on its standard output in lines that carry a per-run nonce the parent
/// chose (`<nonce> begin <part>` before each part, `<nonce> part <json>` with its verdict
/// after it, `<nonce> result <json>` at the end), then ends with `ExitCodes.reported`. The nonce reaches the child before any submitted code
/// runs, so a line the submission prints cannot pass for a report; the parent scores parts
/// from its own table of points, so a report can only say which parts held.
public enum IsolatedWorker {
    /// Exit statuses the parent reads. Any other ending (a signal, `exit(0)`, another code)
    /// means the exercise did not finish.
    public enum ExitCodes {
        public static let reported: Int32 = 85
        public static let exitedEarly: Int32 = 86
        public static let timedOut: Int32 = 87
    }

    /// Grades `exercise` and never returns.
    public static func run(exerciseID: String, table: ExerciseTable, seed: UInt64, nonce: String, limits: GradingLimits) -> Never {
        gs_unbuffer_standard_streams()
        // A submission calling exit() must not end the process with a status that looks normal.
        atexit { _exit(IsolatedWorker.ExitCodes.exitedEarly) }
        limitMemory(to: limits.memoryBytes)
        startWatchdog(seconds: limits.seconds)
        guard let exercise = Gradebook.exercise(exerciseID) else {
            FileHandle.standardError.write(Data("no exercise \(exerciseID)\n".utf8))
            _exit(2)
        }
        let result = Gradebook.grade(
            exercise, table, seed: seed, starting: { emit("\(nonce) begin \($0)") },
            finished: { emit("\(nonce) part \(encoded($0))") })
        let json = encoded(result.parts)
        emit("\(nonce) result \(json)")
        _exit(ExitCodes.reported)
    }

    static func encoded(_ value: some Encodable) -> String {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// Writes one line on standard output, starting a fresh line in case the submission left one open.
    static func emit(_ line: String) {
        fflush(nil)
        let bytes = Array("\n\(line)\n".utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }

    static func limitMemory(to bytes: UInt64) {
        #if os(Linux)
            var limit = rlimit(rlim_cur: rlim_t(bytes), rlim_max: rlim_t(bytes))
            _ = setrlimit(Int32(RLIMIT_DATA.rawValue), &limit)
        #endif
    }

    /// A thread that ends the process when the time limit passes, whatever the grading thread does.
    static func startWatchdog(seconds: Double) {
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            _exit(ExitCodes.timedOut)
        }
        thread.start()
    }
}
