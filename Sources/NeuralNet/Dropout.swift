import Autograd
import Random
import Tensors

/// Dropout (Srivastava et al., 2014) with `p` the probability of **keeping** a unit, as in
/// the course.
///
/// Both conventions give the same expected activation at train and test time:
/// ```
/// testTimeScaling:  train  y = m ⊙ x          test  y = p · x
/// inverted:         train  y = m ⊙ x / p      test  y = x
/// m ~ Bernoulli(p) per unit, drawn anew on every forward pass
/// ```
/// Inverted dropout leaves prediction code untouched, which is why it is the usual choice.
public final class Dropout<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public enum Convention: Sendable { case inverted, testTimeScaling }

    public let keepProbability: Scalar
    public let convention: Convention
    private var generator: SeededGenerator
    /// The mask of the last training forward pass (1 kept, 0 dropped), for inspection.
    public private(set) var lastMask: Tensor<Scalar>?

    public init(keepProbability p: Scalar, convention: Convention = .inverted, seed: UInt64 = 0) throws {
        guard p > 0 && p <= 1 else {
            throw ModelError.invalid("Dropout: the keep probability p must be in (0, 1], got \(p)")
        }
        keepProbability = p
        self.convention = convention
        generator = SeededGenerator(seed: seed)
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let p = keepProbability
        guard training else {
            return convention == .testTimeScaling ? x * p : x
        }
        if convention == .inverted {
            let (out, mask) = try activeBackend.invertedDropout(x, keep: p, generator: &generator)
            lastMask = mask
            return out
        }
        let mask = try Tensor<Scalar>.bernoulliMask(x.shape, keep: Double(p), using: &generator)
        lastMask = mask
        return try x * Variable(mask)
    }

    public override var inspectable: [(name: String, tensor: Tensor<Scalar>)] { lastMask.map { [("mask", $0)] } ?? [] }

    public static var typeName: String { "Dropout" }

    public override var layerDescription: LayerDescription {
        LayerDescription(Self.typeName, ["p": Double(keepProbability), "inverted": convention == .inverted ? 1 : 0])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        try Dropout(
            keepProbability: Scalar(try d.number("p")), convention: d.flag("inverted", default: true) ? .inverted : .testTimeScaling,
            seed: g.next())
    }

    public override var summary: String {
        "Dropout(keep \(keepProbability), \(convention == .inverted ? "inverted" : "test-time scaling"))"
    }
}

extension Tensor {
    /// A dropout mask: each entry is 1 with probability `keep`, else 0, drawn in order from
    /// `generator` (so the same seed gives the same mask in every caller).
    public static func bernoulliMask(_ shape: [Int], keep: Double, using generator: inout SeededGenerator) throws -> Tensor {
        var mask = try Tensor.zeros(shape)
        for i in 0..<mask.count where generator.nextUniform() < keep { mask.scalars[i] = 1 }
        return mask
    }
}
