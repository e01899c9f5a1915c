import Dispatch

/// Times a closure: a warm-up call, then repeats until `minimumSeconds` have passed (at
/// least `minimumRepeats` times), returning the median seconds per call.
public func medianSeconds(
    minimumRepeats: Int = 5, minimumSeconds: Double = 0.5,
    _ body: () -> Void
) -> Double {
    body()
    var samples: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    repeat {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
    } while samples.count < minimumRepeats
        || Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9 < minimumSeconds
    samples.sort()
    return samples[samples.count / 2]
}
