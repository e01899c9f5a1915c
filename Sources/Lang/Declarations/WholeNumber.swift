import Tensors

/// What a whole number passed from the language stands for, with the range it may take.
///
/// Every builtin, method, command and index reads its integers through `convert`, so a
/// negative, huge, fractional, NaN or infinite number is one clear error naming the
/// parameter, never a trap in `Int(_:)` or an allocation the machine cannot make.
public struct WholeNumber: Sendable {
    /// How the kind is described in errors and in `?name`: "a count", "a seed".
    public let description: String
    public let range: ClosedRange<Int>

    public init(_ description: String, _ range: ClosedRange<Int>) {
        self.description = description
        self.range = range
    }

    /// Numbers of things made or visited: samples, images, epochs, bins, trials (0…2²⁸).
    public static let count = WholeNumber("a count", 0...SizeBudget.maximumElements)
    /// A count that must be at least one: batch sizes, bins, features, channels.
    public static let positiveCount = WholeNumber("a positive count", 1...SizeBudget.maximumElements)
    /// Window settings of convolutions and pooling: kernel, stride, pad (0…2²⁰).
    public static let window = WholeNumber("a window size", 0...(1 << 20))
    /// Window settings that must be at least one: kernel and pooling sizes, strides.
    public static let positiveWindow = WholeNumber("a window size", 1...(1 << 20))
    /// A position, negative counting from the end (±2⁵³, checked against the length later).
    public static let index = WholeNumber("an index", -(1 << 53)...(1 << 53))
    /// An axis of a tensor, negative counting from the last (checked against the rank later).
    public static let axis = WholeNumber("an axis", -64...64)
    /// A random seed (0…2⁵³, every whole number a Double holds exactly).
    public static let seed = WholeNumber("a seed", 0...(1 << 53))

    /// A kind with a narrower range, e.g. `.count.within(1...1000)`.
    public func within(_ bounds: ClosedRange<Int>) -> WholeNumber {
        WholeNumber(description, bounds.clamped(to: range))
    }

    /// "a whole number from 1 to 2²⁰".
    public var rangeDescription: String { "a whole number from \(Self.bound(range.lowerBound)) to \(Self.bound(range.upperBound))" }

    /// A range end as it reads in messages: 2⁵³ rather than 9007199254740992.
    static func bound(_ b: Int) -> String {
        switch b {
        case 1 << 53: "2⁵³"
        case -(1 << 53): "-2⁵³"
        case 1 << 28: "2²⁸"
        case 1 << 24: "2²⁴"
        case 1 << 20: "2²⁰"
        default: String(b)
        }
    }

    /// `x` as an `Int` in this kind's range, or the error text (without the callee).
    public func convert(_ x: Double, name: String) -> Result<Int, WholeNumberError> {
        guard x.isFinite, x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            return .failure(WholeNumberError(name: name, kind: self, given: x))
        }
        return .success(Int(x))
    }
}

/// A language number that does not fit the kind a parameter expects.
public struct WholeNumberError: Error, CustomStringConvertible, Sendable {
    public let name: String
    public let kind: WholeNumber
    public let given: Double

    public var description: String {
        let wanted = kind.rangeDescription
        return "\(name) must be \(wanted) (\(kind.description)), got \(formatNumber(given))"
    }
}
