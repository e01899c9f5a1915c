import Autograd
import NeuralNet
import Tensors

extension Dataset {
    /// Fraction of (the first `limit`) examples that `model` classifies correctly, evaluated in
    /// evaluation mode, without a graph, 500 examples at a time.
    public func accuracy(of model: Module<Scalar>, limit: Int? = nil) throws -> Double {
        let n = min(count, limit ?? count)
        guard n > 0 else { return 0 }
        let wasTraining = model.training
        model.training = false
        defer { model.training = wasTraining }
        var correct = 0.0
        try withoutGradient {
            for start in stride(from: 0, to: n, by: 500) {
                let idx = Array(start..<min(start + 500, n))
                let scores = try model(inputs.take(idx)).value
                correct += try Autograd.accuracy(scores: scores, labels: idx.map { labels[$0] }) * Double(idx.count)
            }
        }
        return correct / Double(n)
    }
}
