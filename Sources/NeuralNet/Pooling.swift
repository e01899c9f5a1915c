import Autograd
import Random
import Tensors

/// What max and average pooling share: a `size × size` window, its stride (the window size
/// when nil) and zero padding.
public class Pool2d<Scalar: TensorScalar>: Module<Scalar> {
    public let size: Int, stride: Int?, pad: Int
    public init(size: Int = 2, stride: Int? = nil, pad: Int = 0) {
        self.size = size; self.stride = stride; self.pad = pad
        super.init()
    }
    var windowSummary: String { "\(size)×\(size), stride \(stride ?? size)" }

    /// The settings both pooling layers describe themselves with.
    var windowSettings: [String: Double] { ["size": Double(size), "stride": Double(stride ?? size), "pad": Double(pad)] }

    /// The window settings of a description, checked.
    static func window(_ d: LayerDescription) throws -> (size: Int, stride: Int, pad: Int) {
        let r = 0...Tensor<Scalar>.largestWindowSetting
        return (try d.whole("size", in: r), try d.whole("stride", in: r), try d.whole("pad", in: r))
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
public final class MaxPool2d<Scalar: TensorScalar>: Pool2d<Scalar>, DescribedLayer {
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try activeBackend.maxPool2d(x, size: size, stride: stride ?? size, pad: pad)
    }
    public override var summary: String { "MaxPool2d(\(windowSummary))" }
    public static var typeName: String { "MaxPool2d" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName, windowSettings) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        let w = try window(d)
        return MaxPool2d(size: w.size, stride: w.stride, pad: w.pad)
    }
}

/// Average pooling over `size × size` windows.
public final class AvgPool2d<Scalar: TensorScalar>: Pool2d<Scalar>, DescribedLayer {
    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        try x.avgPool2d(size: size, stride: stride, pad: pad)
    }
    public override var summary: String { "AvgPool2d(\(windowSummary))" }
    public static var typeName: String { "AvgPool2d" }
    public override var layerDescription: LayerDescription { LayerDescription(Self.typeName, windowSettings) }
    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        let w = try window(d)
        return AvgPool2d(size: w.size, stride: w.stride, pad: w.pad)
    }
}
