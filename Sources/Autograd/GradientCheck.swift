import Random
import Tensors

/// How a gradient check went, in the course's bands of relative error.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
    /// One compared entry.
    public struct Entry: Sendable {
        public var input: Int, index: Int
        public var analytic: Double, numeric: Double
        /// `|a − n| / max(1e-8, |a| + |n|)`.
        public var relativeError: Double
        /// Whether `f(x + h)` and `f(x − h)` made different non-smooth choices (a ReLU or max
        /// winner changed): the finite difference is then not a derivative, so the entry is
        /// reported but left out of `maxRelativeError`.
        public var crossedKink: Bool
    }

    /// CS231n's reading of a relative error.
    public enum Band: String, Sendable {
        case great = "great (< 1e-7)"
        case fine = "look closer (1e-7 … 1e-4): fine for nets with kinks, suspicious otherwise"
        case suspicious = "probably wrong (1e-4 … 1e-2)"
        case wrong = "wrong (> 1e-2)"

        public init(_ error: Double) {
            switch error {
            case ..<1e-7: self = .great
            case ..<1e-4: self = .fine
            case ..<1e-2: self = .suspicious
            default: self = .wrong
            }
        }
    }

    public var entries: [Entry]

    /// The largest relative error over entries that did not cross a kink.
    public var maxRelativeError: Double {
        entries.filter { !$0.crossedKink }.map(\.relativeError).max() ?? 0
    }

    public var kinkCrossings: Int { entries.filter(\.crossedKink).count }
    public var band: Band { Band(maxRelativeError) }

    public var description: String {
        var s = "gradient check: \(entries.count) entries, max relative error \(maxRelativeError): \(band.rawValue)"
        if kinkCrossings > 0 {
            s += "\n  \(kinkCrossings) entries crossed a kink (a ReLU/max choice changed between x+h and x−h); their finite differences were not used"
        }
        if let worst = entries.filter({ !$0.crossedKink }).max(by: { $0.relativeError < $1.relativeError }),
            worst.relativeError >= 1e-7
        {
            s += "\n  worst: input \(worst.input) entry \(worst.index): analytic \(worst.analytic), numeric \(worst.numeric)"
        }
        return s
    }
}

/// Compares the gradients `backward()` computes with centered finite differences in Float64.
public enum GradientCheck {
    /// Checks `f` at `inputs`.
    ///
    /// A non-scalar output `y` is reduced with a fixed random upstream gradient `u`, checking
    /// the vector-Jacobian product `uᵀ ∂y/∂x`. For each input, `samplesPerInput` entries are
    /// drawn at random (every entry when nil) and compared:
    /// ```
    /// numeric = (F(x + h·eᵢ) − F(x − h·eᵢ)) / 2h,   F(x) = Σ u ⊙ f(x)
    /// ```
    public static func check(
        _ inputs: [Tensor<Double>], samplesPerInput: Int? = nil, step h: Double = 1e-5, seed: UInt64 = 0,
        _ f: ([Variable<Double>]) throws -> Variable<Double>
    ) throws -> GradientCheckReport {
        var generator = SeededGenerator(seed: seed)
        let variables = inputs.map { Variable($0, requiresGrad: true) }
        let output = try f(variables)
        let upstream =
            output.value.count == 1
            ? try Tensor<Double>.ones(output.shape)
            : try Tensor<Double>.randn(output.shape, using: &generator)
        try output.backward(upstream)

        // Returns f's output itself: the difference F(x+h) − F(x−h) is then formed entrywise,
        // so outputs that x did not touch cancel exactly instead of adding rounding noise.
        func evaluate(_ values: [Tensor<Double>]) throws -> ([Double], [Int]) {
            let (y, kinks) = try KinkRecorder.recording {
                try withoutGradient { try f(values.map { Variable($0) }).value }
            }
            guard y.shape == upstream.shape else {
                throw TensorError("gradient check: the function's output shape changed from \(upstream.shape) to \(y.shape)")
            }
            return (y.scalars, kinks)
        }

        var entries: [GradientCheckReport.Entry] = []
        for (i, input) in inputs.enumerated() {
            let analytic = try variables[i].grad ?? Tensor<Double>.zeros(input.shape)
            var indices = Array(0..<input.count)
            if let k = samplesPerInput, k < input.count {
                indices.shuffle(using: &generator)
                indices = Array(indices.prefix(k)).sorted()
            }
            for index in indices {
                var values = inputs
                values[i].scalars[index] = input.scalars[index] + h
                let (plus, kinksPlus) = try evaluate(values)
                values[i].scalars[index] = input.scalars[index] - h
                let (minus, kinksMinus) = try evaluate(values)
                var difference = 0.0
                for j in 0..<plus.count where plus[j] != minus[j] {
                    difference += upstream.scalars[j] * (plus[j] - minus[j])
                }
                let numeric = difference / (2 * h)
                let a = analytic.scalars[index]
                let relative = Swift.abs(a - numeric) / Swift.max(1e-8, Swift.abs(a) + Swift.abs(numeric))
                entries.append(
                    .init(
                        input: i, index: index, analytic: a, numeric: numeric,
                        relativeError: relative, crossedKink: kinksPlus != kinksMinus))
            }
        }
        return GradientCheckReport(entries: entries)
    }
}
