import Dispatch
import Synchronization

/// How many threads the kernels split their work across.
///
/// Defaults to the number of active processors. For a given count, results are reproducible:
/// partial results (conv's per-thread weight gradients) are combined in a fixed order. A
/// different count may round differently in the last bits.
public enum Parallel {
    private static let configured = Atomic<Int>(0)

    /// The number of worker threads kernels may use (at least 1).
    public static var threads: Int {
        get {
            let n = configured.load(ordering: .relaxed)
            return n > 0 ? n : ProcessInfoCores.active
        }
        set { configured.store(max(1, newValue), ordering: .relaxed) }
    }

    /// Runs `body(i)` for every `i` in `0..<count`, on up to `threads` threads.
    ///
    /// Runs inline when `count` is 1 or only one thread is allowed.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threads == 1 {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { i in box.value(i) }
        }
    }

    /// Runs `body` over contiguous chunks of `0..<count`: one chunk per thread when `count` is
    /// at least `grain` (below that, threads cost more than they save), else one chunk inline.
    public static func forEachChunk(_ count: Int, grain: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        if count <= 0 { return }
        let chunks = split(count, parts: count < grain ? 1 : threads, align: 16)
        forEach(chunks.count) { body(chunks[$0]) }
    }

    /// Splits `0..<total` into `parts` contiguous ranges whose bounds are multiples of `align`
    /// (except the last), as equal as alignment allows.
    public static func split(_ total: Int, parts: Int, align: Int = 1) -> [Range<Int>] {
        let blocks = (total + align - 1) / align
        let parts = max(1, min(parts, blocks))
        var ranges: [Range<Int>] = []
        var start = 0
        for p in 0..<parts {
            let endBlock = blocks * (p + 1) / parts
            let end = min(total, endBlock * align)
            if end > start { ranges.append(start..<end) }
            start = end
        }
        return ranges
    }
}

/// A value the compiler cannot prove `Sendable` but that the kernels share safely:
/// each thread writes a disjoint part of the memory behind it.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

enum ProcessInfoCores {
    static let active: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
