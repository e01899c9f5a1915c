import Tensors

/// What layers, models, their descriptions and checkpoints report.
public enum ModelError: ExplainedError, Equatable, Sendable {
    /// An input a layer cannot take: `layer` names it (with its place in a model, when known).
    case input(layer: String, detail: String)
    /// A checkpoint or saved model that does not fit: `source` is the file.
    case checkpoint(source: String, detail: String)
    /// A layer description that cannot be made into a layer.
    case description(type: String, detail: String)
    /// Any other invalid setting, explained in words.
    case invalid(String)

    public var message: String {
        switch self {
        case .input(let layer, let detail): "\(layer): \(detail)"
        case .checkpoint(let source, let detail): "\(source): \(detail)"
        case .description(let type, let detail): "\(type): \(detail)"
        case .invalid(let text): text
        }
    }
}
