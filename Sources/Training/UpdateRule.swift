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
            throw DataError.unknownName(kind: "update rule", given: name, choices: Self.allCases.map(\.rawValue))
        }
        self = rule
    }

    /// A fresh optimizer of this kind over `parameters`.
    public func make<Scalar: TensorScalar>(
        parameters: [Parameter<Scalar>], learningRate: Double,
        momentum: Double = 0.9, weightDecay: Double = 0
    ) -> Optimizer<Scalar> {
        switch self {
        case .sgd: SGD(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .momentum: Momentum(parameters: parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        case .nesterov:
            Momentum(
                parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: true,
                weightDecay: weightDecay)
        case .adagrad: Adagrad(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .rmsprop: RMSprop(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .adam: Adam(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .adamw: Adam.adamW(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .scheduleFreeSGD:
            ScheduleFree(
                parameters: parameters, base: .sgd, learningRate: learningRate,
                beta: momentum, weightDecay: weightDecay)
        case .scheduleFreeAdamW:
            ScheduleFree(
                parameters: parameters, base: .adamW, learningRate: learningRate,
                beta: momentum, weightDecay: weightDecay)
        }
    }

    /// A fresh optimizer of this kind with hyperparameters named as `Optimizer.hyperparameters`
    /// lists them (what a saved workspace records): names this rule does not use are ignored,
    /// missing ones take their defaults.
    public func make<Scalar: TensorScalar>(parameters: [Parameter<Scalar>], hyperparameters hp: [String: Double]) -> Optimizer<Scalar> {
        let lr = hp["lr"] ?? 1e-3, decay = hp["weight_decay"] ?? 0, eps = hp["eps"] ?? 1e-8
        switch self {
        case .sgd: return SGD(parameters: parameters, learningRate: lr, weightDecay: decay)
        case .momentum, .nesterov:
            return Momentum(
                parameters: parameters, learningRate: lr, momentum: hp["momentum"] ?? 0.9, nesterov: self == .nesterov,
                dampening: hp["dampening"] ?? 0, weightDecay: decay)
        case .adagrad:
            return Adagrad(
                parameters: parameters, learningRate: lr, epsilon: eps, learningRateDecay: hp["lr_decay"] ?? 0,
                initialAccumulator: hp["initial_accumulator_value"] ?? 0, weightDecay: decay)
        case .rmsprop:
            return RMSprop(
                parameters: parameters, learningRate: lr, decayRate: hp["decay_rate"] ?? 0.99, epsilon: eps,
                centered: (hp["centered"] ?? 0) != 0, weightDecay: decay)
        case .adam:
            return Adam(
                parameters: parameters, learningRate: lr, beta1: hp["beta1"] ?? 0.9, beta2: hp["beta2"] ?? 0.999, epsilon: eps,
                weightDecay: decay)
        case .adamw:
            return Adam.adamW(
                parameters: parameters, learningRate: lr, beta1: hp["beta1"] ?? 0.9, beta2: hp["beta2"] ?? 0.999,
                epsilon: eps, weightDecay: hp["weight_decay"] ?? 0.01)
        case .scheduleFreeSGD, .scheduleFreeAdamW:
            let warmup = hp["warmup"].flatMap { $0.isFinite && $0 >= 0 && $0 < 1e9 ? Int($0) : nil } ?? 0
            return ScheduleFree(
                parameters: parameters, base: self == .scheduleFreeSGD ? .sgd : .adamW, learningRate: lr,
                beta: hp["beta"] ?? 0.9, epsilon: eps, warmupSteps: warmup, r: hp["r"] ?? 0,
                weightLearningRatePower: hp["weight_lr_power"] ?? 2, weightDecay: decay)
        }
    }
}
