import Tensors

/// A model's layers with their output shapes, parameter counts and forward FLOPs for one
/// example, from each layer's own `outputShape` and `flops` (nothing is run):
/// ```
/// layer                               output shape       params      FLOPs
/// input                               [3, 32, 32]
/// 0: Conv2d(3 → 32, 3×3, stride 1, pad 1) [32, 32, 32]   896         1769472
/// ```
public struct LayerTable: Sendable {
    public let text: String
    public let flops: Int
}

extension Module {
    public func layerTable(inputShape: [Int]) throws -> LayerTable {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
        var shape = inputShape, total = 0
        var lines = [
            "layer                               output shape       params      FLOPs",
            "input                               \(pad("\(inputShape)", 18))"
        ]
        for (i, layer) in stages.enumerated() {
            let f: Int
            do {
                f = try layer.flops(for: shape)
                shape = try layer.outputShape(for: shape)
            } catch let e as any ExplainedError { throw ModelError.input(layer: "layer \(i) (\(layer.summary))", detail: e.message) }
            total += f
            lines.append("\(pad("\(i): \(layer.summary)", 36))\(pad("\(shape)", 18))\(pad(String(layer.parameterCount), 12))\(f)")
        }
        lines.append("total: \(parameterCount) parameters, \(total) FLOPs per example (forward)")
        return LayerTable(text: lines.joined(separator: "\n"), flops: total)
    }
}
