import Foundation

/// GEMM's cache blocking (in elements), derived from the cache sizes read at run time.
///
/// The loops (see `gemmBlock`) keep one `mr × kc` micro-panel of packed `A` in L1 while the
/// packed `kc × nc` block of `B` streams through it from L2, `nr` columns per micro-kernel call:
/// ```
/// kc = L1d / (2 · mr · S)        the A micro-panel fills half of L1, leaving the rest to
///                                 the B micro-panels streaming past it
/// nc = L2 / (2 · kc · S)         the packed B block fills half of L2
/// mc = L2 / (4 · kc · S)         the unit in which runs of packed A rows are measured
/// ```
/// `A` itself is packed once per depth block, in runs of rows whose panels fill at most a
/// quarter of L3, and reused by every `B` block.
/// with S the element size, each rounded down to a multiple of its register tile (8 for kc,
/// `mr` for mc, `nr` for nc) and kept within sensible bounds. `GRADSCHOOL_GEMM_BLOCKING=kc,mc,nc`
/// overrides all three (for tuning runs).
public struct GEMMBlocking: Sendable, Equatable, CustomStringConvertible {
    public var depth: Int
    public var rows: Int
    public var columns: Int

    public init(depth: Int, rows: Int, columns: Int) {
        self.depth = depth
        self.rows = rows
        self.columns = columns
    }

    public var description: String { "kc \(depth), mc \(rows), nc \(columns)" }

    public static func derived(for caches: CacheSizes, panelHeight mr: Int, panelWidth nr: Int, scalarBytes s: Int) -> GEMMBlocking {
        func roundDown(_ v: Int, _ multiple: Int) -> Int { max(multiple, v / multiple * multiple) }
        let kc = min(768, roundDown(caches.l1Data / (2 * mr * s), 8))
        let nc = min(4096, roundDown(caches.l2 / (2 * kc * s), nr))
        let mc = min(1024, roundDown(caches.l2 / (4 * kc * s), mr))
        return GEMMBlocking(depth: kc, rows: mc, columns: nc)
    }

    /// The blocking in force for a kernel: the override if set, else derived from `CacheSizes.current`.
    public static func current(panelHeight mr: Int, panelWidth nr: Int, scalarBytes s: Int) -> GEMMBlocking {
        if let o = override { return o }
        return derived(for: .current, panelHeight: mr, panelWidth: nr, scalarBytes: s)
    }

    static let override: GEMMBlocking? = {
        guard let text = ProcessInfo.processInfo.environment["GRADSCHOOL_GEMM_BLOCKING"] else { return nil }
        let parts = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }) else { return nil }
        return GEMMBlocking(depth: parts[0], rows: parts[1], columns: parts[2])
    }()
}
