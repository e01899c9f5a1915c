import Dispatch
import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// The machine's FP32 multiply-add ceiling as this build reaches it: independent FMA chains
/// on the active instruction set (16 on AVX-512, 12 otherwise, enough to keep two FMA pipes
/// with a 4-cycle latency busy), on every thread at once. Benchmarks divide by it to report
/// the fraction of peak each kernel reaches.
///
/// To be stable on a shared machine the measurement warms up first, times each thread's own
/// loop (so a thread that starts late does not stretch the others' time), repeats the whole
/// run and keeps the best: the ceiling is what the cores can sustain, and interference only
/// ever lowers a reading.
public enum PeakThroughput {
    /// One run of the FMA loop on an instruction set (the best by default): its result (the
    /// sum of every chain's lanes), the vector width and the number of chains.
    public static func loop(iterations: Int, on instructionSet: InstructionSet = .best) -> (result: Float, lanes: Int, chains: Int) {
        switch instructionSet {
        case .avx512: AVX512Kernels.fmaThroughput(iterations: iterations)
        case .avx2: AVX2Kernels.fmaThroughput(iterations: iterations)
        case .portable: PortableKernels.fmaThroughput(iterations: iterations)
        }
    }

    /// GFLOP/s summed over `threads` threads: the best of `repeats` runs of about `seconds`
    /// each, every thread timing its own loop.
    public static func measure(threads: Int, seconds: Double = 0.2, repeats: Int = 5) -> Double {
        let shape = loop(iterations: 1)
        let flopsPerIteration = Double(shape.chains * 2 * shape.lanes)
        // Warm up (clock ramps, page-ins), then size the loop on one thread.
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
        let count = max(1, threads)
        let each = iterations
        var best = 0.0
        for _ in 0..<max(1, repeats) {
            let rates = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            defer { rates.deallocate() }
            let shared = UncheckedSendable(rates)
            DispatchQueue.concurrentPerform(iterations: count) { t in
                let start = DispatchTime.now().uptimeNanoseconds
                _ = loop(iterations: each)
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                shared.value[t] = Double(each) * flopsPerIteration / max(elapsed, 1e-9)
            }
            best = max(best, rates.reduce(0, +) / 1e9)
        }
        return best
    }
}
