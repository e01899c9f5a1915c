#if canImport(Glibc)
    import Glibc
#endif

/// Allocator settings for training loops that allocate and free the same large tensors every
/// step. glibc serves blocks above its mmap threshold with fresh pages, which the kernel must
/// fault in and zero on every step; raising the threshold keeps them in the heap for reuse.
///
/// A thread other than the process's first gets its own arena, made of 64 MiB heaps: a block
/// larger than that (one 500-image ConvNet activation is 65 MiB) is mapped afresh on every
/// allocation whatever the threshold. Every command runs on a large-stack thread, so all
/// threads share the first arena, which grows without that limit.
public enum MemoryTuning {
    /// Keeps blocks up to 256 MiB in the heap, stops returning freed memory to the system
    /// mid-run and makes every thread allocate from one arena. Takes full effect when called
    /// before any other thread allocates. A no-op where the allocator is not glibc's.
    public static func reuseLargeBlocks() {
        #if canImport(Glibc)
            // mallopt lives in malloc.h, which the Glibc module does not import; look it up instead.
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            // malloc.h: M_TRIM_THRESHOLD = -1, M_MMAP_THRESHOLD = -3, M_ARENA_MAX = -8.
            _ = mallopt(-3, 256 << 20)
            _ = mallopt(-1, 512 << 20)
            _ = mallopt(-8, 1)
        #endif
    }
}
