import Foundation
import Tensors
import TestSupport
import Testing
import Training

@Suite struct LoaderTests {
    /// Each test gets a fresh suite value, so a folder of its own.
    let scratch = try! ScratchFolder("loaders")
    func temporaryPath(_ name: String) -> String { scratch.file(name) }

    @Test func cifar10Records() throws {
        var bytes: [UInt8] = []
        for label in [3, 7] as [UInt8] { bytes.append(label); bytes += (0..<3072).map { UInt8($0 % 256) } }
        let path = temporaryPath("data_batch_1.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let d: Dataset<Float> = try DataLoaders.cifar10(paths: [path])
        #expect(d.labels == [3, 7])
        #expect(d.inputs.shape == [2, 3, 32, 32])
        #expect(d.inputs.scalars[1] == Float(1) / 255)
        #expect(d.classNames[3] == "cat")
        try Data(bytes.dropLast()).write(to: URL(fileURLWithPath: path))
        #expect { try DataLoaders.cifar10(paths: [path]) as Dataset<Float> } throws: { error in
            "\(error)".contains(path) && "\(error)".contains("3073")
        }
    }

    @Test func mnistIDX() throws {
        func header(_ values: [Int]) -> [UInt8] { values.flatMap { v in (0..<4).reversed().map { UInt8((v >> (8 * $0)) & 0xFF) } } }
        let images = header([2051, 2, 2, 3]) + (0..<12).map { UInt8($0 * 20) }
        let labels = header([2049, 2]) + [4, 9]
        let ip = temporaryPath("images.idx"), lp = temporaryPath("labels.idx")
        try Data(images).write(to: URL(fileURLWithPath: ip))
        try Data(labels).write(to: URL(fileURLWithPath: lp))
        defer { try? FileManager.default.removeItem(atPath: ip); try? FileManager.default.removeItem(atPath: lp) }
        let d: Dataset<Float> = try DataLoaders.mnist(images: ip, labels: lp)
        #expect(d.inputs.shape == [2, 1, 2, 3])
        #expect(d.labels == [4, 9])
        #expect(d.inputs.scalars[11] == Float(220) / 255)
        #expect { try DataLoaders.mnist(images: lp, labels: lp) as Dataset<Float> } throws: { "\($0)".contains("2051") && "\($0)".contains(lp) }
    }

    @Test func numpyArchive() throws {
        let path = temporaryPath("set.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPZArchive.write(
            [
                (name: "x", tensor: Tensor<Double>(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])),
                (name: "y", tensor: Tensor<Double>([0, 2, 1]))
            ], to: path)
        let d: Dataset<Double> = try DataLoaders.numpy(path: path, as: Double.self)
        #expect(d.labels == [0, 2, 1])
        #expect(d.inputs.shape == [3, 2])
        let missing = temporaryPath("nope.npz")
        #expect { try DataLoaders.numpy(path: missing) as Dataset<Float> } throws: { "\($0)".contains(missing) }
    }

    @Test func cocoStatistics() throws {
        let json = """
            {"images": [{"id": 1}, {"id": 2}, {"id": 3}],
             "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "dog"}, {"id": 5, "name": "kite"}],
             "annotations": [{"image_id": 1, "category_id": 1}, {"image_id": 1, "category_id": 1},
                             {"image_id": 1, "category_id": 2}, {"image_id": 2, "category_id": 1}]}
            """
        let s = try COCOStatistics(json: Data(json.utf8))
        #expect(s.instancesPerImage == [3, 1, 0])
        #expect(s.categoriesPerImage == [2, 1, 0])
        #expect(s.instancesPerCategory.map(\.count) == [3, 1, 0])
        #expect(s.instancesPerCategory.first?.name == "person")
        #expect(abs(s.meanInstancesPerImage - 4.0 / 3) < 1e-12)
        #expect(s.categoriesPerImageHistogram == [1, 1, 1])
        let bad = #"{"images": [{"id": 1}], "categories": [], "annotations": [{"image_id": 1, "category_id": 9}]}"#
        #expect { try COCOStatistics(json: Data(bad.utf8), source: "ann.json") } throws: {
            "\($0)".contains("ann.json") && "\($0)".contains("category_id")
        }
        let synthetic = try COCOStatistics(json: SyntheticCOCO.json(images: 100, categories: 10, seed: 1))
        #expect(synthetic.imageCount == 100)
        #expect(synthetic.instancesPerCategory.first!.count > 3 * synthetic.instancesPerCategory.last!.count)
    }
}
