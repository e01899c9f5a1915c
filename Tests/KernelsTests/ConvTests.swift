import Kernels
import Random
import TestSupport
import Testing

@Suite("Conv2d against the direct loop", .serialized)
struct ConvTests {
    static let geometries: [ConvGeometry] = [
        ConvGeometry(n: 1, c: 1, h: 1, w: 1, k: 1, r: 1, s: 1),
        ConvGeometry(n: 1, c: 3, h: 5, w: 7, k: 4, r: 3, s: 3, pad: 1),
        ConvGeometry(n: 2, c: 3, h: 8, w: 8, k: 5, r: 3, s: 3, stride: 2, pad: 1),
        ConvGeometry(n: 3, c: 4, h: 6, w: 5, k: 2, r: 1, s: 1),
        ConvGeometry(n: 2, c: 2, h: 9, w: 7, k: 3, r: 1, s: 1, stride: 2),
        ConvGeometry(n: 5, c: 2, h: 7, w: 9, k: 6, r: 5, s: 3, stride: 1, pad: 2),
        ConvGeometry(n: 2, c: 3, h: 11, w: 10, k: 4, r: 3, s: 3, stride: 3, pad: 0),
        ConvGeometry(n: 2, c: 2, h: 9, w: 9, k: 3, r: 3, s: 3, stride: 1, pad: 2, dilation: 2),
        ConvGeometry(n: 4, c: 8, h: 8, w: 8, k: 16, r: 3, s: 3, pad: 1),
        // Odd output sizes, no padding, and enough images per thread to batch the bias sums.
        ConvGeometry(n: 3, c: 9, h: 7, w: 5, k: 8, r: 3, s: 3, pad: 1),
        ConvGeometry(n: 2, c: 8, h: 6, w: 9, k: 10, r: 3, s: 3, pad: 0),
        ConvGeometry(n: 5, c: 16, h: 16, w: 16, k: 12, r: 3, s: 3, pad: 1),
        // Patches deeper than one packed block (432) and more pixels than one (400).
        ConvGeometry(n: 2, c: 48, h: 20, w: 20, k: 9, r: 3, s: 3, pad: 1),
        // Stride 2 with a 1×1 window and padding: some outputs see only the border.
        ConvGeometry(n: 2, c: 3, h: 5, w: 5, k: 2, r: 1, s: 1, stride: 2, pad: 1),
        // Shapes whose operands are read in place on every instruction set (whole vectors of
        // output pixels, whole panels of channels), one of them dilated.
        ConvGeometry(n: 2, c: 32, h: 16, w: 16, k: 16, r: 3, s: 3, pad: 1),
        // One image on two threads: the products themselves are split.
        ConvGeometry(n: 1, c: 32, h: 16, w: 16, k: 8, r: 3, s: 3, pad: 1),
        ConvGeometry(n: 1, c: 32, h: 9, w: 9, k: 8, r: 3, s: 3, pad: 2, dilation: 2)
    ]

    func run<Scalar: KernelScalar>(_ g: ConvGeometry, _: Scalar.Type, tolerance: Scalar) {
        let x: [Scalar] = seededArray(g.n * g.c * g.h * g.w, seed: 11)
        let wt: [Scalar] = seededArray(g.k * g.patchSize, seed: 12)
        let bias: [Scalar] = seededArray(g.k, seed: 13)
        let dy: [Scalar] = seededArray(g.n * g.k * g.p * g.q, seed: 14)
        var yRef = [Scalar](repeating: 0, count: dy.count)
        var dxRef = [Scalar](repeating: 0, count: x.count)
        var dwRef = [Scalar](repeating: 0, count: wt.count)
        var dbRef = [Scalar](repeating: 0, count: g.k)
        Conv2dReference.forward(g, x: x, weight: wt, bias: bias, y: &yRef)
        Conv2dReference.backward(g, x: x, weight: wt, dy: dy, dx: &dxRef, dWeight: &dwRef, dBias: &dbRef)
        // Every instruction set and thread count is passed to the kernel, so tests running
        // alongside keep the process's settings.
        for level in InstructionSet.supported {
            for threads in [1, 2] {
                var y = [Scalar](repeating: .nan, count: dy.count)
                var dx = [Scalar](repeating: .nan, count: x.count)
                var dw = [Scalar](repeating: .nan, count: wt.count)
                var db = [Scalar](repeating: .nan, count: g.k)
                Conv2dKernel.forward(g, x: x, weight: wt, bias: bias, y: &y, instructionSet: level, threads: threads)
                Conv2dKernel.backward(g, x: x, weight: wt, dy: dy, dx: &dx, dWeight: &dw, dBias: &db, instructionSet: level, threads: threads)
                let label = "\(Scalar.self) \(g) \(level) threads=\(threads)"
                expectClose(y, yRef, tolerance: tolerance, "y \(label)")
                expectClose(dx, dxRef, tolerance: tolerance, "dx \(label)")
                expectClose(dw, dwRef, tolerance: tolerance, "dW \(label)")
                expectClose(db, dbRef, tolerance: tolerance, "db \(label)")
            }
        }
    }

    @Test("forward and backward match the reference", arguments: geometries)
    func matchesReference(_ g: ConvGeometry) {
        #expect(g.isValid)
        run(g, Float.self, tolerance: 1e-4)
        run(g, Double.self, tolerance: 1e-12)
    }

    /// Seeded random geometries, so shapes nobody picked by hand meet every path too.
    static let randomGeometries: [ConvGeometry] = {
        var g = SeededGenerator(seed: 2026)
        func pick(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(g.nextUniform() * Double(range.count)) % range.count
        }
        var shapes: [ConvGeometry] = []
        while shapes.count < 24 {
            let shape = ConvGeometry(
                n: pick(1...3), c: pick(1...40), h: pick(1...18), w: pick(1...18),
                k: pick(1...20), r: pick(1...4), s: pick(1...4), stride: pick(1...3),
                pad: pick(0...2), dilation: pick(1...2))
            if shape.isValid { shapes.append(shape) }
        }
        return shapes
    }()

    @Test("random geometries match the reference", arguments: randomGeometries)
    func randomMatchesReference(_ g: ConvGeometry) {
        run(g, Float.self, tolerance: 1e-4)
    }

    @Test("output size formula")
    func outputSize() {
        let g = ConvGeometry(n: 1, c: 1, h: 32, w: 31, k: 1, r: 3, s: 3, stride: 2, pad: 1)
        #expect(g.p == 16 && g.q == 16)
        #expect(ConvGeometry(n: 1, c: 1, h: 5, w: 5, k: 1, r: 3, s: 3, dilation: 2).p == 1)
    }

    @Test("a hand-computed 3×3 convolution")
    func handComputed() {
        // 1 image, 1 channel 3×3 of 1...9, one 2×2 filter of ones, no pad: window sums.
        let g = ConvGeometry(n: 1, c: 1, h: 3, w: 3, k: 1, r: 2, s: 2)
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let w: [Float] = [1, 1, 1, 1]
        var y = [Float](repeating: 0, count: 4)
        Conv2dKernel.forward(g, x: x, weight: w, bias: nil, y: &y)
        #expect(y == [12, 16, 24, 28])
    }

    @Test("col2im of all ones counts the windows covering each pixel")
    func col2imCountsWindows() {
        let g = ConvGeometry(n: 1, c: 1, h: 3, w: 3, k: 1, r: 3, s: 3, pad: 1)
        let col = [Float](repeating: 1, count: 81)
        var back = [Float](repeating: .nan, count: 9)
        var scratch = [Float](repeating: .nan, count: 25)
        Conv2dKernel.col2im(g, col, &back, padded: &scratch)
        #expect(back == [4, 6, 4, 6, 9, 6, 4, 6, 4])
    }
}

@Suite("Pooling against plain loops", .serialized)
struct PoolingTests {
    static let geometries: [PoolGeometry] = [
        PoolGeometry(n: 1, c: 1, h: 2, w: 2, r: 2, s: 2, stride: 2),
        PoolGeometry(n: 2, c: 3, h: 8, w: 8, r: 2, s: 2, stride: 2),
        PoolGeometry(n: 2, c: 3, h: 7, w: 9, r: 3, s: 3, stride: 2, pad: 1),
        PoolGeometry(n: 1, c: 2, h: 5, w: 5, r: 3, s: 2, stride: 1),
        PoolGeometry(n: 3, c: 16, h: 32, w: 32, r: 2, s: 2, stride: 2),
        // Eight outputs at a time, then three one at a time, from an odd width.
        PoolGeometry(n: 2, c: 2, h: 7, w: 23, r: 2, s: 2, stride: 2)
    ]

    @Test("max and average pooling match the reference", arguments: geometries)
    func matchesReference(_ g: PoolGeometry) {
        #expect(g.isValid)
        let x: [Float] = seededArray(g.n * g.c * g.h * g.w, seed: 21)
        let dy: [Float] = seededArray(g.n * g.c * g.p * g.q, seed: 22)
        var yRef = [Float](repeating: 0, count: dy.count), y = yRef
        var dxRef = [Float](repeating: 0, count: x.count), dx = dxRef
        var argmax = [Int32](repeating: 0, count: dy.count)
        PoolingReference.maxForward(g, x: x, y: &yRef)
        Pooling.maxForward(g, x: x, y: &y, argmax: &argmax)
        expectClose(y, yRef, tolerance: 0, "max y \(g)")
        PoolingReference.maxBackward(g, x: x, dy: dy, dx: &dxRef)
        Pooling.maxBackward(g, dy: dy, argmax: argmax, dx: &dx)
        expectClose(dx, dxRef, tolerance: 1e-6, "max dx \(g)")
        PoolingReference.averageForward(g, x: x, y: &yRef)
        Pooling.averageForward(g, x: x, y: &y)
        expectClose(y, yRef, tolerance: 1e-6, "avg y \(g)")
        PoolingReference.averageBackward(g, dy: dy, dx: &dxRef)
        Pooling.averageBackward(g, dy: dy, dx: &dx)
        expectClose(dx, dxRef, tolerance: 1e-6, "avg dx \(g)")
    }

    /// Pooling read through the ReLU gives the bits of pooling the rectified copy, winners
    /// included, and its backward those of the pooling backward followed by the ReLU's mask;
    /// the inputs hold both zeros, NaN, −∞ and ties among negatives.
    @Test("max pooling through the ReLU is the two steps taken apart, bit for bit", arguments: geometries)
    func rectifiedMatchesComposition(_ g: PoolGeometry) {
        var x: [Float] = seededArray(g.n * g.c * g.h * g.w, seed: 23)
        for i in stride(from: 0, to: x.count, by: 7) { x[i] = [0, -0.0, .nan, -.infinity, -1][i / 7 % 5] }
        let dy: [Float] = seededArray(g.n * g.c * g.p * g.q, seed: 24)
        let rectifiedCopy = x.map { $0 > 0 || $0.isNaN ? $0 : 0 }
        var y = [Float](repeating: 0, count: dy.count), yFused = y
        var argmax = [Int32](repeating: 0, count: dy.count), argmaxFused = argmax
        Pooling.maxForward(g, x: rectifiedCopy, y: &y, argmax: &argmax)
        Pooling.maxForward(g, x: x, y: &yFused, argmax: &argmaxFused, rectified: true)
        #expect(yFused.map(\.bitPattern) == y.map(\.bitPattern), "y \(g)")
        #expect(argmaxFused == argmax, "argmax \(g)")
        var dx = [Float](repeating: 0, count: x.count), dxFused = dx
        Pooling.maxBackward(g, dy: dy, argmax: argmax, dx: &dx)
        dx = zip(dx, x).map { d, v in v > 0 ? d : 0 }
        Pooling.maxBackward(g, dy: dy, argmax: argmax, dx: &dxFused, rectifiedInput: x)
        #expect(dxFused.map(\.bitPattern) == dx.map(\.bitPattern), "dx \(g)")
    }

    /// Nine windows in a row (eight compared as vectors, one alone), each made of ties: all
    /// equal, a tied bottom pair above a tied top pair, and top-right level with bottom-left.
    /// The first in row-major order wins each, read as is and through the ReLU.
    @Test("ties keep the first position, eight windows at a time and one at a time")
    func tiesKeepTheFirst() {
        let g = PoolGeometry(n: 1, c: 1, h: 2, w: 18, r: 2, s: 2, stride: 2)
        let windows: [(Float, Float, Float, Float)] = [(5, 5, 5, 5), (1, 1, 3, 3), (1, 4, 4, 2)]
        let winners = [0, 18, 1]
        var x = [Float](repeating: 0, count: 36)
        for q in 0..<9 {
            let (a, b, c, d) = windows[q % 3]
            x[2 * q] = a; x[2 * q + 1] = b; x[18 + 2 * q] = c; x[18 + 2 * q + 1] = d
        }
        for rectified in [false, true] {
            for source in [x, x.map { $0 - 10 }] {
                var y = [Float](repeating: 0, count: 9), idx = [Int32](repeating: 0, count: 9)
                Pooling.maxForward(g, x: source, y: &y, argmax: &idx, rectified: rectified)
                let allNegative = rectified && source[0] < 0
                let expected: [Int32] = (0..<9).map { q in Int32(2 * q + (allNegative ? 0 : winners[q % 3])) }
                #expect(idx == expected, "rectified \(rectified), shifted \(source[0] < 0)")
                let values: [Float] = expected.map { source[Int($0)] }
                #expect(y == (rectified ? values.map { max(0, $0) } : values))
            }
        }
    }

    @Test("a hand-computed 2×2 max pool")
    func handComputed() {
        let g = PoolGeometry(n: 1, c: 1, h: 2, w: 4, r: 2, s: 2, stride: 2)
        let x: [Float] = [1, 5, 2, 0, 3, 4, 8, 7]
        var y = [Float](repeating: 0, count: 2)
        var idx = [Int32](repeating: 0, count: 2)
        Pooling.maxForward(g, x: x, y: &y, argmax: &idx)
        #expect(y == [5, 8])
        #expect(idx == [1, 6])
        // Through the ReLU, a window of negatives gives 0 at its first entry.
        let negative: [Float] = [-3, -1, 2, -5, -2, -4, -1, -6]
        Pooling.maxForward(g, x: negative, y: &y, argmax: &idx, rectified: true)
        #expect(y == [0, 2])
        #expect(idx == [0, 2])
        var dx = [Float](repeating: .nan, count: 8)
        Pooling.maxBackward(g, dy: [10, 20], argmax: idx, dx: &dx, rectifiedInput: negative)
        #expect(dx == [0, 0, 20, 0, 0, 0, 0, 0])
    }
}

@Suite("Seeded generator")
struct SeededGeneratorTests {
    @Test("the same seed gives the same stream; another seed another")
    func reproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }

    @Test("normals have mean ≈ 0 and variance ≈ 1")
    func normalMoments() {
        var g = SeededGenerator(seed: 7)
        let xs = (0..<20000).map { _ in g.nextNormal() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.04)
    }
}
