import Tensors

/// A layer as data: its registered type name, its constructor settings and its sublayers.
///
/// `LayerCatalog` makes the layer again from it, so checkpoints and saved workspaces store
/// the architecture as JSON beside the weights, and no code outside a layer's own file needs
/// to know its type. Settings are numbers (whole numbers and flags included: `true` is 1).
public struct LayerDescription: Codable, Equatable, Sendable {
    public var type: String
    public var settings: [String: Double]
    public var layers: [LayerDescription]

    public init(_ type: String, _ settings: [String: Double] = [:], layers: [LayerDescription] = []) {
        self.type = type
        self.settings = settings
        self.layers = layers
    }

    public func number(_ key: String) throws -> Double {
        guard let v = settings[key], v.isFinite else { throw ModelError.description(type: type, detail: "the description lacks the setting \(key)") }
        return v
    }

    /// A whole-number setting, checked to be whole and within `range`.
    public func whole(_ key: String, in range: ClosedRange<Int> = 0...SizeBudget.maximumElements) throws -> Int {
        let v = try number(key)
        guard v == v.rounded(), v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
            throw ModelError.description(type: type, detail: "\(key) must be a whole number in \(range.lowerBound)...\(range.upperBound), got \(v)")
        }
        return Int(v)
    }

    public func flag(_ key: String, default d: Bool) -> Bool { settings[key].map { $0 != 0 } ?? d }
}
