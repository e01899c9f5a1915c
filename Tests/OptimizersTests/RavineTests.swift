import NeuralNet
import Optimizers
import Testing

@Suite struct RavineTests {
    let ravine = Ravine(a: 1, b: 50, start: (-4, 1))
    let rates = [1e-3, 3e-3, 1e-2, 2e-2, 3e-2, 1e-1, 3e-1]

    @Test func momentumAndAdamBeatPlainSGDAtEqualBudget() throws {
        let sgd = try ravine.bestFinalLoss(steps: 60, rates: rates) { SGD(parameters: [$0], learningRate: $1) }
        let momentum = try ravine.bestFinalLoss(steps: 60, rates: rates) {
            Momentum(parameters: [$0], learningRate: $1, momentum: 0.9)
        }
        let adam = try ravine.bestFinalLoss(steps: 60, rates: rates) { Adam(parameters: [$0], learningRate: $1) }
        #expect(momentum.loss < sgd.loss / 5, "momentum \(momentum) vs sgd \(sgd)")
        #expect(adam.loss < sgd.loss, "adam \(adam) vs sgd \(sgd)")
    }

    @Test func sgdAboveTheStabilityLimitDiverges() throws {
        // Plain SGD on a quadratic is stable only for lr < 2/b = 0.04.
        let path = try ravine.path(SGD(parameters: [ravine.makeParameter()], learningRate: 0.05), steps: 50)
        #expect(path.last!.loss > path.first!.loss)
        let stable = try ravine.path(SGD(parameters: [ravine.makeParameter()], learningRate: 0.03), steps: 50)
        #expect(stable.last!.loss < stable.first!.loss)
        #expect(stable.count == 51)
    }
}
