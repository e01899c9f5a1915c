import Tensors

extension Module {
    /// Saves every parameter under its dotted name to a NumPy `.npz` file (atomic write).
    public func save(to path: String) throws {
        try NPZArchive.write(parameters.map { ($0.name, $0.variable.value) }, to: path)
    }

    /// Loads parameters saved by `save(to:)`; every parameter must be present with its shape.
    public func load(from path: String) throws {
        let arrays: [(name: String, tensor: Tensor<Scalar>)] = try NPZArchive.read(path)
        let byName = Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        // Check everything before changing anything, so a bad file leaves the model intact.
        for p in parameters {
            guard let t = byName[p.name] else { throw TensorError("\(path): no array named \(p.name)") }
            guard t.shape == p.variable.shape else {
                throw TensorError("\(path): \(p.name) has shape \(t.shape) but the model expects \(p.variable.shape)")
            }
        }
        for p in parameters { p.variable.value = byName[p.name]! }
    }
}
