#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
