import Synchronization

/// Set by Ctrl-C; polled by loops and the trainer so a long evaluation stops cleanly.
public final class InterruptFlag: Sendable {
    let flag = Atomic<Bool>(false)
    public init() {}
    public func raise() { flag.store(true, ordering: .relaxed) }
    public func clear() { flag.store(false, ordering: .relaxed) }
    public var isRaised: Bool { flag.load(ordering: .relaxed) }
}

/// Thrown when an evaluation is interrupted; the session stays intact.
public struct Interrupted: Error, CustomStringConvertible {
    public var description: String { "interrupted" }
}
