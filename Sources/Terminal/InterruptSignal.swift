import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What Ctrl-C does while the handler is installed.
nonisolated(unsafe) var interruptAction: (() -> Void)?

/// Set by every Ctrl-C, so the line editor can tell an abandoned line from end of input.
let interruptPending = Atomic<Bool>(false)

/// Routes Ctrl-C (SIGINT) to `action`, which should only set a flag that loops and the
/// trainer poll, so the evaluation stops at a safe point and the session survives.
///
/// No SA_RESTART: a read waiting at the prompt returns EINTR, so Ctrl-C abandons the line.
public func installInterruptHandler(_ action: @escaping () -> Void) {
    interruptAction = action
    var handler = sigaction()
    #if os(Linux)
        handler.__sigaction_handler.sa_handler = { _ in
            interruptPending.store(true, ordering: .relaxed); interruptAction?()
        }
    #else
        handler.__sigaction_u.__sa_handler = { _ in
            interruptPending.store(true, ordering: .relaxed); interruptAction?()
        }
    #endif
    sigemptyset(&handler.sa_mask)
    handler.sa_flags = 0
    sigaction(SIGINT, &handler, nil)
}
