import CPUFeatures
import Synchronization

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

    private static let chosen = Atomic<Int>(-1)

    /// The level kernels use now: `best` unless set lower (tests and benchmarks do).
    public static var active: InstructionSet {
        get {
            let raw = chosen.load(ordering: .relaxed)
            return raw < 0 ? best : InstructionSet(rawValue: raw)!
        }
        set {
            precondition(newValue.rawValue <= best.rawValue, "\(newValue) is not supported here")
            chosen.store(newValue.rawValue, ordering: .relaxed)
        }
    }

    public var description: String {
        switch self {
        case .portable: "portable"
        case .avx2: "avx2"
        case .avx512: "avx512"
        }
    }
}
