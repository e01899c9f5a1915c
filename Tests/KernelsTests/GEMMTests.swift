import KernelsPortable
import TestSupport
import Testing

@testable import Kernels

@Suite("GEMM against the reference triple loop", .serialized)
struct GEMMTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var m: Int, n: Int, k: Int, transA: Bool, transB: Bool
        var testDescription: String { "\(m)x\(n)x\(k)\(transA ? " Aᵀ" : "")\(transB ? " Bᵀ" : "")" }
    }

    static let shapes: [(Int, Int, Int)] = [
        (1, 1, 1), (1, 7, 3), (5, 1, 9), (8, 32, 16), (9, 33, 17), (17, 50, 300),
        (64, 27, 40), (100, 70, 513), (130, 257, 31), (3, 300, 2)
    ]
    static let cases: [Case] = shapes.flatMap { s in
        [(false, false), (true, false), (false, true), (true, true)].map {
            Case(m: s.0, n: s.1, k: s.2, transA: $0.0, transB: $0.1)
        }
    }

    func check<Scalar: KernelScalar>(
        _ c: Case, _: Scalar.Type, tolerance: Scalar, threads: Int,
        alpha: Scalar, beta: Scalar
    ) {
        let a: [Scalar] = seededArray(c.m * c.k, seed: 1)
        let b: [Scalar] = seededArray(c.k * c.n, seed: 2)
        let c0: [Scalar] = seededArray(c.m * c.n, seed: 3)
        let lda = c.transA ? c.m : c.k, ldb = c.transB ? c.k : c.n
        var expected = c0
        gemmReference(
            transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &expected, ldc: c.n)
        for level in InstructionSet.supported {
            var actual = c0
            gemm(
                transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: alpha,
                a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &actual, ldc: c.n, threads: threads, instructionSet: level)
            expectClose(actual, expected, tolerance: tolerance, "\(Scalar.self) \(c.testDescription) \(level) threads=\(threads)")
        }
    }

    @Test("SGEMM matches the reference", arguments: cases)
    func sgemm(_ c: Case) {
        check(c, Float.self, tolerance: 1e-4, threads: 1, alpha: 1, beta: 0)
        check(c, Float.self, tolerance: 1e-4, threads: 2, alpha: -0.5, beta: 0.75)
    }

    @Test("DGEMM matches the reference", arguments: cases)
    func dgemm(_ c: Case) {
        check(c, Double.self, tolerance: 1e-12, threads: 2, alpha: 1, beta: 1)
    }

    @Test(
        "products of whole packed operands match the reference, over several depth blocks",
        arguments: [(13, 37, 800), (8, 32, 1), (17, 70, 384), (3, 5, 0)])
    func packedOperands(_ shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        let a: [Float] = seededArray(m * k, seed: 4), b: [Float] = seededArray(k * n, seed: 5)
        let c0: [Float] = seededArray(m * n, seed: 6)
        for accumulate in [false, true] {
            var expected = c0
            gemmReference(
                m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, beta: accumulate ? 1 : 0,
                c: &expected, ldc: n)
            for level in InstructionSet.supported {
                for use in [MicroKernelUse.matrices, .convolution(rows: 32)] {
                    let kernel = Float.gemmMicroKernel(for: level, use: use)
                    let aLayout = PackedLayout(count: m, depth: k, width: kernel.panelHeight)
                    let bLayout = PackedLayout(count: n, depth: k, width: kernel.panelWidth)
                    #expect(k <= PackedLayout.maximumBlockDepth || aLayout.blocks.count > 1)
                    var packedA = [Float](repeating: .nan, count: aLayout.size)
                    var packedB = [Float](repeating: .nan, count: bLayout.size)
                    PackedGEMM.pack(aLayout, transposed: false, source: a, ld: k, alongRows: true, into: &packedA)
                    // B from its transpose: the same operand through the other packing path.
                    var bT = [Float](repeating: 0, count: k * n)
                    for p in 0..<k { for j in 0..<n { bT[j * k + p] = b[p * n + j] } }
                    PackedGEMM.pack(bLayout, transposed: true, source: bT, ld: k, alongRows: false, into: &packedB)
                    for threads in [1, 2] {
                        var actual = c0
                        PackedGEMM.multiply(
                            a: packedA, aLayout, b: packedB, bLayout, c: &actual, ldc: n,
                            accumulate: accumulate, kernel: kernel, threads: threads)
                        expectClose(
                            actual, expected, tolerance: 1e-4,
                            "\(m)x\(n)x\(k) accumulate=\(accumulate) \(level) \(use) threads=\(threads)")
                    }
                }
            }
        }
    }

    @Test("the FMA ceiling loop computes its twelve chains on every instruction set")
    func fmaLoopComputes() {
        // Chain k starts at k + 1 and steps a ← 0.999999·a + 1e-7; the result sums every lane.
        let iterations = 1000
        for level in InstructionSet.supported {
            let (result, lanes, chains) = PeakThroughput.loop(iterations: iterations, on: level)
            #expect(chains == (level == .avx512 ? 16 : 12))
            var expected = 0.0
            for k in 1...chains {
                var a = Double(k)
                for _ in 0..<iterations { a = a * 0.999_999 + 1e-7 }
                expected += a
            }
            let perLane = Double(result) / Double(lanes)
            #expect(abs(perLane - expected) < 1e-4 * expected, "\(level): \(perLane) vs \(expected)")
        }
        #expect(PeakThroughput.measure(threads: 1, seconds: 0.01, repeats: 2) > 0)
    }

    @Test("two passes of four rows and a 6-row tile give the bits of one pass of eight, for every tile height")
    func passesKeepBits() {
        // An 8-row tile of Float over kc = 37, B read packed and gathered, A packed and in place.
        let kc = 37, nr = 16, ldc = nr + 3
        let a: [Float] = seededArray(8 * kc, seed: 7), b: [Float] = seededArray(kc * nr, seed: 8)
        let c0: [Float] = seededArray(8 * ldc, seed: 9)
        let offsets = (0..<kc).map { $0 * nr }
        // Row-major A (8 × kc) for the in-place reads: A[i, k] = a[k · 8 + i] as packed; and the
        // first six rows packed six to a step, for the 6-row tile.
        var rowMajor = [Float](repeating: 0, count: 8 * kc)
        var packedSix = [Float](repeating: 0, count: 6 * kc)
        for i in 0..<8 { for k in 0..<kc { rowMajor[i * kc + k] = a[k * 8 + i] } }
        for i in 0..<6 { for k in 0..<kc { packedSix[k * 6 + i] = a[k * 8 + i] } }
        func run<P: MicroKernelPasses>(_ passes: P.Type, rows: Int, accumulate: Bool, how: Int) -> [Float] {
            var c = c0
            let packed = P.tileHeight == 8 ? a : packedSix
            packed.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    rowMajor.withUnsafeBufferPointer { rowMajor in
                        c.withUnsafeMutableBufferPointer { c in
                            switch how {
                            case 0:
                                gemmMicroKernel(
                                    SIMD8<Float>.self, fused: true, passes: P.self, kc: kc, a: a.baseAddress!,
                                    b: b.baseAddress!, c: c.baseAddress!, ldc: ldc, alpha: 0.5,
                                    accumulate: accumulate, rows: rows, cols: nr)
                            default:
                                let inPlace = how == 2
                                gemmMicroKernelGathered(
                                    SIMD8<Float>.self, fused: true, passes: P.self, inPlacePasses: P.self, kc: kc,
                                    a: inPlace ? rowMajor.baseAddress! : a.baseAddress!,
                                    aStep: inPlace ? 1 : P.tileHeight, aRowStride: inPlace ? kc : 1,
                                    b: b.baseAddress!, offsets: offsets, second: 8, c: c.baseAddress!, ldc: ldc,
                                    alpha: 0.5, accumulate: accumulate, rows: rows, cols: nr)
                            }
                        }
                    }
                }
            }
            return c
        }
        var compared = 0
        for how in 0..<3 {
            for rows in 1...8 {
                for accumulate in [false, true] {
                    let one = run(OnePassOfEight.self, rows: rows, accumulate: accumulate, how: how)
                    let two = run(TwoPassesOfFour.self, rows: rows, accumulate: accumulate, how: how)
                    let differing = zip(one, two).filter { $0.bitPattern != $1.bitPattern }.count
                    #expect(differing == 0, "how \(how) rows \(rows) accumulate \(accumulate)")
                    if rows <= 6 {
                        let six = run(OnePassOfSix.self, rows: rows, accumulate: accumulate, how: how)
                        let differingSix = zip(one, six).filter { $0.bitPattern != $1.bitPattern }.count
                        #expect(differingSix == 0, "six rows: how \(how) rows \(rows) accumulate \(accumulate)")
                    }
                    // Rows past the tile are untouched; rows in it changed.
                    #expect(one[(rows * ldc)...] == c0[(rows * ldc)...])
                    #expect(one[((rows - 1) * ldc)..<((rows - 1) * ldc + nr)] != c0[((rows - 1) * ldc)..<((rows - 1) * ldc + nr)])
                    compared += 1
                }
            }
        }
        #expect(compared == 48)
    }

    @Test("rows computed per tile, and the convolution tile with fewer of them")
    func tileChoice() {
        func kernel(_ height: Int, passes: Int) -> GEMMMicroKernel<Float> {
            GEMMMicroKernel(
                panelHeight: height, passHeight: passes, panelWidth: 16, body: { _, _, _, _, _, _, _, _, _ in },
                gathered: { _, _, _, _, _, _, _, _, _, _, _, _, _ in }, readsAInPlaceWell: true)
        }
        let six = kernel(6, passes: 6), eight = kernel(8, passes: 8), twoOfFour = kernel(8, passes: 4)
        // 64 = 10 · 6 + 4: the last panel runs four rows. 32 = 5 · 6 + 2: it still runs four.
        #expect(six.rowsComputed(64) == 64 && six.rowsComputed(32) == 34 && six.rowsComputed(35) == 36)
        #expect(six.rowsComputed(5) == 6 && six.rowsComputed(3) == 4 && six.rowsComputed(0) == 0)
        #expect(eight.rowsComputed(36) == 36 && eight.rowsComputed(38) == 40 && eight.rowsComputed(32) == 32)
        #expect(twoOfFour.rowsComputed(38) == 40 && twoOfFour.rowsComputed(36) == 36 && twoOfFour.rowsComputed(1) == 4)
        #expect(MicroKernelUse.convolution(rows: 32).choose(six, or: twoOfFour).panelHeight == 8)
        #expect(MicroKernelUse.convolution(rows: 64).choose(six, or: twoOfFour).panelHeight == 6)
        #expect(MicroKernelUse.matrices.choose(six, or: twoOfFour).panelHeight == 6)
        // The input gradient's transposed conv keeps the one-pass tile even with more rows.
        #expect(MicroKernelUse.transposedConvolution.choose(six, or: twoOfFour).panelHeight == 6)
        // The transposed input gradient for 3 channels (4 rows computed) but not for 2.
        #expect(Conv2dKernel.padsLittle(rows: 3, kernel: six) && Conv2dKernel.padsLittle(rows: 32, kernel: six))
        #expect(!Conv2dKernel.padsLittle(rows: 2, kernel: six) && !Conv2dKernel.padsLittle(rows: 1, kernel: eight))
        if InstructionSet.supported.contains(.avx2) {
            #expect(Float.gemmMicroKernel(for: .avx2, use: .convolution(rows: 32)).panelHeight == 8)
            #expect(Float.gemmMicroKernel(for: .avx2, use: .convolution(rows: 64)).panelHeight == 6)
            #expect(Float.gemmMicroKernel(for: .avx2, use: .transposedConvolution).panelHeight == 6)
            #expect(Float.gemmMicroKernel(for: .avx2).panelHeight == 6)
        }
    }

    @Test("beta = 0 ignores NaN already in C")
    func betaZeroOverwrites() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, 0, 0, 1]
        var c = [Float](repeating: .nan, count: 4)
        gemm(m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [1, 2, 3, 4])
    }

    @Test("a hand-computed product")
    func handComputed() {
        // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12] = [58 64; 139 154]
        let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: 0, count: 4)
        gemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)
        #expect(c == [58, 64, 139, 154])
    }
}
