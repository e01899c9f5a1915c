import Kernels
import TestSupport
import Testing

@Suite("Batch and layer norm against the textbook loops", .serialized)
struct NormalizationTests {
    /// `(outer, channels, inner)`: 1-d (inner 1), short runs, runs just over the long-run
    /// threshold with a tail, and long runs over several blocks of lanes.
    static let layouts: [(Int, Int, Int)] = [(5, 3, 1), (1, 4, 1), (4, 3, 5), (3, 2, 17), (2, 3, 40), (7, 20, 1), (2, 2, 4100)]

    func relativeError(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }

    /// The fused batch norm, in `Scalar`, against the reference in Double.
    func batchNorm<Scalar: KernelScalar>(_ shape: (Int, Int, Int), _: Scalar.Type, tolerance: Double) {
        let l = NormalizationLayout(outer: shape.0, channels: shape.1, inner: shape.2)
        // Offset and scaled per channel, so statistics over the wrong elements show.
        let raw: [Double] = seededArray(l.count, seed: 21)
        let x = raw.indices.map { i in raw[i] * Double(1 + (i / l.inner) % l.channels) + Double((i / l.inner) % l.channels) }
        let dy: [Double] = seededArray(l.count, seed: 22)
        let gamma = (0..<l.channels).map { 0.5 + Double($0) }, beta = (0..<l.channels).map { Double($0) - 1 }
        let expected = NormalizationReference.batchNormForward(l, x: x, scale: gamma, shift: beta, epsilon: 1e-5)
        let expectedGrad = NormalizationReference.batchNormBackward(l, x: x, dy: dy, scale: gamma, epsilon: 1e-5)
        let xs = x.map { Scalar($0) }, dys = dy.map { Scalar($0) }, gs = gamma.map { Scalar($0) }, bs = beta.map { Scalar($0) }
        var y = [Scalar](repeating: .nan, count: l.count), mean = [Scalar](repeating: .nan, count: l.channels), variance = mean
        BatchNormKernel.forward(l, x: xs, scale: gs, shift: bs, epsilon: 1e-5, y: &y, mean: &mean, variance: &variance)
        #expect(relativeError(y.map(Double.init), expected.y) < tolerance, "y \(shape)")
        #expect(relativeError(mean.map(Double.init), expected.mean) < tolerance, "mean \(shape)")
        #expect(relativeError(variance.map(Double.init), expected.variance) < tolerance, "variance \(shape)")
        var dx = [Scalar](repeating: .nan, count: l.count), ds = [Scalar](repeating: .nan, count: l.channels), db = ds
        BatchNormKernel.backward(
            l, x: xs, dy: dys, scale: gs, mean: mean, variance: variance, epsilon: 1e-5, dx: &dx, dScale: &ds, dShift: &db)
        #expect(relativeError(dx.map(Double.init), expectedGrad.dx) < tolerance, "dx \(shape)")
        #expect(relativeError(ds.map(Double.init), expectedGrad.dScale) < tolerance, "dγ \(shape)")
        #expect(relativeError(db.map(Double.init), expectedGrad.dShift) < tolerance, "dβ \(shape)")
        var ds2 = [Scalar](repeating: .nan, count: l.channels), db2 = ds2
        BatchNormKernel.backward(
            l, x: xs, dy: dys, scale: gs, mean: mean, variance: variance, epsilon: 1e-5, dx: nil, dScale: &ds2, dShift: &db2)
        #expect(ds2 == ds && db2 == db, "without dx, dγ and dβ are the same")
    }

    @Test("batch norm forward and backward, Double and Float, every walk")
    func batchNormMatchesReference() {
        for shape in Self.layouts {
            batchNorm(shape, Double.self, tolerance: 1e-11)
            batchNorm(shape, Float.self, tolerance: 2e-4)
        }
    }

    func layerNorm<Scalar: KernelScalar>(rows: Int, features d: Int, _: Scalar.Type, tolerance: Double) {
        let raw: [Double] = seededArray(rows * d, seed: 31)
        let x = raw.indices.map { raw[$0] * Double(1 + $0 / d) + Double($0 / d) }
        let dy: [Double] = seededArray(rows * d, seed: 32)
        let gamma = (0..<d).map { 0.5 + Double($0 % 7) }, beta = (0..<d).map { Double($0 % 5) - 2 }
        let expected = NormalizationReference.layerNormForward(rows: rows, features: d, x: x, scale: gamma, shift: beta, epsilon: 1e-5)
        let expectedGrad = NormalizationReference.layerNormBackward(rows: rows, features: d, x: x, dy: dy, scale: gamma, epsilon: 1e-5)
        let xs = x.map { Scalar($0) }, dys = dy.map { Scalar($0) }, gs = gamma.map { Scalar($0) }, bs = beta.map { Scalar($0) }
        var y = [Scalar](repeating: .nan, count: rows * d), mean = [Scalar](repeating: .nan, count: rows), variance = mean
        LayerNormKernel.forward(rows: rows, features: d, x: xs, scale: gs, shift: bs, epsilon: 1e-5, y: &y, mean: &mean, variance: &variance)
        #expect(relativeError(y.map(Double.init), expected.y) < tolerance, "y \(rows)×\(d)")
        #expect(relativeError(variance.map(Double.init), expected.variance) < tolerance, "variance \(rows)×\(d)")
        var dx = [Scalar](repeating: .nan, count: rows * d), ds = [Scalar](repeating: .nan, count: d), db = ds
        LayerNormKernel.backward(
            rows: rows, features: d, x: xs, dy: dys, scale: gs, mean: mean, variance: variance, epsilon: 1e-5,
            dx: &dx, dScale: &ds, dShift: &db)
        #expect(relativeError(dx.map(Double.init), expectedGrad.dx) < tolerance, "dx \(rows)×\(d)")
        #expect(relativeError(ds.map(Double.init), expectedGrad.dScale) < tolerance, "dγ \(rows)×\(d)")
        #expect(relativeError(db.map(Double.init), expectedGrad.dShift) < tolerance, "dβ \(rows)×\(d)")
    }

    @Test("layer norm forward and backward, Double and Float")
    func layerNormMatchesReference() {
        for (rows, d) in [(1, 1), (3, 5), (4, 37), (70, 100), (2, 4100)] {
            layerNorm(rows: rows, features: d, Double.self, tolerance: 1e-11)
            layerNorm(rows: rows, features: d, Float.self, tolerance: 2e-4)
        }
    }

    @Test("a mean far from zero keeps the variance: no E[x²] − E[x]² cancellation")
    func largeMean() {
        let l = NormalizationLayout(outer: 64, channels: 2, inner: 256)
        let noise: [Double] = seededArray(l.count, seed: 41)
        let x = noise.map { Float(1000 + $0) }
        let expected = NormalizationReference.batchNormForward(l, x: x.map(Double.init), scale: [1, 1], shift: [0, 0], epsilon: 0)
        var y = [Float](repeating: 0, count: l.count), mean: [Float] = [0, 0], variance: [Float] = [0, 0]
        BatchNormKernel.forward(l, x: x, scale: [1, 1], shift: [0, 0], epsilon: 0, y: &y, mean: &mean, variance: &variance)
        for c in 0..<2 {
            #expect(abs(Double(variance[c]) - expected.variance[c]) / expected.variance[c] < 1e-4)
        }
    }

    @Test("bit-identical results on 1 and 2 threads")
    func threadCountInvariance() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        for (outer, channels, inner) in [(700, 400, 1), (64, 6, 1024)] {
            let l = NormalizationLayout(outer: outer, channels: channels, inner: inner)
            let x: [Float] = seededArray(l.count, seed: 51), dy: [Float] = seededArray(l.count, seed: 52)
            let gamma = [Float](repeating: 1.5, count: channels), beta = [Float](repeating: 0.25, count: channels)
            var outputs: [[Float]] = []
            for threads in [1, 2] {
                Parallel.threads = threads
                var y = [Float](repeating: 0, count: l.count), mean = [Float](repeating: 0, count: channels), variance = mean
                BatchNormKernel.forward(l, x: x, scale: gamma, shift: beta, epsilon: 1e-5, y: &y, mean: &mean, variance: &variance)
                var dx = y, ds = mean, db = mean
                BatchNormKernel.backward(
                    l, x: x, dy: dy, scale: gamma, mean: mean, variance: variance, epsilon: 1e-5, dx: &dx, dScale: &ds, dShift: &db)
                let rows = l.count / 400
                var ly = y, lm = [Float](repeating: 0, count: rows), lv = lm
                LayerNormKernel.forward(rows: rows, features: 400, x: x, scale: [Float](repeating: 1.5, count: 400), shift: [Float](repeating: 0, count: 400), epsilon: 1e-5, y: &ly, mean: &lm, variance: &lv)
                var ldx = y, lds = [Float](repeating: 0, count: 400), ldb = lds
                LayerNormKernel.backward(
                    rows: rows, features: 400, x: x, dy: dy, scale: [Float](repeating: 1.5, count: 400), mean: lm, variance: lv,
                    epsilon: 1e-5, dx: &ldx, dScale: &lds, dShift: &ldb)
                outputs.append(y + dx + ds + db + ly + ldx + lds + ldb)
            }
            // Bit patterns, so a NaN matches itself and a failure names a count, not the arrays.
            let differing = zip(outputs[0], outputs[1]).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "layout \(outer)×\(channels)×\(inner): \(differing) values differ")
        }
    }

    @Test("the loops compiled for each instruction set give the same bits")
    func sameBitsOnEveryInstructionSet() {
        let n = 4100 + 37, rows = 70, width = 53
        let x: [Float] = seededArray(n, seed: 61), g: [Float] = seededArray(n, seed: 62), s: [Float] = seededArray(n, seed: 63)
        var results: [[Float]] = []
        for level in InstructionSet.supported {
            let loops = Float.normalizationLoops(for: level)
            var values: [Double] = [loops.sum(x, n), loops.squaredDeviation(x, n, 0.25)]
            let withScale = loops.gradientSums(g, s, x, n, 0.25), plainOnly = loops.gradientSums(g, nil, x, n, 0.25)
            values += [withScale.plain, withScale.weighted, plainOnly.plain, plainOnly.weighted]
            var plain = [Double](repeating: 0, count: width), weighted = plain
            loops.columnSums(rows, width, 0..<width, g, x, s, nil, nil, true, &plain, &weighted)
            loops.columnSums(rows, width, 0..<width, g, x, nil, s, s, false, &plain, &weighted)
            var out = [Float](repeating: 0, count: n), row = out, columns = out, gradient = out
            loops.affine(g, x, n, 0.5, 0.25, -1.5, 2, &out)
            loops.affineColumns(g, x, n, s, s, s, s, &columns)
            loops.normalizeRow(x, n, 0.25, 1.5, s, g, &row)
            loops.rowGradient(g, s, x, n, 0.25, 1.5, -0.5, 0.125, &gradient)
            results.append((values + plain + weighted).map { Float($0) } + out + columns + row + gradient)
        }
        #expect(results.count >= 2 || InstructionSet.best == .portable)
        for (level, result) in zip(InstructionSet.supported, results) {
            let differing = zip(result, results[0]).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(differing == 0, "\(level): \(differing) values differ from \(InstructionSet.supported[0])")
        }
    }
}
