import Kernels

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
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange: step must be non-zero and all bounds finite")
        }
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor((0..<n).map { start + Scalar($0) * step })
    }

    /// `count` evenly spaced values from `start` to `end`, both included.
    public static func linspace(_ start: Scalar, _ end: Scalar, count: Int) throws -> Tensor {
        guard count >= 0 else { throw TensorError("linspace: count must be ≥ 0, got \(count)") }
        if count == 1 { return Tensor([start]) }
        let step = (end - start) / Scalar(count - 1)
        return Tensor((0..<count).map { i in i == count - 1 ? end : start + Scalar(i) * step })
    }

    /// The `n × n` identity matrix.
    public static func eye(_ n: Int) throws -> Tensor {
        var t = try zeros([n, n])
        for i in 0..<n { t.scalars[i * n + i] = 1 }
        return t
    }

    /// Uniform samples in `[low, high)` from `generator`.
    public static func rand(_ shape: [Int], low: Scalar = 0, high: Scalar = 1,
                            using generator: inout SeededGenerator) throws -> Tensor {
        try validate(shape, "rand")
        let n = shape.reduce(1, *)
        let span = Double(high - low), lo = Double(low)
        return Tensor(uncheckedShape: shape,
                      scalars: (0..<n).map { _ in Scalar(lo + span * generator.nextUniform()) })
    }

    /// Normal samples with the given mean and standard deviation from `generator`.
    public static func randn(_ shape: [Int], mean: Scalar = 0, std: Scalar = 1,
                             using generator: inout SeededGenerator) throws -> Tensor {
        try validate(shape, "randn")
        let n = shape.reduce(1, *)
        let m = Double(mean), s = Double(std)
        return Tensor(uncheckedShape: shape,
                      scalars: (0..<n).map { _ in Scalar(m + s * generator.nextNormal()) })
    }

    static func validate(_ shape: [Int], _ op: String) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError("\(op): shape \(shape) has a negative size")
        }
        guard shape.reduce(1.0, { $0 * Double($1) }) < 1e10 else {
            throw TensorError("\(op): shape \(shape) is too large to allocate")
        }
    }
}
