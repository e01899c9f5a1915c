import Dispatch
import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// The machine's FP32 multiply-add ceiling as this build reaches it: independent FMA chains
/// on the active instruction set, on every thread at once. Benchmarks divide by it to report
/// the fraction of peak each kernel reaches.
public enum PeakThroughput {
    /// One run of the FMA loop on an instruction set (the best by default): its result (the
    /// sum of every chain's lanes) and the vector width.
    public static func loop(iterations: Int, on instructionSet: InstructionSet = .best) -> (result: Float, lanes: Int) {
        switch instructionSet {
        case .avx512: AVX512Kernels.fmaThroughput(iterations: iterations)
        case .avx2: AVX2Kernels.fmaThroughput(iterations: iterations)
        case .portable: PortableKernels.fmaThroughput(iterations: iterations)
        }
    }

    /// GFLOP/s summed over `threads` threads, each running the FMA loop for about `seconds`.
    public static func measure(threads: Int, seconds: Double = 0.2) -> Double {
        // Size the loop on one thread, then time it on all of them together.
        var iterations = 1 << 16
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = loop(iterations: iterations)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if elapsed > seconds / 4 || iterations > 1 << 34 {
                iterations = max(1, Int(Double(iterations) * seconds / max(elapsed, 1e-9)))
                break
            }
            iterations *= 4
        }
        let lanes = loop(iterations: 1).lanes
        let count = max(1, threads)
        let start = DispatchTime.now().uptimeNanoseconds
        let each = iterations
        DispatchQueue.concurrentPerform(iterations: count) { _ in _ = loop(iterations: each) }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(count) * Double(each) * 12 * 2 * Double(lanes) / elapsed / 1e9
    }
}
