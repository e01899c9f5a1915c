#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs work on a thread with a large stack, so deep but legitimate programs (a long chain
/// of `+`, a deeply nested list being printed, compared or freed) have room, while the
/// parser's and interpreter's depth limits keep every program well inside it.
///
/// The process's main thread has 8 MiB; this thread has `size` bytes (512 MiB by default),
/// reserved up front and committed only as it is touched. The calling thread blocks the
/// asynchronous signals the prompt handles (SIGINT, SIGWINCH, SIGTSTP, SIGCONT, SIGTERM,
/// SIGHUP, SIGQUIT) while it waits, so they reach the thread that reads and evaluates.
public enum LargeStack {
    public static let defaultSize = 512 << 20

    /// Runs `body` on a new thread with a `size`-byte stack and waits for it. If the thread
    /// cannot be made (an address-space limit lower than `size`), runs `body` here instead.
    public static func run(size: Int = defaultSize, _ body: @escaping () -> Void) {
        final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, size) == 0 else { body(); return }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        #if canImport(Darwin)
            var thread: pthread_t?
        #else
            var thread = pthread_t()
        #endif
        let created = pthread_create(
            &thread, &attributes,
            { raw in
                #if canImport(Darwin)
                    let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
                #else
                    let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                #endif
                box.body()
                return nil
            }, context)
        guard created == 0 else {
            Unmanaged<Box>.fromOpaque(context).release()
            body()
            return
        }
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGWINCH, SIGTSTP, SIGCONT, SIGTERM, SIGHUP, SIGQUIT] { sigaddset(&blocked, signal) }
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        #if canImport(Darwin)
            pthread_join(thread!, nil)
        #else
            pthread_join(thread, nil)
        #endif
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }
}
