import Autograd
import Tensors
import Testing

/// Expects the gradients `backward()` gives for `f` at `inputs` to match centered
/// differences in Float64 (see `GradientCheck`): every checked entry's relative error below
/// `tolerance`, and at least one entry that did not cross a kink. `samples` entries per
/// input are checked (all when nil); failures are reported at the caller's line.
public func expectGradientsMatch(
    _ inputs: [Tensor<Double>], tolerance: Double = 1e-7, samples: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ f: ([Variable<Double>]) throws -> Variable<Double>
) throws {
    let report = try GradientCheck.check(inputs, samplesPerInput: samples, f)
    #expect(report.maxRelativeError < tolerance, "\(report)", sourceLocation: sourceLocation)
    #expect(report.entries.count > report.kinkCrossings, "every entry crossed a kink", sourceLocation: sourceLocation)
}
