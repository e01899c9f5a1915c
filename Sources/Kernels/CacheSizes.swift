import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data caches of the processor this process runs on, read once at start-up, and its
/// name. Blocking sizes are derived from these, not from constants tuned on one part.
///
/// Linux: `/sys/devices/system/cpu/cpu0/cache` (the kernel's view, which `lscpu` shows), else
/// `sysconf` (`_SC_LEVEL1_DCACHE_SIZE` …: glibc decodes CPUID itself, and under a hypervisor
/// on an AMD EPYC reports a 256 MiB L3 where the kernel reads the true 32 MiB);
/// macOS: `sysctl hw.l1dcachesize` …. A size that cannot be read takes a common value
/// (32 KiB, 1 MiB, 8 MiB) and `isMeasured` says so.
public struct CacheSizes: Sendable, Equatable, CustomStringConvertible {
    public var l1Data: Int
    public var l2: Int
    public var l3: Int
    public var isMeasured: Bool

    public init(l1Data: Int, l2: Int, l3: Int, isMeasured: Bool = true) {
        self.l1Data = l1Data
        self.l2 = l2
        self.l3 = l3
        self.isMeasured = isMeasured
    }

    public static let current: CacheSizes = read()

    public var description: String {
        "L1d \(l1Data / 1024) KiB, L2 \(l2 / 1024) KiB, L3 \(l3 / (1024 * 1024)) MiB" + (isMeasured ? "" : " (assumed: not readable here)")
    }

    static func read() -> CacheSizes {
        var sizes: [Int?] = [nil, nil, nil]
        #if os(Linux)
            for (level, size) in sysfsCaches() where (1...3).contains(level) && sizes[level - 1] == nil { sizes[level - 1] = size }
            let names = [Int32(_SC_LEVEL1_DCACHE_SIZE), Int32(_SC_LEVEL2_CACHE_SIZE), Int32(_SC_LEVEL3_CACHE_SIZE)]
            for (i, name) in names.enumerated() where sizes[i] == nil {
                let v = sysconf(name)
                if v > 0 { sizes[i] = v }
            }
        #elseif canImport(Darwin)
            for (i, name) in ["hw.l1dcachesize", "hw.l2cachesize", "hw.l3cachesize"].enumerated() {
                var value: Int64 = 0
                var size = MemoryLayout<Int64>.size
                if sysctlbyname(name, &value, &size, nil, 0) == 0, value > 0 { sizes[i] = Int(value) }
            }
        #endif
        return CacheSizes(
            l1Data: sizes[0] ?? 32 * 1024, l2: sizes[1] ?? 1024 * 1024, l3: sizes[2] ?? 8 * 1024 * 1024,
            isMeasured: !sizes.contains { $0 == nil })
    }

    /// `(level, bytes)` of cpu0's data and unified caches from sysfs.
    static func sysfsCaches() -> [(Int, Int)] {
        var found: [(Int, Int)] = []
        for index in 0..<8 {
            let dir = "/sys/devices/system/cpu/cpu0/cache/index\(index)/"
            guard let level = (try? String(contentsOfFile: dir + "level", encoding: .utf8)).flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                let type = try? String(contentsOfFile: dir + "type", encoding: .utf8),
                let text = try? String(contentsOfFile: dir + "size", encoding: .utf8)
            else { continue }
            guard !type.contains("Instruction") else { continue }
            let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let multiplier = t.hasSuffix("K") ? 1024 : t.hasSuffix("M") ? 1024 * 1024 : 1
            if let n = Int(t.trimmingCharacters(in: CharacterSet.letters)) { found.append((level, n * multiplier)) }
        }
        return found
    }

    /// The processor's marketing name: `/proc/cpuinfo`'s model name, or macOS's brand string.
    public static let processorName: String = {
        #if os(Linux)
            if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
                let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
                let colon = line.firstIndex(of: ":")
            {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        #elseif canImport(Darwin)
            var size = 0
            if sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 {
                var bytes = [CChar](repeating: 0, count: size)
                if sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0) == 0 { return String(cString: bytes) }
            }
        #endif
        return "unknown processor"
    }()
}
