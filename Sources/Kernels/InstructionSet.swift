import CPUFeatures

/// The instruction-set levels GEMM's micro-kernel is compiled for.
public enum InstructionSet: Int, CaseIterable, Sendable, CustomStringConvertible {
    case portable = 0
    case avx2 = 1
    case avx512 = 2

    /// The best level this processor supports.
    public static let best: InstructionSet =
        InstructionSet(rawValue: Int(gs_best_instruction_set().rawValue)) ?? .portable

    /// Every level this processor can run, worst first (what tests compare).
    public static var supported: [InstructionSet] { allCases.filter { $0.rawValue <= best.rawValue } }

    public var description: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }
}
