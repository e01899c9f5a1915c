import Autograd
import Random
import Tensors

/// The computations layers delegate: activation, convolution, pooling, dropout, and batch and
/// layer normalization.
///
/// The protocol's default implementations are the engine's, so `EngineBackend` is an empty
/// conformer and another backend overrides only what it provides (a front end can install
/// one that runs code written elsewhere, such as exercise solutions). A layer uses the
/// backend it was given (`Module.backend`), else the one active for the running task
/// (`LayerBackends.active`, the engine unless a caller scoped another).
public protocol LayerBackend: Sendable {
    /// How the backend is named to the user (`"reference"` for the engine's).
    var name: String { get }
    /// `max(0, x)`.
    func relu<S: TensorScalar>(_ x: Variable<S>) throws -> Variable<S>
    /// 2-D convolution of NCHW `x` with `K × C × R × S` filters, zero padding.
    func conv2d<S: TensorScalar>(_ x: Variable<S>, weight: Variable<S>, bias: Variable<S>?, stride: Int, pad: Int) throws -> Variable<S>
    /// Max over `size × size` windows.
    func maxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S>
    /// `maxPool2d(relu(x))`: what `Sequential` asks for when a ReLU layer is followed by max
    /// pooling. The default composes this backend's own `relu` and `maxPool2d`; the engine's
    /// is one fused node.
    func reluMaxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S>
    /// Inverted dropout in training: each unit is kept with probability `p` (mask 1) and
    /// scaled by `1/p`; returns the mask with the output.
    func invertedDropout<S: TensorScalar>(_ x: Variable<S>, keep p: S, generator: inout SeededGenerator) throws -> (output: Variable<S>, mask: Tensor<S>)
    /// Batch normalization in train mode over `axes`:
    /// `y = γ · (x − μ_B) / √(σ²_B + ε) + β` with the biased batch variance; returns the
    /// batch mean and variance for the running averages.
    func batchNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, axes: [Int], epsilon: S) throws
        -> (output: Variable<S>, mean: Tensor<S>, variance: Tensor<S>)
    /// Layer normalization of each row of an `N × D` input:
    /// `y = γ · (x − μ_row) / √(σ²_row + ε) + β` with the biased row variance.
    func layerNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, epsilon: S) throws -> Variable<S>
}

extension LayerBackend {
    public func relu<S: TensorScalar>(_ x: Variable<S>) throws -> Variable<S> { x.relu() }

    public func conv2d<S: TensorScalar>(_ x: Variable<S>, weight: Variable<S>, bias: Variable<S>?, stride: Int, pad: Int) throws -> Variable<S> {
        try x.conv2d(weight, bias: bias, stride: stride, pad: pad)
    }

    public func maxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S> {
        try x.maxPool2d(size: size, stride: stride, pad: pad)
    }

    public func reluMaxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S> {
        try maxPool2d(relu(x), size: size, stride: stride, pad: pad)
    }

    public func invertedDropout<S: TensorScalar>(_ x: Variable<S>, keep p: S, generator: inout SeededGenerator) throws -> (output: Variable<S>, mask: Tensor<S>) {
        let mask = try Tensor<S>.bernoulliMask(x.shape, keep: Double(p), using: &generator)
        return (try x * Variable(mask / p), mask)
    }

    /// The fused kernel (one graph node, closed-form backward) for statistics per channel,
    /// `axes` `[0]` of `N × C` or `[0, 2, 3]` of `N × C × H × W`; other axes are composed.
    public func batchNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, axes: [Int], epsilon: S) throws
        -> (output: Variable<S>, mean: Tensor<S>, variance: Tensor<S>)
    {
        let perChannel = (x.shape.count == 2 && axes == [0]) || (x.shape.count == 4 && axes == [0, 2, 3])
        guard perChannel, scale.shape == shift.shape else {
            return try composedBatchNorm(x, scale: scale, shift: shift, axes: axes, epsilon: epsilon)
        }
        return try x.batchNormalized(scale: scale, shift: shift, epsilon: epsilon)
    }

    /// The fused kernel for `N × D` input with `D` scales and shifts.
    public func layerNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, epsilon: S) throws -> Variable<S> {
        guard x.shape.count == 2, scale.value.count == x.shape[1], shift.value.count == x.shape[1] else {
            return try composedLayerNorm(x, scale: scale, shift: shift, epsilon: epsilon)
        }
        return try x.layerNormalized(scale: scale, shift: shift, epsilon: epsilon)
    }

    /// Batch normalization composed from differentiable mean and variance, so the gradient
    /// flows through the batch statistics node by node: the fused kernel's reference twin.
    public func composedBatchNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, axes: [Int], epsilon: S) throws
        -> (output: Variable<S>, mean: Tensor<S>, variance: Tensor<S>)
    {
        let mean = try x.mean(axes: axes, keepDims: true)
        let variance = try x.variance(axes: axes, keepDims: true)
        let normalized = try (x - mean) / (variance + epsilon).sqrt()
        return (try normalized * scale + shift, mean.value, variance.value)
    }

    /// Layer normalization composed from differentiable row means and variances: the fused
    /// kernel's reference twin.
    public func composedLayerNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, epsilon: S) throws -> Variable<S> {
        let mean = try x.mean(axes: [1], keepDims: true)
        let variance = try x.variance(axes: [1], keepDims: true)
        return try (x - mean) / (variance + epsilon).sqrt() * scale + shift
    }
}

/// The engine's own computations.
public struct EngineBackend: LayerBackend {
    public init() {}
    public var name: String { "reference" }

    /// One node (`Variable.reluMaxPool2d`): no rectified copy of `x`, and no pass over it.
    public func reluMaxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S> {
        try x.reluMaxPool2d(size: size, stride: stride, pad: pad)
    }
}

/// The backend in force for the running task.
public enum LayerBackends {
    /// Layers without a backend of their own use this one; `withValue` scopes another.
    @TaskLocal public static var active: any LayerBackend = EngineBackend()
}
