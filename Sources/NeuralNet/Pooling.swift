import Autograd
import Random
import Tensors

/// What max and average pooling share: a `size × size` window, its stride (the window size
/// when nil) and zero padding, and how they describe and remake themselves; each subclass
/// gives its `typeName` and forward pass.
public class Pool2d<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let size: Int, stride: Int?, pad: Int
    public required init(size: Int = 2, stride: Int? = nil, pad: Int = 0) {
        self.size = size; self.stride = stride; self.pad = pad
        super.init()
    }

    public class var typeName: String { "Pool2d" }

    public override var summary: String { "\(Self.typeName)(\(size)×\(size), stride \(stride ?? size))" }

    public override var layerDescription: LayerDescription {
        LayerDescription(Self.typeName, ["size": Double(size), "stride": Double(stride ?? size), "pad": Double(pad)])
    }

    /// The same kind of pooling from a description's checked window settings.
    public class func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        let r = 0...Tensor<Scalar>.largestWindowSetting
        return Self(size: try d.whole("size", in: r), stride: try d.whole("stride", in: r), pad: try d.whole("pad", in: r))
    }

    /// `[C, H, W]` → `[C, (H + 2·pad − size) / stride + 1, …]`.
    public override func outputShape(for input: [Int]) throws -> [Int] {
        let s = stride ?? size
        guard input.count == 3, input[1] + 2 * pad >= size, input[2] + 2 * pad >= size else {
            throw ModelError.input(layer: summary, detail: "expected an example [C, H, W] of at least \(size)×\(size), got \(input)")
        }
        return [input[0], (input[1] + 2 * pad - size) / s + 1, (input[2] + 2 * pad - size) / s + 1]
    }
}

/// Max pooling over `size × size` windows.
public final class MaxPool2d<Scalar: TensorScalar>: Pool2d<Scalar> {
    public override class var typeName: String { "MaxPool2d" }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try activeBackend.maxPool2d(x, size: size, stride: stride ?? size, pad: pad)
    }
}

/// Average pooling over `size × size` windows.
public final class AvgPool2d<Scalar: TensorScalar>: Pool2d<Scalar> {
    public override class var typeName: String { "AvgPool2d" }
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try x.avgPool2d(size: size, stride: stride, pad: pad)
    }
}
