import NeuralNet
import Optimizers
import Tensors

/// The update rules the trainer can build by name (`update: "adam"`).
public enum UpdateRule: String, Sendable, CaseIterable {
    case sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw
    case scheduleFreeSGD = "schedule_free_sgd"
    case scheduleFreeAdamW = "schedule_free_adamw"

    /// Parses a name, with a message listing the choices when it is unknown.
    public init(name: String) throws {
        guard let rule = UpdateRule(rawValue: name.lowercased()) else {
            throw TensorError("unknown update rule \"\(name)\"; choose one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = rule
    }

    /// A fresh optimizer of this kind over `parameters`.
    public func make<Scalar: TensorScalar>(parameters: [Parameter<Scalar>], learningRate: Double,
                                           momentum: Double = 0.9, weightDecay: Double = 0) -> Optimizer<Scalar> {
        switch self {
        case .sgd: SGD(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .momentum: Momentum(parameters: parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .nesterov: Momentum(parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: true,
                                 weightDecay: weightDecay)
        case .adagrad: Adagrad(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .rmsprop: RMSprop(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .adam: Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .adamw: Adam.adamW(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .scheduleFreeSGD: ScheduleFree(parameters: parameters, base: .sgd, learningRate: learningRate,
                                            beta: momentum, weightDecay: weightDecay)
        case .scheduleFreeAdamW: ScheduleFree(parameters: parameters, base: .adamW, learningRate: learningRate,
                                              beta: momentum, weightDecay: weightDecay)
        }
    }
}
