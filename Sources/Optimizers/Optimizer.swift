import Autograd
import NeuralNet
import Tensors

/// A per-parameter update rule with inspectable state.
///
/// Subclasses implement `update(parameter:weights:gradient:state:)`, which changes one
/// parameter's elements in place given its gradient and its state slots (velocity, caches,
/// moments — named by `slotNames`). `step()` applies the rule to every parameter that has
/// a gradient. The trainer sets `learningRate` before each step from its schedule.
open class Optimizer<Scalar: TensorScalar> {
    /// The parameters this optimizer updates, in model order.
    public let parameters: [Parameter<Scalar>]
    /// The step size used by the next `step()`.
    public var learningRate: Double
    /// Weight decay, applied as each rule defines it (coupled L2 for SGD/Adam, decoupled for AdamW).
    public var weightDecay: Double
    /// Number of steps taken so far.
    public var iteration = 0
    /// Names of the per-parameter state slots, e.g. `["velocity"]` or `["m", "v"]`.
    public let slotNames: [String]
    /// Scalar state that is not per weight (e.g. running sums), saved with the slots.
    public var counters: [String: Double] = [:]
    /// Optional annealed Gaussian noise added to every gradient before the update.
    public var gradientNoise: GradientNoise?
    /// `state[p][s]` holds slot `s` of parameter `p`, one element per weight.
    var state: [[[Scalar]]]

    public init(parameters: [Parameter<Scalar>], learningRate: Double, weightDecay: Double = 0, slotNames: [String]) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.slotNames = slotNames
        self.state = Array(repeating: [], count: parameters.count)
    }

    /// A short name for tables and messages, e.g. `"adam"`.
    open var name: String { String(describing: type(of: self)).lowercased() }

    /// The hyperparameters as `name=value` text.
    open var hyperparameters: [(String, Double)] { [("lr", learningRate), ("weight_decay", weightDecay)] }

    /// Changes `weights` in place. `state` has one array per slot, each as long as `weights`.
    open func update(parameter index: Int, weights: inout [Scalar], gradient: [Scalar], state: inout [[Scalar]]) {
        fatalError("\(type(of: self)) must override update(parameter:weights:gradient:state:)")
    }

    /// Fills a parameter's slots before its first update; zeros unless overridden.
    open func initialState(weights: [Scalar]) -> [[Scalar]] {
        slotNames.map { _ in [Scalar](repeating: 0, count: weights.count) }
    }

    /// Applies the update rule once to every parameter with a gradient.
    open func step() throws {
        iteration += 1
        for (i, p) in parameters.enumerated() {
            guard var g = p.variable.grad else { continue }
            if gradientNoise != nil { gradientNoise!.perturb(&g.scalars, iteration: iteration) }
            guard g.shape == p.variable.shape else {
                throw OptimizerError.shape("\(name): gradient of \(p.name)", expected: p.variable.shape, got: g.shape)
            }
            if state[i].isEmpty { state[i] = initialState(weights: p.variable.value.scalars) }
            update(parameter: i, weights: &p.variable.value.scalars, gradient: g.scalars, state: &state[i])
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() { parameters.forEach { $0.variable.zeroGrad() } }

    /// One slot's state for every parameter, keyed by parameter name (empty before the first step).
    public func slot(_ slotName: String) -> [String: Tensor<Scalar>] {
        guard let s = slotNames.firstIndex(of: slotName) else { return [:] }
        var result: [String: Tensor<Scalar>] = [:]
        for (i, p) in parameters.enumerated() where !state[i].isEmpty {
            result[p.name] = try? Tensor(shape: p.variable.shape, scalars: state[i][s])
        }
        return result
    }

    /// Every slot as `(slot/parameter, tensor)` pairs plus the step count, for saving.
    public var stateArrays: [(name: String, tensor: Tensor<Scalar>)] {
        var arrays: [(name: String, tensor: Tensor<Scalar>)] = [("iteration", Tensor(Scalar(iteration)))]
        for (key, value) in counters.sorted(by: { $0.key < $1.key }) { arrays.append(("counter/\(key)", Tensor(Scalar(value)))) }
        for (i, p) in parameters.enumerated() where !state[i].isEmpty {
            for (s, slotName) in slotNames.enumerated() {
                arrays.append(("\(slotName)/\(p.name)", (try? Tensor(shape: p.variable.shape, scalars: state[i][s]))!))
            }
        }
        return arrays
    }

    /// Restores state saved by `stateArrays`; checks every shape before changing anything.
    public func restoreState(_ arrays: [(name: String, tensor: Tensor<Scalar>)]) throws {
        let byName = Dictionary(arrays.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        var restored = state
        for (i, p) in parameters.enumerated() {
            let slots = slotNames.map { byName["\($0)/\(p.name)"] }
            if slots.allSatisfy({ $0 == nil }) { restored[i] = []; continue }
            var arraysForParameter: [[Scalar]] = []
            for (s, t) in slots.enumerated() {
                guard let t else { throw OptimizerError.invalid("optimizer state has no \(slotNames[s]) for \(p.name)") }
                guard t.shape == p.variable.shape else {
                    throw OptimizerError.shape("optimizer state \(slotNames[s])/\(p.name)", expected: p.variable.shape, got: t.shape)
                }
                arraysForParameter.append(t.scalars)
            }
            restored[i] = arraysForParameter
        }
        state = restored
        for (name, t) in byName where name.hasPrefix("counter/") {
            counters[String(name.dropFirst("counter/".count))] = t.scalars.first.map { Double($0) } ?? 0
        }
        if let t = byName["iteration"], let v = t.scalars.first { iteration = Int(Double(v)) }
    }

    /// Switches the model's weights to the sequence used for evaluation (schedule-free methods
    /// keep two; others do nothing).
    open func prepareForEvaluation() {}
    /// Switches back to the sequence at which gradients are taken.
    open func prepareForTraining() {}
}

extension Optimizer: CustomStringConvertible {
    public var description: String {
        let hp = hyperparameters.map { "\($0.0)=\(formatHyperparameter($0.1))" }.joined(separator: ", ")
        return "\(name)(\(hp)) on \(parameters.count) parameters, step \(iteration)"
    }
}

func formatHyperparameter(_ v: Double) -> String {
    if v == v.rounded() && abs(v) < 1e6 { return String(Int(v)) }
    if abs(v) >= 1e-3 && abs(v) < 1e4 { return String(v) }
    return String(format: "%.1e", v)
}
