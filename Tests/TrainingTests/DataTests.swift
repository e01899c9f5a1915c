import Foundation
import Random
import Tensors
import Testing
import Training

@Suite struct DataTests {
    func tiny() throws -> Dataset<Double> {
        try Dataset(inputs: Tensor(shape: [10, 2], scalars: (0..<20).map(Double.init)), labels: (0..<10).map { $0 % 3 })
    }

    @Test func datasetValidatesItsInputs() throws {
        #expect(throws: DataError.self) { try Dataset(inputs: Tensor<Double>.zeros([3, 2]), labels: [0, 1]) }
        #expect(throws: DataError.self) {
            try Dataset(inputs: Tensor<Double>.zeros([2, 2]), labels: [0, 5], classNames: ["a", "b"])
        }
        let d = try tiny()
        #expect(d.classCount == 3)
        #expect(d.classCounts == [4, 3, 3])
        #expect(try d.subset([3, 1]).inputs.scalars == [6, 7, 2, 3])
    }

    @Test func splitsAreDisjointCompleteAndSeeded() throws {
        let d = try tiny()
        let s = try d.split(train: 6, val: 2, seed: 3)
        let firsts = (s.train.inputs.scalars + s.val.inputs.scalars + s.test(confirm: true).inputs.scalars)
            .enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(Set(firsts) == Set(stride(from: 0.0, to: 20, by: 2)))
        #expect(s.sizes == (6, 2, 2))
        let again = try d.split(train: 6, val: 2, seed: 3)
        #expect(again.train.labels == s.train.labels && again.train.inputs == s.train.inputs)
        #expect(throws: DataError.self) { try d.split(train: 8, val: 5) }
    }

    @Test func secondLookAtTheTestSetWarns() throws {
        let s = try tiny().split(train: 6, val: 2)
        var warnings: [String] = []
        s.warn = { warnings.append($0) }
        _ = s.test()
        #expect(warnings.isEmpty)
        _ = s.test()
        #expect(warnings.count == 1)
        #expect(warnings[0].contains("false discovery"))
        _ = s.test(confirm: true)
        #expect(warnings.count == 1)
        #expect(s.testUses == 3)
    }

    @Test func miniBatchesCoverEveryExampleOncePerEpoch() {
        var g = SeededGenerator(seed: 1)
        let batches = MiniBatches(count: 23, batchSize: 5)
        let epoch = batches.epoch(using: &g)
        #expect(epoch.count == 5 && batches.iterationsPerEpoch == 5)
        #expect(epoch.flatMap { $0 }.sorted() == Array(0..<23))
        #expect(epoch.flatMap { $0 } != Array(0..<23))
        let full = MiniBatches(count: 23, batchSize: 5, sampleBatches: false)
        #expect(full.epoch(using: &g) == [Array(0..<23)])
        #expect(full.iterationsPerEpoch == 1)
    }

    @Test func augmentationIsAShiftOrFlipAndSeeded() throws {
        var g0 = SeededGenerator(seed: 2)
        let images = try Tensor<Double>.randn([6, 2, 5, 5], using: &g0)
        let aug = Augmentation(cropPadding: 2, horizontalFlip: true)
        var g1 = SeededGenerator(seed: 9), g2 = SeededGenerator(seed: 9)
        let a = try aug.apply(images, using: &g1), b = try aug.apply(images, using: &g2)
        #expect(a == b)
        #expect(a != images)
        // Each output image must equal the input shifted by (dy, dx) in −2…2 and maybe mirrored.
        let x = images.scalars, y = a.scalars
        for i in 0..<6 {
            var found = false
            for dy in -2...2 {
                for dx in -2...2 {
                    for flip in [false, true] where !found {
                        var same = true
                        for c in 0..<2 {
                            for r in 0..<5 {
                                for col in 0..<5 {
                                    let sc = (flip ? 4 - col : col) + dx, sr = r + dy
                                    let expected = (sr >= 0 && sr < 5 && sc >= 0 && sc < 5) ? x[((i * 2 + c) * 5 + sr) * 5 + sc] : 0
                                    if y[((i * 2 + c) * 5 + r) * 5 + col] != expected { same = false }
                                }
                            }
                        }
                        found = same
                    }
                }
            }
            #expect(found, "image \(i) is not a padded crop / flip of its input")
        }
    }

    @Test func syntheticImagesAreCIFARShapedBalancedAndSeeded() throws {
        let d: Dataset<Float> = try SyntheticImages.make(count: 50, seed: 4)
        #expect(d.inputs.shape == [50, 3, 32, 32])
        #expect(d.classCounts == Array(repeating: 5, count: 10))
        let prefix: Dataset<Float> = try SyntheticImages.make(count: 20, seed: 4)
        #expect(try d.prefix(20).inputs == prefix.inputs)
        let other: Dataset<Float> = try SyntheticImages.make(count: 20, seed: 5)
        #expect(other.inputs != prefix.inputs)
        let spiral: Dataset<Double> = try Spiral.make(pointsPerClass: 100, classes: 3, as: Double.self)
        #expect(spiral.inputs.shape == [300, 2])
        #expect(spiral.inputs.scalars.allSatisfy { abs($0) <= 1.0001 })
    }
}

@Suite struct PreprocessingTests {
    func covariance(_ t: Tensor<Double>) -> [[Double]] {
        let n = t.shape[0], d = t.shape[1], x = t.scalars
        let mu = (0..<d).map { j in (0..<n).map { x[$0 * d + j] }.reduce(0, +) / Double(n) }
        return (0..<d).map { a in
            (0..<d).map { b in
                (0..<n).map { (x[$0 * d + a] - mu[a]) * (x[$0 * d + b] - mu[b]) }.reduce(0, +) / Double(n)
            }
        }
    }

    func correlated(_ n: Int) throws -> Dataset<Double> {
        var g = SeededGenerator(seed: 7)
        var xs: [Double] = []
        for _ in 0..<n {
            let a = g.nextNormal(), b = g.nextNormal(), c = g.nextNormal()
            xs += [3 * a + 5, a + 0.5 * b - 1, 0.2 * c + a]
        }
        return try Dataset(inputs: Tensor(shape: [n, 3], scalars: xs), labels: Array(repeating: 0, count: n))
    }

    @Test func meanSubtractionUsesTrainingStatistics() throws {
        let train = try correlated(200)
        let p = try Preprocessing(.meanImage, fittedOn: train)
        let centered = try p.apply(train).inputs
        #expect(try centered.mean(axes: [0]).scalars.allSatisfy { abs($0) < 1e-12 })
        // Applied to other data, the training mean is subtracted, not the other data's own.
        let other = try Dataset(inputs: Tensor(shape: [1, 3], scalars: [0, 0, 0]), labels: [0])
        #expect(try p.apply(other).inputs.scalars.map { -$0 } == p.mean)
    }

    @Test func perChannelMean() throws {
        let images = try Tensor<Double>(shape: [2, 2, 1, 2], scalars: [1, 3, 10, 10, 5, 7, 20, 20])
        let d = try Dataset(inputs: images, labels: [0, 0])
        let p = try Preprocessing(.perChannelMean, fittedOn: d)
        #expect(p.mean == [4, 15])
        #expect(try p.apply(d).inputs.scalars == [-3, -1, -5, -5, 1, 3, 5, 5])
    }

    @Test func whiteningGivesIdentityCovariance() throws {
        let train = try correlated(500)
        for kind in [Preprocessing.Kind.zcaWhiten(epsilon: 1e-12), .pcaWhiten(components: 3, epsilon: 1e-12)] {
            let white = try Preprocessing(kind, fittedOn: train).apply(train).inputs
            let c = covariance(white)
            for i in 0..<3 { for j in 0..<3 { #expect(abs(c[i][j] - (i == j ? 1 : 0)) < 1e-6, "\(kind) cov[\(i)][\(j)] = \(c[i][j])") } }
        }
    }

    @Test func pcaFindsTheLargestVarianceDirection() throws {
        let train = try correlated(500)
        let p = try Preprocessing(.pca(components: 1), fittedOn: train)
        #expect(try p.apply(train).inputs.shape == [500, 1])
        // Eigenvalues descend and sum to the total variance.
        let c = covariance(train.inputs)
        #expect(abs(p.eigenvalues.reduce(0, +) - (c[0][0] + c[1][1] + c[2][2])) < 1e-8)
        #expect(p.eigenvalues == p.eigenvalues.sorted(by: >))
        // The top direction is dominated by the first feature (close to (3, 1, 1)/√11).
        #expect(abs(p.eigenvectors[0]) > 0.85)
    }

    @Test func pcaRefusesHugeFeatureCounts() throws {
        let d = try Dataset(inputs: Tensor<Double>.zeros([2, 2000]), labels: [0, 0])
        #expect(throws: DataError.self) { try Preprocessing(.pca(components: 2), fittedOn: d) }
    }
}
