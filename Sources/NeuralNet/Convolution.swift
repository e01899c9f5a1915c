import Autograd
import Random
import Tensors

/// 2-D convolution over NCHW inputs: `K` filters of `C × R × S`, stride, zero padding.
public final class Conv2d<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let weight: Variable<Scalar>
    public let bias: Variable<Scalar>?
    public let stride: Int, pad: Int

    public init(
        inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, pad: Int = 0,
        bias: Bool = true, initializer: Initializer = .he, using generator: inout SeededGenerator
    ) throws {
        let fanIn = inChannels * kernelSize * kernelSize
        weight = Variable(
            try initializer.make(
                [outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn,
                fanOut: outChannels * kernelSize * kernelSize, using: &generator),
            requiresGrad: true, name: "weight")
        self.bias = bias ? Variable(try Tensor.zeros([outChannels]), requiresGrad: true, name: "bias") : nil
        self.stride = stride
        self.pad = pad
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try activeBackend.conv2d(x, weight: weight, bias: bias, stride: stride, pad: pad)
    }

    public override var ownParameters: [(name: String, variable: Variable<Scalar>, role: ParameterRole)] {
        [("weight", weight, .weight)] + (bias.map { [("bias", $0, .bias)] } ?? [])
    }

    public override var summary: String {
        let s = weight.shape
        return "Conv2d(\(s[1]) → \(s[0]), \(s[2])×\(s[3]), stride \(stride), pad \(pad))"
    }

    public static var typeName: String { "Conv2d" }

    public override var layerDescription: LayerDescription {
        let w = weight.shape
        return LayerDescription(
            Self.typeName,
            [
                "in": Double(w[1]), "out": Double(w[0]), "k": Double(w[2]), "stride": Double(stride),
                "pad": Double(pad), "bias": bias == nil ? 0 : 1
            ])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        let window = 0...Tensor<Scalar>.largestWindowSetting
        return try Conv2d(
            inChannels: d.whole("in"), outChannels: d.whole("out"), kernelSize: d.whole("k", in: window),
            stride: d.whole("stride", in: window), pad: d.whole("pad", in: window), bias: d.flag("bias", default: true), using: &g)
    }

    /// `[C, H, W]` → `[K, P, Q]` with `P = (H + 2·pad − R) / stride + 1`.
    public override func outputShape(for input: [Int]) throws -> [Int] {
        let w = weight.shape
        guard input.count == 3, input[0] == w[1] else { throw ModelError.input(layer: "Conv2d", detail: "expected an example of shape [\(w[1]), H, W], got \(input)") }
        let (p, q) = ((input[1] + 2 * pad - w[2]) / stride + 1, (input[2] + 2 * pad - w[3]) / stride + 1)
        guard input[1] + 2 * pad >= w[2], input[2] + 2 * pad >= w[3] else {
            throw ModelError.input(layer: "Conv2d", detail: "the \(w[2])×\(w[3]) kernel does not fit the padded \(input[1])×\(input[2]) input")
        }
        return [w[0], p, q]
    }

    /// `2·K·C·R·S·P·Q`.
    public override func flops(for input: [Int]) throws -> Int {
        let w = weight.shape, out = try outputShape(for: input)
        return 2 * w[0] * w[1] * w[2] * w[3] * out[1] * out[2]
    }
}
