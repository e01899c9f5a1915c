import Random
import Tensors

/// How a weight tensor is filled at construction.
///
/// `fanIn` is the number of inputs feeding one unit (`inputs` for a linear layer,
/// `C·R·S` for a conv filter), `fanOut` the number of units each input feeds.
public enum Initializer: Sendable, Equatable {
    /// `std · N(0, 1)`: the course's first try (`0.001`, `0.0001` on the slides).
    case gaussian(std: Double)
    /// Uniform in `[low, high)`.
    case uniform(low: Double, high: Double)
    /// Glorot and Bengio (2010): `N(0, 2 / (fanIn + fanOut))`, keeps variance through tanh.
    case xavier
    /// He et al. (2015): `N(0, 2 / fanIn)`, keeps variance through ReLU.
    case he
    /// All zeros (biases).
    case zeros

    public func make<Scalar: TensorScalar>(
        _ shape: [Int], fanIn: Int, fanOut: Int,
        using generator: inout SeededGenerator
    ) throws -> Tensor<Scalar> {
        switch self {
        case .gaussian(let std):
            return try .randn(shape, std: Scalar(std), using: &generator)
        case .uniform(let low, let high):
            return try .rand(shape, low: Scalar(low), high: Scalar(high), using: &generator)
        case .xavier:
            return try .randn(shape, std: Scalar((2.0 / Double(fanIn + fanOut)).squareRoot()), using: &generator)
        case .he:
            return try .randn(shape, std: Scalar((2.0 / Double(max(1, fanIn))).squareRoot()), using: &generator)
        case .zeros:
            return try .zeros(shape)
        }
    }
}

extension Initializer {
    /// The names a front end accepts: `gaussian` (also `normal`, `small`, with `std`),
    /// `xavier` (`glorot`), `he` (`kaiming`) and `zeros`.
    public static let names = ["gaussian", "normal", "small", "xavier", "glorot", "he", "kaiming", "zeros"]

    /// The initializer a name stands for; `std` is the gaussian's.
    public init(name: String, std: Double) throws {
        switch name {
        case "gaussian", "normal", "small": self = .gaussian(std: std)
        case "xavier", "glorot": self = .xavier
        case "he", "kaiming": self = .he
        case "zeros": self = .zeros
        default: throw ModelError.invalid("unknown initialization \"\(name)\"; choose gaussian (with std:), xavier, he or zeros")
        }
    }
}
