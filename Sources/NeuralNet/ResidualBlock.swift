import Autograd
import Random
import Tensors

/// He et al. (2016)'s basic residual block: `relu(F(x) + shortcut(x))` with
/// `F = conv3×3 → BN → ReLU → conv3×3 → BN`; the shortcut is the identity, or a 1×1 conv
/// with BN when the stride or channel count changes.
public final class ResidualBlock<Scalar: TensorScalar>: Module<Scalar>, DescribedLayer {
    public let body: Sequential<Scalar>
    public let shortcut: Sequential<Scalar>?

    public init(inChannels: Int, outChannels: Int, stride: Int = 1, using generator: inout SeededGenerator) throws {
        body = Sequential([
            try Conv2d(
                inChannels: inChannels, outChannels: outChannels, kernelSize: 3, stride: stride, pad: 1,
                bias: false, using: &generator),
            try BatchNorm(features: outChannels, spatial: true), ReLU(),
            try Conv2d(
                inChannels: outChannels, outChannels: outChannels, kernelSize: 3, pad: 1, bias: false,
                using: &generator),
            try BatchNorm(features: outChannels, spatial: true)
        ])
        shortcut =
            stride == 1 && inChannels == outChannels
            ? nil
            : Sequential([
                try Conv2d(
                    inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride,
                    bias: false, using: &generator),
                try BatchNorm(features: outChannels, spatial: true)
            ])
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        let skip = try shortcut.map { try $0(x) } ?? x
        return try (body(x) + skip).relu()
    }

    public override var children: [(name: String, module: Module<Scalar>)] {
        [("body", body)] + (shortcut.map { [("shortcut", $0)] } ?? [])
    }

    public static var typeName: String { "Residual" }

    /// The block's channels and stride (its sublayers follow from them).
    public override var layerDescription: LayerDescription {
        let first = body.layers[0].layerDescription
        return LayerDescription(Self.typeName, ["in": first.settings["in"] ?? 0, "out": first.settings["out"] ?? 0, "stride": first.settings["stride"] ?? 1])
    }

    public static func make(_ d: LayerDescription, layers: [Module<Scalar>], using g: inout SeededGenerator) throws -> Module<Scalar> {
        try ResidualBlock(
            inChannels: d.whole("in", in: 1...SizeBudget.maximumElements), outChannels: d.whole("out", in: 1...SizeBudget.maximumElements),
            stride: d.whole("stride", in: 1...Tensor<Scalar>.largestWindowSetting), using: &g)
    }

    public override func outputShape(for input: [Int]) throws -> [Int] { try body.outputShape(for: input) }

    public override func flops(for input: [Int]) throws -> Int {
        try body.flops(for: input) + (shortcut?.flops(for: input) ?? 0)
    }

    public override var summary: String { "ResidualBlock(\(body.layers.count) layers\(shortcut == nil ? "" : ", projection"))" }
}
