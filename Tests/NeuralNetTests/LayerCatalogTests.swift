import Autograd
import Foundation
import NeuralNet
import Random
import Tensors
import Testing

/// Every layer the catalog knows describes itself, is made again from its description,
/// round-trips through a checkpoint with its weights and buffers, and reports an output
/// shape (matching a real forward pass) and its FLOPs. A layer added to the catalog without
/// a sample here fails `everyCatalogLayerHasASample`.
@Suite struct LayerCatalogTests {
    /// One instance of each registered type with an example input shape and its FLOPs per
    /// example, computed by hand (2 per multiply-add, Linear and Conv2d only).
    static func samples() throws -> [(layer: Module<Float>, input: [Int], flops: Int)] {
        var g = SeededGenerator(seed: 5)
        return [
            (try Linear(inputs: 6, outputs: 4, using: &g), [6], 2 * 6 * 4),
            (try Linear(inputs: 6, outputs: 4, bias: false, using: &g), [6], 2 * 6 * 4),
            (try Conv2d(inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, pad: 1, using: &g), [2, 5, 5], 2 * 3 * 2 * 9 * 3 * 3),
            (MaxPool2d(size: 2), [3, 4, 4], 0), (AvgPool2d(size: 3, stride: 1, pad: 1), [3, 4, 4], 0),
            (ReLU(), [5], 0), (LeakyReLU(slope: 0.2), [5], 0), (Sigmoid(), [5], 0), (Tanh(), [5], 0), (Flatten(), [2, 3, 2], 0),
            (try BatchNorm(features: 3, spatial: true, momentum: 0.8), [3, 2, 2], 0), (try BatchNorm(features: 4, spatial: false), [4], 0),
            (try LayerNorm(features: 5, epsilon: 1e-3), [5], 0),
            (try Dropout(keepProbability: 0.7, convention: .testTimeScaling), [6], 0),
            (Sequential([try Linear(inputs: 4, outputs: 3, using: &g), ReLU(), try Linear(inputs: 3, outputs: 2, using: &g)]), [4], 2 * (4 * 3 + 3 * 2)),
            (
                try ResidualBlock(inChannels: 2, outChannels: 4, stride: 2, using: &g), [2, 4, 4],
                2 * (4 * 2 * 9 * 2 * 2 + 4 * 4 * 9 * 2 * 2 + 4 * 2 * 1 * 2 * 2)
            )
        ]
    }

    @Test func everyCatalogLayerHasASample() throws {
        let described = Set(try Self.samples().map(\.layer.layerDescription.type))
        #expect(described == Set(LayerCatalog<Float>.standard.typeNames))
    }

    @Test func everyLayerRoundTripsThroughACheckpoint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (i, sample) in try Self.samples().enumerated() {
            let layer = sample.layer
            let type = layer.layerDescription.type
            // Train-mode passes move running statistics away from their initial values.
            var g = SeededGenerator(seed: UInt64(i))
            let x = try Tensor<Float>.randn([3] + sample.input, using: &g)
            _ = try layer(x)
            layer.training = false
            let expected = try layer(x).value

            let remade = try LayerCatalog<Float>.standard.make(layer.layerDescription, seed: 99)
            #expect(remade.layerDescription == layer.layerDescription, "\(type)")
            #expect(remade.parameters.map(\.variable.shape) == layer.parameters.map(\.variable.shape), "\(type)")

            let path = folder.appendingPathComponent("\(i).npz").path
            try layer.save(to: path)
            let loaded = try LayerCatalog<Float>.standard.loadModel(from: path)
            loaded.training = false
            #expect(try loaded(x).value.scalars == expected.scalars, "\(type): outputs differ after a checkpoint round trip")
            #expect(loaded.allBuffers.map(\.tensor.scalars) == layer.allBuffers.map(\.tensor.scalars), "\(type)")

            #expect(try layer.outputShape(for: sample.input) == Array(expected.shape.dropFirst()), "\(type)")
            #expect(try layer.flops(for: sample.input) == sample.flops, "\(type)")
        }
    }

    @Test func damagedDescriptionsAreRefused() throws {
        let catalog = LayerCatalog<Float>.standard
        #expect(throws: ModelError.self) { try catalog.make(LayerDescription("Transformer")) }
        #expect(throws: ModelError.self) { try catalog.make(LayerDescription("Linear", ["in": 3])) }
        #expect(throws: ModelError.self) { try catalog.make(LayerDescription("Linear", ["in": -3, "out": 2])) }
        #expect(throws: ModelError.self) { try catalog.make(LayerDescription("Conv2d", ["in": 1, "out": 1, "k": 1.5, "stride": 1, "pad": 0])) }
        #expect(throws: ModelError.self) { try catalog.make(LayerDescription("Linear", ["in": .infinity, "out": 2])) }
        var deep = LayerDescription("ReLU")
        for _ in 0..<200 { deep = LayerDescription("Sequential", layers: [deep]) }
        #expect(throws: ModelError.self) { try catalog.make(deep) }
    }

    @Test func aCheckpointWithoutArchitectureSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plain-\(getpid()).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPZArchive.write([("weight", try Tensor<Float>.zeros([2, 2]))], to: path)
        #expect { try LayerCatalog<Float>.standard.loadModel(from: path) } throws: { ($0 as? ModelError)?.message.contains("no architecture stored") == true }
    }
}
