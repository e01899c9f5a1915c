import NeuralNet
import Optimizers
import Tensors

extension Module {
    /// Saves the checkpoint (parameters, buffers, architecture) and the optimizer's state
    /// (slots under `optimizer/…`) to one `.npz`.
    public func save(to path: String, optimizer: Optimizer<Scalar>) throws {
        let arrays =
            try checkpointArrays()
            + optimizer.stateArrays.map { (name: "optimizer/" + $0.name, tensor: $0.tensor) }
        try NPZArchive.write(arrays, to: path)
    }

    /// Loads parameters and optimizer state saved by `save(to:optimizer:)`; nothing changes
    /// unless everything fits.
    public func load(from path: String, optimizer: Optimizer<Scalar>) throws {
        let arrays: [(name: String, tensor: Tensor<Scalar>)] = try NPZArchive.read(path)
        let state = arrays.filter { $0.name.hasPrefix("optimizer/") }
            .map { (name: String($0.name.dropFirst("optimizer/".count)), tensor: $0.tensor) }
        // Validate the optimizer state on a scratch copy's terms first: restoreState checks shapes
        // before changing anything, and load(from:) does the same for parameters.
        let previous = optimizer.stateArrays
        try optimizer.restoreState(state)
        do { try load(from: path) } catch { try? optimizer.restoreState(previous); throw error }
    }
}
