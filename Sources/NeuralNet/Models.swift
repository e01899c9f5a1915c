import Autograd
import Random
import Tensors

/// The model builders the course uses, all for `32 × 32 × 3` inputs where images are involved.
public enum Models {
    /// The course's two-layer net: `input → hidden (ReLU) → classes`, weights `std · N(0,1)`,
    /// zero biases.
    public static func twoLayerNet<Scalar: TensorScalar>(
        inputs: Int, hidden: Int = 50, classes: Int = 10, std: Double = 1e-4, seed: UInt64 = 0
    ) throws -> Sequential<Scalar> {
        try fullyConnected(sizes: [inputs, hidden, classes], initializer: .gaussian(std: std), seed: seed)
    }

    /// A fully connected net of any depth: `sizes = [inputs, hidden…, classes]`, ReLU between.
    public static func fullyConnected<Scalar: TensorScalar>(
        sizes: [Int], initializer: Initializer = .he, activation: (() -> Module<Scalar>)? = nil, seed: UInt64 = 0
    ) throws -> Sequential<Scalar> {
        guard sizes.count >= 2 else { throw ModelError.invalid("needs at least input and output sizes, got \(sizes)") }
        guard sizes.count <= 1_001 else { throw ModelError.invalid("at most 1000 layers, got \(sizes.count - 1)") }
        try checkTotal((0..<(sizes.count - 1)).map { ([sizes[$0] + 1, sizes[$0 + 1]], 1) }, "fully_connected")
        var g = SeededGenerator(seed: seed)
        var layers: [Module<Scalar>] = []
        for i in 0..<(sizes.count - 1) {
            if i > 0 { layers.append(activation?() ?? ReLU()) }
            layers.append(try Linear(inputs: sizes[i], outputs: sizes[i + 1], initializer: initializer, using: &g))
        }
        return Sequential(layers)
    }

    /// conv3×3(3→32)-ReLU-maxpool2 – conv3×3(32→64)-ReLU-maxpool2 – linear(64·8·8 → classes).
    public static func smallConvNet<Scalar: TensorScalar>(
        channels: Int = 3, imageSize: Int = 32, classes: Int = 10, seed: UInt64 = 0
    ) throws -> Sequential<Scalar> {
        var g = SeededGenerator(seed: seed)
        let side = imageSize / 4
        return Sequential([
            try Conv2d(inChannels: channels, outChannels: 32, kernelSize: 3, pad: 1, using: &g), ReLU(), MaxPool2d(size: 2),
            try Conv2d(inChannels: 32, outChannels: 64, kernelSize: 3, pad: 1, using: &g), ReLU(), MaxPool2d(size: 2),
            Flatten(),
            try Linear(inputs: 64 * side * side, outputs: classes, initializer: .xavier, using: &g)
        ])
    }

    /// A VGG-style stack: blocks of two 3×3 convs (BN, ReLU) then a 2×2 max pool, channels
    /// doubling per block, then a linear classifier.
    public static func vggStyle<Scalar: TensorScalar>(
        widths: [Int] = [16, 32, 64], channels: Int = 3, imageSize: Int = 32, classes: Int = 10, seed: UInt64 = 0
    ) throws -> Sequential<Scalar> {
        guard !widths.isEmpty, imageSize >> widths.count >= 1 else {
            throw ModelError.invalid("vgg: needs 1 to \(Int.bitWidth - imageSize.leadingZeroBitCount - 1) block widths for \(imageSize)×\(imageSize) images (each block halves the side), got \(widths.count)")
        }
        try checkTotal(
            widths.indices.flatMap { i in
                [([i == 0 ? channels : widths[i - 1], widths[i], 9], 1), ([widths[i], widths[i], 9], 1)]
            }, "vgg")
        var g = SeededGenerator(seed: seed)
        var layers: [Module<Scalar>] = []
        var c = channels, side = imageSize
        for w in widths {
            for _ in 0..<2 {
                layers += [
                    try Conv2d(inChannels: c, outChannels: w, kernelSize: 3, pad: 1, bias: false, using: &g),
                    try BatchNorm(features: w, spatial: true), ReLU()
                ]
                c = w
            }
            layers.append(MaxPool2d(size: 2))
            side /= 2
        }
        layers += [Flatten(), try Linear(inputs: c * side * side, outputs: classes, initializer: .xavier, using: &g)]
        return Sequential(layers)
    }

    /// A ResNet-style net for 32×32: a 3×3 stem, residual stages (stride 2 between stages),
    /// global average pooling, a linear classifier.
    public static func resnetStyle<Scalar: TensorScalar>(
        widths: [Int] = [16, 32, 64], blocksPerStage: Int = 1, channels: Int = 3, imageSize: Int = 32,
        classes: Int = 10, seed: UInt64 = 0
    ) throws -> Sequential<Scalar> {
        guard !widths.isEmpty, imageSize >> (widths.count - 1) >= 1 else {
            throw ModelError.invalid("resnet: needs 1 to \(Int.bitWidth - imageSize.leadingZeroBitCount) stage widths for \(imageSize)×\(imageSize) images (each stage after the first halves the side), got \(widths.count)")
        }
        try checkTotal(
            widths.indices.map { i in
                ([max(widths[i], i == 0 ? channels : widths[i - 1]), widths[i], 18], blocksPerStage)
            }, "resnet")
        var g = SeededGenerator(seed: seed)
        var layers: [Module<Scalar>] = [
            try Conv2d(inChannels: channels, outChannels: widths[0], kernelSize: 3, pad: 1, bias: false, using: &g),
            try BatchNorm(features: widths[0], spatial: true), ReLU()
        ]
        var c = widths[0], side = imageSize
        for (stage, w) in widths.enumerated() {
            for b in 0..<blocksPerStage {
                let stride = stage > 0 && b == 0 ? 2 : 1
                layers.append(try ResidualBlock(inChannels: c, outChannels: w, stride: stride, using: &g))
                if stride == 2 { side /= 2 }
                c = w
            }
        }
        layers += [
            AvgPool2d(size: side), Flatten(),
            try Linear(inputs: c, outputs: classes, initializer: .xavier, using: &g)
        ]
        return Sequential(layers)
    }

    /// Refuses a model whose layers together would exceed the size budget, before any is
    /// allocated: each entry is a layer's weight shape (an upper bound is enough) and how
    /// many such layers there are.
    static func checkTotal(_ layers: [(shape: [Int], count: Int)], _ op: String) throws {
        var total = 0
        for (shape, count) in layers {
            let (product, overflow) = try SizeBudget.elements(shape, op).multipliedReportingOverflow(by: count)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow, !overflow2, sum <= SizeBudget.maximumElements else {
                throw ModelError.invalid("\(op): these sizes make more than \(SizeBudget.maximumElements) parameters in all; use smaller widths or fewer layers")
            }
            total = sum
        }
    }
}
