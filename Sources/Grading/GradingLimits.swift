import Foundation

/// Limits for grading one exercise in its own process.
public struct GradingLimits: Sendable, Codable, Equatable {
    /// Wall-clock seconds before the exercise counts as hanging.
    public var seconds: Double
    /// Bytes of heap (RLIMIT_DATA on Linux) the process may take.
    public var memoryBytes: UInt64

    public static let defaultSeconds = 60.0
    public static let defaultMemoryBytes: UInt64 = 4 << 30

    public init(seconds: Double = defaultSeconds, memoryBytes: UInt64 = defaultMemoryBytes) {
        self.seconds = seconds; self.memoryBytes = memoryBytes
    }

    /// The limits for `exercise`: its own time limit when it sets one and none is forced.
    public func applied(to exercise: Exercise, forced: Bool) -> GradingLimits {
        guard !forced, let own = exercise.timeLimit else { return self }
        return GradingLimits(seconds: max(seconds, own), memoryBytes: memoryBytes)
    }

    /// `GRADSCHOOL_TIME_LIMIT` (seconds) and `GRADSCHOOL_MEMORY_LIMIT_MB` when set, else the defaults.
    public static var fromEnvironment: (limits: GradingLimits, forced: Bool) {
        let env = ProcessInfo.processInfo.environment
        var limits = GradingLimits(), forced = false
        if let s = env["GRADSCHOOL_TIME_LIMIT"].flatMap(Double.init), s > 0, s.isFinite { limits.seconds = s; forced = true }
        if let mb = env["GRADSCHOOL_MEMORY_LIMIT_MB"].flatMap(UInt64.init), mb > 0, mb < 1 << 40 { limits.memoryBytes = mb << 20 }
        return (limits, forced)
    }

    var secondsDescription: String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}
