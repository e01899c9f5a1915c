import NeuralNet
import Optimizers
import Tensors

/// An optimizer whose update rule is the student's, applied in Double precision.
final class StudentOptimizer: Optimizer<Float> {
    let rule: (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double) throws -> Void
    let ruleName: String
    var studentState: [[Tensor<Double>]]

    init(
        parameters: [Parameter<Float>], learningRate: Double, slotNames: [String], name: String,
        rule: @escaping (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double) throws -> Void
    ) {
        self.rule = rule
        self.ruleName = name
        studentState = parameters.map { p in slotNames.map { _ in (try? Tensor<Double>.zeros(p.variable.shape))! } }
        super.init(parameters: parameters, learningRate: learningRate, slotNames: [])
    }

    override var name: String { "\(ruleName) (homework)" }

    override func step() throws {
        iteration += 1
        for (i, p) in parameters.enumerated() {
            guard let g = p.variable.grad else { continue }
            var w: Tensor<Double> = p.variable.value.converted()
            try rule(&w, g.converted(), &studentState[i], iteration, learningRate)
            p.variable.value = w.converted()
        }
    }
}
