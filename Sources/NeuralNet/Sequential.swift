import Autograd
import Kernels
import Tensors

/// Layers applied in order; parameters are named `index.name`.
public final class Sequential<Scalar: TensorScalar>: Module<Scalar> {
    public private(set) var layers: [Module<Scalar>]

    public init(_ layers: [Module<Scalar>]) {
        self.layers = layers
        super.init()
    }

    public override func callAsFunction(_ x: Variable<Scalar>) throws -> Variable<Scalar> {
        var y = x
        for (i, layer) in layers.enumerated() {
            do {
                y = try layer(y)
            } catch let error as TensorError {
                throw TensorError("layer \(i) (\(layer.summary)): \(error.message)")
            }
        }
        return y
    }

    public override var children: [(name: String, module: Module<Scalar>)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public override var summary: String {
        "Sequential(\n" + layers.enumerated().map { "  \($0.offset): \($0.element.summary)" }.joined(separator: "\n") + "\n)"
    }
}

/// He et al. (2016)'s basic residual block: `relu(F(x) + shortcut(x))` with
/// `F = conv3×3 → BN → ReLU → conv3×3 → BN`; the shortcut is the identity, or a 1×1 conv
/// with BN when the stride or channel count changes.
public final class ResidualBlock<Scalar: TensorScalar>: Module<Scalar> {
    public let body: Sequential<Scalar>
    public let shortcut: Sequential<Scalar>?

    public init(inChannels: Int, outChannels: Int, stride: Int = 1, using generator: inout SeededGenerator) throws {
        body = Sequential([
            try Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 3, stride: stride, pad: 1,
                       bias: false, using: &generator),
            try BatchNorm(features: outChannels, spatial: true), ReLU(),
            try Conv2d(inChannels: outChannels, outChannels: outChannels, kernelSize: 3, pad: 1, bias: false,
                       using: &generator),
            try BatchNorm(features: outChannels, spatial: true),
        ])
        shortcut = stride == 1 && inChannels == outChannels ? nil : Sequential([
            try Conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride,
                       bias: false, using: &generator),
            try BatchNorm(features: outChannels, spatial: true),
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

    public override var summary: String { "ResidualBlock(\(body.layers.count) layers\(shortcut == nil ? "" : ", projection"))" }
}
