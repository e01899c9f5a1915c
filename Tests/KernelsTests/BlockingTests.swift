import Testing

@testable import Kernels

/// GEMM's blocking comes from the cache sizes, by the rules in `GEMMBlocking`'s doc.
@Suite struct BlockingTests {
    @Test("derived blocking for an AVX-512 float kernel (8 × 32 tiles) on two processors")
    func derivedFromCaches() {
        // 48 KiB L1d, 1 MiB L2 (a Zen 4 core): kc = 49152 / 64 = 768, nc = 1 MiB / 6144 → 170 → 160, mc = 85 → 80.
        let zen4 = GEMMBlocking.derived(for: CacheSizes(l1Data: 48 * 1024, l2: 1024 * 1024, l3: 32 << 20), panelHeight: 8, panelWidth: 32, scalarBytes: 4)
        #expect(zen4 == GEMMBlocking(depth: 768, rows: 80, columns: 160))
        // 32 KiB L1d, 1 MiB L2: kc = 512, nc = 256, mc = 128.
        let intel = GEMMBlocking.derived(for: CacheSizes(l1Data: 32 * 1024, l2: 1024 * 1024, l3: 32 << 20), panelHeight: 8, panelWidth: 32, scalarBytes: 4)
        #expect(intel == GEMMBlocking(depth: 512, rows: 128, columns: 256))
        // Doubles halve the depth; a tiny cache still gives whole tiles.
        #expect(GEMMBlocking.derived(for: CacheSizes(l1Data: 32 * 1024, l2: 1024 * 1024, l3: 0), panelHeight: 8, panelWidth: 16, scalarBytes: 8).depth == 256)
        let tiny = GEMMBlocking.derived(for: CacheSizes(l1Data: 1024, l2: 4096, l3: 0), panelHeight: 8, panelWidth: 32, scalarBytes: 4)
        #expect(tiny.depth >= 8 && tiny.rows >= 8 && tiny.columns >= 32 && tiny.columns % 32 == 0)
    }

    @Test("GEMM gives the same bits whether A is packed whole or in runs of rows", arguments: [8, 16, 24, 1000])
    func packedARuns(rows: Int) {
        // 45 rows over three depth blocks (kc ≤ 768) and several column blocks.
        let m = 45, n = 300, k = 1700
        let a: [Float] = (0..<(m * k)).map { Float(($0 * 37) % 101) / 101 - 0.5 }
        let b: [Float] = (0..<(k * n)).map { Float(($0 * 53) % 97) / 97 - 0.5 }
        func product(_ run: Int?) -> [Float] {
            var c = [Float](repeating: .nan, count: m * n)
            c.withUnsafeMutableBufferPointer { c in
                gemmBlock(
                    transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n,
                    beta: 0, c: c.baseAddress!, ldc: n, kernel: Float.gemmMicroKernel(for: .best),
                    rowsOfPackedA: run)
            }
            return c
        }
        var expected = [Float](repeating: 0, count: m * n)
        gemmReference(m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: 0, c: &expected, ldc: n)
        let whole = product(nil), runs = product(rows)
        #expect(zip(whole, runs).filter { $0.bitPattern != $1.bitPattern }.count == 0)
        #expect(zip(runs, expected).allSatisfy { abs($0 - $1) <= 1e-3 * max(1, abs($1)) })
    }

    @Test("the caches read here are plausible and named")
    func cachesAreRead() {
        let c = CacheSizes.current
        #expect(c.l1Data >= 8 * 1024 && c.l1Data <= 1 << 20)
        #expect(c.l2 >= c.l1Data && c.l3 >= 0)
        #expect(!CacheSizes.processorName.isEmpty)
        #expect(c.description.contains("L1d"))
    }

    #if os(Linux)
        @Test("Linux sizes are the kernel's (sysfs), which glibc's sysconf can contradict under a hypervisor")
        func linuxSizesComeFromSysfs() {
            let sysfs = CacheSizes.sysfsCaches()
            for level in 1...3 {
                guard let bytes = sysfs.first(where: { $0.0 == level })?.1 else { continue }
                let read = [CacheSizes.current.l1Data, CacheSizes.current.l2, CacheSizes.current.l3][level - 1]
                #expect(read == bytes, "L\(level)")
            }
        }
    #endif
}
