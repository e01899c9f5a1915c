import Autograd
import Tensors

/// Penalties on weights, as a differentiable loss term and as their gradient.
///
/// ```
/// L2:          R = λ/2 · ‖W‖²             ∂R/∂W = λ W          (weight decay)
/// L1:          R = λ · ‖W‖₁               ∂R/∂W = λ sign(W)
/// elastic net: R = λ₁‖W‖₁ + λ₂/2 · ‖W‖²   ∂R/∂W = λ₁ sign(W) + λ₂ W
/// ```
/// The course has one L2 convention, ½·λ·‖W‖², here, in the lessons and in the homework;
/// it is PyTorch's `weight_decay = λ` and CS231n's fully connected nets' `0.5 * reg * ΣW²`.
/// Biases and normalization parameters are excluded unless `includeBiases` is set.
public enum Regularizer: Sendable, Equatable {
    case none
    case l2(Double)
    case l1(Double)
    case elasticNet(l1: Double, l2: Double)

    /// The penalty over `parameters` as a variable to add to the data loss.
    public func penalty<Scalar: TensorScalar>(_ parameters: [Parameter<Scalar>], includeBiases: Bool = false) throws -> Variable<Scalar> {
        var total = Variable(Tensor<Scalar>(0))
        let (l1, l2) = strengths
        for p in parameters where includeBiases || p.role == .weight {
            let w = p.variable
            // A zero strength adds exactly 0 to the loss and to every gradient: no graph for it.
            if l1 != 0 { total = try total + w.abs().sum() * Scalar(l1) }
            if l2 != 0 { total = try total + w.squaredNorm() * Scalar(l2 / 2) }
        }
        return total
    }

    /// `(λ₁, λ₂)`: the L1 and L2 strengths, 0 for a term the penalty does not have.
    public var strengths: (l1: Double, l2: Double) {
        switch self {
        case .none: (0, 0)
        case .l2(let lambda): (0, lambda)
        case .l1(let lambda): (lambda, 0)
        case .elasticNet(let l1, let l2): (l1, l2)
        }
    }

    /// True when the penalty is 0 for every weight (`.none`, or every strength 0).
    public var isZero: Bool { strengths == (0, 0) }

    /// `∂R/∂W` for one weight tensor.
    public func gradient<Scalar: TensorScalar>(_ w: Tensor<Scalar>) -> Tensor<Scalar> {
        let sign = w.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
        switch self {
        case .none: return w.map { _ in 0 }
        case .l2(let lambda): return w * Scalar(lambda)
        case .l1(let lambda): return sign * Scalar(lambda)
        case .elasticNet(let l1, let l2): return try! sign * Scalar(l1) + w * Scalar(l2)
        }
    }
}

/// Max-norm constraint: after each update, rescales every unit's incoming weight vector whose
/// norm exceeds `c` back onto the ball `‖w‖₂ ≤ c`. Units are columns of a linear layer's
/// `inputs × outputs` weight and filters (first axis) of a conv weight.
public func maxNormProject<Scalar: TensorScalar>(_ weight: inout Tensor<Scalar>, maxNorm c: Scalar) throws {
    switch weight.rank {
    case 2:
        let norms = try (weight * weight).sum(axes: [0], keepDims: true).sqrt()
        weight = try weight * norms.map { $0 > c ? c / $0 : 1 }
    case 4:
        let norms = try (weight * weight).sum(axes: [1, 2, 3], keepDims: true).sqrt()
        weight = try weight * norms.map { $0 > c ? c / $0 : 1 }
    default:
        throw ModelError.invalid("max-norm: expected a linear (2-D) or conv (4-D) weight, got shape \(weight.shape)")
    }
}

extension Regularizer {
    /// The names a front end accepts: `l2`, `l1`, `elastic` (`elastic_net`, both terms with
    /// the same strength) and `none`.
    public static let names = ["l2", "l1", "elastic", "elastic_net", "none"]

    public init(name: String, strength: Double) throws {
        switch name {
        case "none": self = .none
        case "l2": self = .l2(strength)
        case "l1": self = .l1(strength)
        case "elastic", "elastic_net": self = .elasticNet(l1: strength, l2: strength)
        default: throw ModelError.invalid("unknown regularization \"\(name)\"; choose l2, l1, elastic or none")
        }
    }
}
