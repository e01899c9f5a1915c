import Tensors

/// What datasets, splits, preprocessing, augmentation and the trainer report.
public enum DataError: ExplainedError, Equatable, Sendable {
    /// A name that is not one of the choices (an update rule).
    case unknownName(kind: String, given: String, choices: [String])
    /// Any other invalid data or setting, explained in words.
    case invalid(String)

    public var message: String {
        switch self {
        case .unknownName(let kind, let given, let choices): "unknown \(kind) \"\(given)\"; choose one of \(choices.joined(separator: ", "))"
        case .invalid(let text): text
        }
    }
}
