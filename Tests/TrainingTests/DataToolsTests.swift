import Foundation
import NeuralNet
import Random
import Tensors
import TestSupport
import Testing

@testable import Training

/// Cross-validation folds, COCO box sizes and splits, colour jitter and the lessons' image
/// source, each against values worked out by hand.
@Suite struct DataToolsTests {
    static func numbered(_ n: Int) throws -> Dataset<Float> {
        try Dataset(inputs: Tensor(shape: [n, 1], scalars: (0..<n).map(Float.init)), labels: (0..<n).map { $0 % 3 }, name: "numbers")
    }

    @Test("k folds: sizes within one, each example validated once, train and val disjoint")
    func foldsCoverEveryExampleOnce() throws {
        let data = try Self.numbered(11)
        let folds = try data.folds(3, seed: 4)
        #expect(folds.map(\.validation.count) == [3, 4, 4])
        var validated: [Float] = []
        for f in folds {
            let train = Set(f.train.inputs.scalars), val = Set(f.validation.inputs.scalars)
            #expect(train.isDisjoint(with: val) && train.count + val.count == 11)
            validated += f.validation.inputs.scalars
        }
        #expect(validated.sorted() == (0..<11).map(Float.init))
        #expect(try data.folds(3, seed: 4).map(\.validation.inputs.scalars) == folds.map(\.validation.inputs.scalars))
        #expect(throws: DataError.self) { try data.folds(1) }
        #expect(throws: DataError.self) { try data.folds(12) }
    }

    static let annotations = """
        {"images": [{"id": 10}, {"id": 20}, {"id": 30}, {"id": 40}],
         "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "kite"}],
         "annotations": [
            {"image_id": 10, "category_id": 1, "bbox": [0, 0, 10, 10]},
            {"image_id": 10, "category_id": 1, "area": 2000},
            {"image_id": 20, "category_id": 1, "bbox": [5, 5, 100, 100]},
            {"image_id": 30, "category_id": 2, "area": 9216},
            {"image_id": 40, "category_id": 1}]}
        """

    @Test("COCO size buckets: small under 32², medium to 96² inclusive, large above; no box, not counted")
    func boxSizes() throws {
        let s = try COCOStatistics(json: Data(Self.annotations.utf8))
        #expect(s.boxSizes.small == 1 && s.boxSizes.medium == 2 && s.boxSizes.large == 1)
    }

    @Test("a COCO split goes by image and counts each category on both sides")
    func cocoSplitByImage() throws {
        let s = try COCOStatistics(json: Data(Self.annotations.utf8))
        for seed: UInt64 in 0..<8 {
            let cut = try s.split(validationFraction: 0.25, seed: seed)
            #expect(cut.validationImages.count == 1 && Set(cut.trainImages + cut.validationImages) == [10, 20, 30, 40])
            let perImage: [Int: [Int]] = [10: [2, 0], 20: [1, 0], 30: [0, 1], 40: [1, 0]]
            let expected = perImage[cut.validationImages[0]]!
            #expect(cut.validationInstances == expected)
            #expect(zip(cut.trainInstances, cut.validationInstances).map(+) == [4, 1])
            #expect(cut.missingFromValidation == (expected[1] == 0 ? ["kite"] : []))
        }
        #expect(throws: DataError.self) { try s.split(validationFraction: 1) }
    }

    @Test("the shipped sample annotation file is the generator's output")
    func shippedSampleIsRegenerable() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../lessons/data/annotations-sample.json").standardized
        let shipped = try COCOStatistics(path: file.path)
        let generated = try COCOStatistics(json: SyntheticCOCO.json())
        #expect(shipped.instancesPerImage == generated.instancesPerImage)
        #expect(shipped.instancesPerCategory.map(\.name) == generated.instancesPerCategory.map(\.name))
        #expect(shipped.boxSizes == generated.boxSizes)
        #expect(shipped.categoryNames.first == "person")
    }

    @Test("colour jitter: x·(1 + c_channel) + b with b and c within ±j; jitter 0 keeps the stream")
    func colourJitter() throws {
        let ones = try Tensor<Float>(shape: [2, 3, 2, 2], scalars: [Float](repeating: 1, count: 24))
        var g = SeededGenerator(seed: 9)
        let out = try Augmentation(colorJitter: 0.2).apply(ones, using: &g)
        // Redraw the same numbers: per image, b then one gain per channel.
        var replay = SeededGenerator(seed: 9)
        for i in 0..<2 {
            let b = (2 * replay.nextUniform() - 1) * 0.2
            for ch in 0..<3 {
                let c = (2 * replay.nextUniform() - 1) * 0.2
                let plane = Array(out.scalars[(i * 3 + ch) * 4..<(i * 3 + ch + 1) * 4])
                #expect(plane.allSatisfy { abs(Double($0) - (1 + c + b)) < 1e-6 })
            }
        }
        // Draws per image: crop dy, crop dx, flip; jitter adds its brightness and one gain
        // per channel, and a jitter of 0 adds none.
        let images: Tensor<Float> = try seededTensor([3, 2, 5, 5], seed: 2)
        for (jitter, drawsPerImage) in [(0.0, 3), (0.1, 3 + 1 + 2)] {
            var used = SeededGenerator(seed: 5), replay = SeededGenerator(seed: 5)
            _ = try Augmentation(cropPadding: 1, horizontalFlip: true, colorJitter: jitter).apply(images, using: &used)
            for _ in 0..<(3 * drawsPerImage) { _ = replay.nextUniform() }
            #expect(used.next() == replay.next(), "jitter \(jitter)")
        }
    }

    @Test("the lessons' images: the embedded set, saying so, until CIFAR-10 is in the data folder")
    func courseImagesFallBackAndFindCIFAR() throws {
        let folder = try ScratchFolder("course-images")
        let embedded = try CourseImages.load(count: 12, directory: folder.url)
        #expect(!embedded.isCIFAR10 && embedded.images.count == 12 && embedded.note.contains("gradschool fetch cifar10"))
        let test = try CourseImages.load(count: 12, split: .test, directory: folder.url)
        #expect(test.images.inputs.scalars != embedded.images.inputs.scalars)
        // Six batch files in the binary format: record r of batch b has label (b + r) % 10.
        let batches = folder.url.appendingPathComponent(DataCache.cifar10Folder)
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        for (b, name) in (DataCache.cifar10TrainingFiles + [DataCache.cifar10TestFile]).enumerated() {
            let bytes = (0..<4).flatMap { r in [UInt8((b + r) % 10)] + [UInt8](repeating: UInt8(r), count: 3072) }
            try Data(bytes).write(to: batches.appendingPathComponent(name))
        }
        let real = try CourseImages.load(count: 3, directory: folder.url)
        #expect(real.isCIFAR10 && real.images.labels == [0, 1, 2] && real.note.contains(batches.path))
        #expect(try CourseImages.load(count: 2, split: .test, directory: folder.url).images.labels == [5, 6])
        // Across batch files: all four of the first, then the second's first two.
        #expect(try CourseImages.load(count: 6, directory: folder.url).images.labels == [0, 1, 2, 3, 1, 2])
        #expect(throws: DataError.self) { try CourseImages.load(count: 21, directory: folder.url) }
        #expect(throws: DataError.self) { try CourseImages.load(count: 50_001, directory: folder.url) }
    }
}

/// The learning-rate range test's rates, smoothing and stopping rule.
@Suite struct RangeTestTests {
    @Test("rates grow geometrically from start to end; the first smoothed loss is the first loss; a blow-up stops the run")
    func geometricRatesAndStop() throws {
        let data: Dataset<Float> = try Spiral.make(pointsPerClass: 30, classes: 3, seed: 1)
        var test = LearningRateRangeTest()
        test.start = 1e-4
        test.end = 1e4
        test.steps = 81
        test.batchSize = 30
        let net: Sequential<Float> = try Models.twoLayerNet(inputs: 2, hidden: 20, classes: 3, std: 0.1, seed: 2)
        let r = try test.run(model: net, data: data)
        for (i, lr) in r.learningRates.enumerated() {
            #expect(abs(lr / (1e-4 * pow(1e8, Double(i) / 80)) - 1) < 1e-12)
        }
        #expect(abs(r.smoothedLosses[0] - r.losses[0]) < 1e-12)
        // Second value: (0.9·0.1·l0 + 0.1·l1) / (1 − 0.81).
        #expect(abs(r.smoothedLosses[1] - (0.09 * r.losses[0] + 0.1 * r.losses[1]) / 0.19) < 1e-9)
        #expect(r.diverged && r.learningRates.count < 81, "a rate of 1e4 blows the loss up before the end")
        #expect(r.smoothedLosses.last! > 4 * r.smoothedLosses.min()!)
        let min = try #require(r.minimumRate)
        #expect(min > 1e-2 && min < 1e3)
        // A range wider than a Double can hold as a ratio still steps geometrically.
        test.start = 1e-300
        test.end = 1e300
        test.steps = 3
        let wide = try test.run(model: try Models.twoLayerNet(inputs: 2, hidden: 20, classes: 3, std: 0.1, seed: 2) as Sequential<Float>, data: data)
        #expect(abs(wide.learningRates[0] / 1e-300 - 1) < 1e-12 && wide.learningRates.allSatisfy(\.isFinite))
        test.end = test.start
        #expect(throws: DataError.self) { try test.run(model: net, data: data) }
    }
}
