import Autograd
import Kernels
import Tensors

/// 2-D convolution over NCHW inputs: `K` filters of `C × R × S`, stride, zero padding.
public final class Conv2d<Scalar: TensorScalar>: Module<Scalar> {
    public let weight: Variable<Scalar>
    public let bias: Variable<Scalar>?
    public let stride: Int, pad: Int

    public init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, pad: Int = 0,
                bias: Bool = true, initializer: Initializer = .he, using generator: inout SeededGenerator) throws {
        let fanIn = inChannels * kernelSize * kernelSize
        weight = Variable(try initializer.make([outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn,
                                               fanOut: outChannels * kernelSize * kernelSize, using: &generator),
                          requiresGrad: true, name: "weight")
        self.bias = bias ? Variable(try Tensor.zeros([outChannels]), requiresGrad: true, name: "bias") : nil
        self.stride = stride
        self.pad = pad
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let (weight, bias, stride, pad) = (self.weight, self.bias, self.stride, self.pad)
        let replaced = try LayerOverrides.apply(x) { overrides in
            guard let conv = overrides.conv2d, let w = weight as? Variable<Float> else { return nil }
            return { try conv($0, w, bias as? Variable<Float>, stride, pad) }
        }
        return try replaced ?? x.conv2d(weight, bias: bias, stride: stride, pad: pad)
    }

    public override var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] {
        [("weight", weight, .weight)] + (bias.map { [("bias", $0, .bias)] } ?? [])
    }

    public override var summary: String {
        let s = weight.shape
        return "Conv2d(\(s[1]) → \(s[0]), \(s[2])×\(s[3]), stride \(stride), pad \(pad))"
    }
}

/// What max and average pooling share: a `size × size` window, its stride (the window size
/// when nil) and zero padding.
public class Pool2d<Scalar: TensorScalar>: Module<Scalar> {
    public let size: Int, stride: Int?, pad: Int
    public init(size: Int = 2, stride: Int? = nil, pad: Int = 0) {
        self.size = size; self.stride = stride; self.pad = pad
        super.init()
    }
    var windowSummary: String { "\(size)×\(size), stride \(stride ?? size)" }
}

/// Max pooling over `size × size` windows.
public final class MaxPool2d<Scalar: TensorScalar>: Pool2d<Scalar> {
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let (size, stride) = (self.size, self.stride ?? self.size)
        let replaced = pad != 0 ? nil : try LayerOverrides.apply(x) { overrides in
            overrides.maxPool2d.map { pool in { try pool($0, size, stride) } }
        }
        return try replaced ?? x.maxPool2d(size: size, stride: stride, pad: pad)
    }
    public override var summary: String { "MaxPool2d(\(windowSummary))" }
}

/// Average pooling over `size × size` windows.
public final class AvgPool2d<Scalar: TensorScalar>: Pool2d<Scalar> {
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try x.avgPool2d(size: size, stride: stride, pad: pad)
    }
    public override var summary: String { "AvgPool2d(\(windowSummary))" }
}
