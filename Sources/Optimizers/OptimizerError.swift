import Tensors

/// What optimizers report.
public enum OptimizerError: ExplainedError, Equatable, Sendable {
    /// A gradient or saved state whose shape is not its parameter's.
    case shape(String, expected: [Int], got: [Int])
    /// Any other invalid state or setting, explained in words.
    case invalid(String)

    public var message: String {
        switch self {
        case .shape(let what, let expected, let got): "\(what) has shape \(got) but the parameter has \(expected)"
        case .invalid(let text): text
        }
    }
}
