import Foundation
import Tensors

/// Checkpoints: a NumPy `.npz` holding every parameter under its dotted name, every buffer
/// (running statistics) under `buffers/<path>`, and the architecture as JSON bytes under
/// `__architecture__`, so `LayerCatalog.loadModel(from:)` can make the model again.
extension Module {
    static var architectureKey: String { "__architecture__" }
    static var bufferPrefix: String { "buffers/" }

    /// The arrays a checkpoint holds, also used by workspaces under their own prefix.
    public func checkpointArrays() throws -> [(name: String, tensor: Tensor<Scalar>)] {
        let json = try JSONEncoder().encode(layerDescription)
        return parameters.map { ($0.name, $0.variable.value) }
            + allBuffers.map { (Self.bufferPrefix + $0.name, $0.tensor) }
            + [(Self.architectureKey, Tensor([UInt8](json).map { Scalar(Double($0)) }))]
    }

    /// Saves weights, buffers and architecture (atomic write).
    public func save(to path: String) throws {
        try NPZArchive.write(checkpointArrays(), to: path)
    }

    /// Loads parameters (and buffers, when the file has them) saved by `save(to:)` into this
    /// model; every parameter must be present with its shape. Everything is checked before
    /// anything changes, so a bad file leaves the model intact.
    public func load(from path: String) throws {
        let arrays: [(name: String, tensor: Tensor<Scalar>)] = try NPZArchive.read(path)
        try restore(from: Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a }), source: path)
    }

    /// Sets parameters and buffers from arrays named as in `checkpointArrays()`.
    public func restore(from byName: [String: Tensor<Scalar>], source: String) throws {
        for p in parameters {
            guard let t = byName[p.name] else { throw ModelError.checkpoint(source: source, detail: "no array named \(p.name)") }
            guard t.shape == p.variable.shape else {
                throw ModelError.checkpoint(source: source, detail: "\(p.name) has shape \(t.shape) but the model expects \(p.variable.shape)")
            }
        }
        let buffers = allBuffers.compactMap { b in byName[Self.bufferPrefix + b.name].map { (b, $0) } }
        for (b, t) in buffers where t.count != b.tensor.count {
            throw ModelError.checkpoint(source: source, detail: "buffer \(b.name) has shape \(t.shape) but the model expects \(b.tensor.shape)")
        }
        for p in parameters { p.variable.value = byName[p.name]! }
        for (b, t) in buffers { try setBuffer(atPath: b.name, t) }
    }
}

extension LayerCatalog {
    /// The architecture stored in a checkpoint's arrays.
    public static func architecture(in byName: [String: Tensor<Scalar>], source: String) throws -> LayerDescription {
        guard let bytes = byName[Module<Scalar>.architectureKey] else {
            throw ModelError.checkpoint(source: source, detail: "no architecture stored (saved before checkpoints carried one); build the model and use load(net, path)")
        }
        let data = Data(
            try bytes.scalars.map { v -> UInt8 in
                let d = Double(v)
                guard d >= 0, d <= 255, d == d.rounded() else { throw ModelError.checkpoint(source: source, detail: "the stored architecture is damaged") }
                return UInt8(d)
            })
        do { return try JSONDecoder().decode(LayerDescription.self, from: data) } catch {
            throw ModelError.checkpoint(source: source, detail: "the stored architecture is not readable")
        }
    }

    /// A model made again from a checkpoint: its architecture, weights and buffers.
    public func loadModel(from path: String) throws -> Module<Scalar> {
        let arrays: [(name: String, tensor: Tensor<Scalar>)] = try NPZArchive.read(path)
        let byName = Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        let model = try make(try Self.architecture(in: byName, source: path))
        try model.restore(from: byName, source: path)
        return model
    }
}
