import Kernels
import Tensors

/// Convolution and pooling on NCHW variables, backed by the optimized kernels.
extension Variable {
    /// `conv2d(x, W) + b`: gradients by the kernels' backward pass (`dx` skipped when the
    /// input needs none, as for the first layer).
    public func conv2d(
        _ weight: Variable, bias: Variable? = nil, stride: Int = 1, pad: Int = 0,
        dilation: Int = 1
    ) throws -> Variable {
        let x = value, w = weight.value
        let y = try x.conv2d(w, bias: bias?.value, stride: stride, pad: pad, dilation: dilation)
        let needInput = requiresGrad
        let parents = [self, weight] + (bias.map { [$0] } ?? [])
        return Variable(y, op: "conv2d", parents: parents) { g in
            let (dx, dw, db) = try Tensor.conv2dBackward(
                input: x, weight: w, outputGradient: g, stride: stride, pad: pad,
                dilation: dilation, needInput: needInput)
            return [dx, dw] + (parents.count == 3 ? [db] : [])
        }
    }

    /// Max over `size × size` windows: `∂` routed to each window's winner.
    public func maxPool2d(size: Int = 2, stride: Int? = nil, pad: Int = 0) throws -> Variable {
        let shape = self.shape
        let (y, argmax) = try value.maxPool2d(size: size, stride: stride, pad: pad)
        KinkRecorder.note(KinkRecorder.fingerprint(argmax))
        return Variable(y, op: "max_pool2d", parents: [self]) { g in
            [
                try Tensor.maxPool2dBackward(
                    inputShape: shape, argmax: argmax, outputGradient: g,
                    size: size, stride: stride, pad: pad)
            ]
        }
    }

    /// `maxPool2d(relu(x))` as one node: the windows are read through the ReLU, and `∂` goes
    /// to each window's winner, then through the ReLU's mask `x > 0`, while each plane is in
    /// cache. The value, the gradient and the kinks noted are those of the two nodes taken
    /// apart (the ReLU's signs, then the winners), bit for bit; what goes is the rectified copy
    /// of `x`, and a pass over it each way.
    public func reluMaxPool2d(size: Int = 2, stride: Int? = nil, pad: Int = 0) throws -> Variable {
        let x = value
        let (y, argmax) = try x.maxPool2d(size: size, stride: stride, pad: pad, rectified: true)
        KinkRecorder.note(KinkRecorder.fingerprint(x.scalars.lazy.map { $0 > 0 }))
        KinkRecorder.note(KinkRecorder.fingerprint(argmax))
        return Variable(y, op: "relu_max_pool2d", parents: [self]) { g in
            [
                try Tensor.maxPool2dBackward(
                    inputShape: x.shape, argmax: argmax, outputGradient: g,
                    size: size, stride: stride, pad: pad, rectifiedInput: x)
            ]
        }
    }

    /// Mean over `size × size` windows: `∂` spread evenly.
    public func avgPool2d(size: Int = 2, stride: Int? = nil, pad: Int = 0) throws -> Variable {
        let shape = self.shape
        return Variable(try value.avgPool2d(size: size, stride: stride, pad: pad), op: "avg_pool2d", parents: [self]) { g in
            [try Tensor.avgPool2dBackward(inputShape: shape, outputGradient: g, size: size, stride: stride, pad: pad)]
        }
    }
}
