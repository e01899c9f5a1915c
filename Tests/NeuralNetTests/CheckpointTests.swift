import Foundation
import NeuralNet
import Tensors
import Testing

@Suite("Saving and loading .npz")
struct CheckpointTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-\(UUID().uuidString)-\(name)").path
    }

    @Test("a model round-trips through .npz")
    func roundTrip() throws {
        let a: Sequential<Float> = try Models.twoLayerNet(inputs: 6, hidden: 4, classes: 3, std: 1, seed: 1)
        let b: Sequential<Float> = try Models.twoLayerNet(inputs: 6, hidden: 4, classes: 3, std: 1, seed: 2)
        let path = temporaryPath("model.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try a.save(to: path)
        try b.load(from: path)
        #expect(a.parameters.map(\.variable.value) == b.parameters.map(\.variable.value))
    }

    @Test("numpy can read what we write", .enabled(if: numpyAvailable()))
    func numpyReads() throws {
        let path = temporaryPath("arrays.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPZArchive.write([("w", try Tensor<Float>(rows: [[1, 2, 3], [4, 5, 6]])), ("b", Tensor<Float>([7]))], to: path)
        let out = try runPython("import numpy as n; d = n.load('\(path)'); print(d['w'].shape, d['w'].dtype, float(d['w'].sum()), d['b'].tolist())")
        #expect(out == "(2, 3) float32 21.0 [7.0]")
    }

    @Test("truncated and corrupt files get errors naming the file, and the model is unchanged")
    func corrupt() throws {
        let model: Sequential<Float> = try Models.twoLayerNet(inputs: 6, hidden: 4, classes: 3, std: 1, seed: 1)
        let before = model.parameters.map(\.variable.value)
        let path = temporaryPath("bad.npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let truncated = #expect(throws: FileError.self) { try model.load(from: path) }
        #expect(truncated?.message.hasPrefix(path) == true)
        var flipped = [UInt8](bytes)
        flipped[200] ^= 0xFF
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        let corrupt = #expect(throws: FileError.self) { try model.load(from: path) }
        #expect(corrupt?.message.contains("corrupt") == true || corrupt?.message.contains("byte") == true)
        #expect(model.parameters.map(\.variable.value) == before)
        #expect(throws: FileError.noSuchFile(path + ".missing")) { try model.load(from: path + ".missing") }
    }

    @Test(".npy decoding handles float64 and reports bad headers")
    func npy() throws {
        let t = try Tensor<Double>(rows: [[1.5, -2]])
        let back: Tensor<Double> = try NumPyFormat.decode(NumPyFormat.encode(t))
        #expect(back == t)
        #expect(NumPyFormat.encode(t).count % 64 == 16, "header padded to 64 bytes, 16 bytes of data")
        #expect(throws: TensorError.self) { let _: Tensor<Float> = try NumPyFormat.decode([1, 2, 3]) }
    }
}

func numpyAvailable() -> Bool { (try? runPython("import numpy")) != nil }

func runPython(_ code: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
    return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
}
