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
        let created = pthread_create(&thread, &attributes, { raw in
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

/// How much stack the current thread has left, so recursive evaluation, parsing, printing
/// and comparison can stop with an error while there is still room, whatever made them deep.
public struct StackRoom: Sendable {
    /// The lowest address this thread's recursion may reach: its stack's end plus a margin.
    public let floor: UInt

    public init(floor: UInt) { self.floor = floor }

    /// The room left on the calling thread, keeping `margin` bytes (or an eighth of the
    /// stack, if larger) in reserve for the error path and for freeing values.
    public static func current(margin: Int = 1 << 20) -> StackRoom {
        guard let (low, size) = bounds() else { return StackRoom(floor: 0) }
        return StackRoom(floor: low + UInt(max(margin, size / 8)))
    }

    /// Whether the caller's frame is still above the floor.
    @inline(never)
    public func hasRoom() -> Bool {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) } > floor
    }

    private static func bounds() -> (UInt, Int)? {
        #if canImport(Darwin)
        let thread = pthread_self()
        let top = UInt(bitPattern: pthread_get_stackaddr_np(thread))
        let size = pthread_get_stacksize_np(thread)
        return (top - UInt(size), size)
        #else
        // glibc's pthread_getattr_np is not in the Glibc module map; look it up by name.
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return nil }
        let getAttributes = unsafeBitCast(symbol, to: GetAttributes.self)
        var attributes = pthread_attr_t()
        guard getAttributes(pthread_self(), &attributes) == 0 else { return nil }
        defer { pthread_attr_destroy(&attributes) }
        var address: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attributes, &address, &size) == 0, let address else { return nil }
        return (UInt(bitPattern: address), size)
        #endif
    }
}
