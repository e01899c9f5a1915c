import Random

extension Tensor {
    /// A tensor of `shape` with every element `value`.
    public static func full(_ shape: [Int], _ value: Scalar) throws -> Tensor {
        try validate(shape, "full")
        return Tensor(uncheckedShape: shape, scalars: [Scalar](repeating: value, count: shape.reduce(1, *)))
    }

    public static func zeros(_ shape: [Int]) throws -> Tensor { try full(shape, 0) }
    public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, 1) }

    /// `start, start + step, …` up to but excluding `end`, as in NumPy.
    public static func arange(_ start: Scalar, _ end: Scalar, step: Scalar = 1) throws -> Tensor {
        try arange(from: Double(start), to: Double(end), step: Double(step))
    }

    /// `start, start + step, …` up to (not including) `end`, with the count and every value
    /// computed in Double and rounded once to the element type (so `arange(1e10, 1e10 + 10)`
    /// has 10 elements even in Float32, where 1e10 + 1 rounds to 1e10).
    public static func arange(from start: Double, to end: Double, step: Double = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange: step must be non-zero and start, end and step finite")
        }
        // Negative when the range runs the wrong way (empty); compared as a Double before
        // any conversion, since it may be ±1e300.
        let n = Swift.max(0, ((end - start) / step).rounded(.up))
        guard n <= Double(SizeBudget.maximumElements) else {
            throw TensorError("arange: \(String(format: "%.3g", n)) elements are too many (at most \(SizeBudget.maximumElements))")
        }
        return Tensor((0..<Int(n)).map { Scalar(start + Double($0) * step) })
    }

    /// `count` evenly spaced values from `start` to `end`, both included, computed in Double
    /// (`start + (end − start)·i/(count − 1)`) and rounded once, so both ends are exact.
    public static func linspace(_ start: Double, _ end: Double, count: Int) throws -> Tensor {
        guard count >= 0 else { throw TensorError("linspace: count must be ≥ 0, got \(count)") }
        guard start.isFinite, end.isFinite else { throw TensorError("linspace: start and end must be finite") }
        if count == 1 { return Tensor([Scalar(start)]) }
        let span = end - start, last = Double(count - 1)
        return Tensor((0..<count).map { i in i == count - 1 ? Scalar(end) : Scalar(start + span * (Double(i) / last)) })
    }

    /// The `n × n` identity matrix.
    public static func eye(_ n: Int) throws -> Tensor {
        var t = try zeros([n, n])
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// Uniform samples in `[low, high)` from `generator`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func rand(
        _ shape: [Int], low: Scalar = 0, high: Scalar = 1,
        using generator: inout SeededGenerator
    ) throws -> Tensor {
        try validate(shape, "rand")
        let n = shape.reduce(1, *)
        let span = Double(high - low), lo = Double(low)
        // Filled in place: one allocation for the tensor, none per element.
        let scalars = [Scalar](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Scalar(lo + span * generator.nextUniform()) }
            count = n
        }
        return Tensor(uncheckedShape: shape, scalars: scalars)
    }

    /// Normal samples with the given mean and standard deviation from `generator`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public static func randn(
        _ shape: [Int], mean: Scalar = 0, std: Scalar = 1,
        using generator: inout SeededGenerator
    ) throws -> Tensor {
        try validate(shape, "randn")
        let n = shape.reduce(1, *)
        let m = Double(mean), s = Double(std)
        let scalars = [Scalar](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Scalar(m + s * generator.nextNormal()) }
            count = n
        }
        return Tensor(uncheckedShape: shape, scalars: scalars)
    }

    static func validate(_ shape: [Int], _ op: String) throws {
        _ = try SizeBudget.elements(shape, op)
    }
}
