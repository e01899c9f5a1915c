/// Records the discrete choices that non-smooth ops make (which ReLU inputs are positive,
/// which entry wins a max), so a gradient check can tell when `f(x + h)` and `f(x − h)`
/// straddled a kink: there the finite difference is meaningless, not the gradient wrong.
public enum KinkRecorder {
    /// The choices noted so far in the current task's recording, if one is running.
    final class Log: @unchecked Sendable {
        var choices: [Int] = []
    }

    @TaskLocal static var current: Log?

    /// Runs `body` and returns its result with a fingerprint of every choice made.
    public static func recording<R>(_ body: () throws -> R) rethrows -> (R, [Int]) {
        let log = Log()
        let result = try $current.withValue(log) { try body() }
        return (result, log.choices)
    }

    /// Called by non-smooth ops with their choice pattern (costs nothing unless recording).
    static func note(_ choices: @autoclosure () -> Int) {
        if let log = current { log.choices.append(choices()) }
    }

    /// A fingerprint of a sequence of choices, stable within a process.
    static func fingerprint<S: Sequence>(_ choices: S) -> Int where S.Element: Hashable {
        var h = Hasher()
        for c in choices { h.combine(c) }
        return h.finalize()
    }
}
