import Tensors

/// Batch and layer normalization as single graph nodes, backed by the fused kernels: one
/// forward pass and one closed-form backward pass instead of the dozen nodes the composed
/// formula makes (see `BatchNormKernel` and `LayerNormKernel` for the math).
extension Variable {
    /// Training-mode batch normalization with statistics per channel of an `N × C` or
    /// `N × C × H × W` input; also returns the batch mean and biased variance (in `scale`'s
    /// shape) for the running averages. Gradients flow to the input, `scale` and `shift`.
    public func batchNormalized(scale: Variable, shift: Variable, epsilon: Scalar) throws
        -> (output: Variable, mean: Tensor<Scalar>, variance: Tensor<Scalar>)
    {
        let x = value, gamma = scale.value
        let (y, mean, variance) = try x.batchNormalized(scale: gamma, shift: shift.value, epsilon: epsilon)
        let needInput = requiresGrad
        let output = Variable(y, op: "batch_norm", parents: [self, scale, shift]) { g in
            let (dx, dScale, dShift) = try Tensor.batchNormBackward(
                input: x, outputGradient: g, scale: gamma, mean: mean, variance: variance,
                epsilon: epsilon, needInput: needInput)
            return [dx, dScale, dShift]
        }
        return (output, mean, variance)
    }

    /// Layer normalization of each row of an `N × D` input with `scale` and `shift` per
    /// feature. Gradients flow to the input, `scale` and `shift`.
    public func layerNormalized(scale: Variable, shift: Variable, epsilon: Scalar) throws -> Variable {
        let x = value, gamma = scale.value
        let (y, mean, variance) = try x.layerNormalized(scale: gamma, shift: shift.value, epsilon: epsilon)
        let needInput = requiresGrad
        return Variable(y, op: "layer_norm", parents: [self, scale, shift]) { g in
            let (dx, dScale, dShift) = try Tensor.layerNormBackward(
                input: x, outputGradient: g, scale: gamma, mean: mean, variance: variance,
                epsilon: epsilon, needInput: needInput)
            return [dx, dScale, dShift]
        }
    }
}
