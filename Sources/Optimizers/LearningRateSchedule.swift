import Foundation

/// A learning rate as a function of the iteration `t` (counting from 0), relative to a base rate.
///
/// ```
/// constant                  lr
/// step(k, f)                lr · f^⌊t/k⌋                   (f = 0.1: ×0.1 every k iterations)
/// exponential(f, k)         lr · f^⌊t/k⌋                   (k = iterations per epoch: ×f per epoch)
/// sqrtDecay(T)              lr · √(1 − t/T)                (0 from t = T on)
/// inverseTime(k)            lr / (1 + k t)                 (the course's 1/t decay)
/// exponentialDecay(k)       lr · exp(−k t)
/// cosine(T, floor)          floor + (lr − floor) · (1 + cos(π t/T)) / 2
/// cyclical(mode, ...)       Smith 2017 triangle between lr and maxLR with half-period s
/// warmup(w, then)           lr · (t+1)/w for t < w, then `then` shifted by w
/// ```
public indirect enum LearningRateSchedule: Sendable, Equatable {
    /// Smith's three cyclical policies: constant amplitude, amplitude halved each cycle,
    /// amplitude scaled by `gamma^t`.
    public enum CyclicalMode: String, Sendable, Equatable, CaseIterable {
        case triangular, triangular2, expRange = "exp_range"
    }

    case constant
    case step(every: Int, factor: Double)
    case exponential(factor: Double, every: Int)
    case sqrtDecay(total: Int)
    case inverseTime(k: Double)
    case exponentialDecay(k: Double)
    case cosine(total: Int, floor: Double)
    case cyclical(mode: CyclicalMode, maxRate: Double, stepSize: Int, gamma: Double)
    case warmup(steps: Int, then: LearningRateSchedule)

    /// The learning rate at iteration `t` for the base rate `base`.
    public func rate(base: Double, at t: Int) -> Double {
        let tt = Double(max(t, 0))
        switch self {
        case .constant:
            return base
        case .step(let every, let factor), .exponential(let factor, let every):
            return base * Foundation.pow(factor, Double(t / max(every, 1)))
        case .sqrtDecay(let total):
            return base * max(0, 1 - tt / Double(max(total, 1))).squareRoot()
        case .inverseTime(let k):
            return base / (1 + k * tt)
        case .exponentialDecay(let k):
            return base * Foundation.exp(-k * tt)
        case .cosine(let total, let floor):
            let progress = min(tt / Double(max(total, 1)), 1)
            return floor + (base - floor) * (1 + Foundation.cos(Double.pi * progress)) / 2
        case .cyclical(let mode, let maxRate, let stepSize, let gamma):
            let s = Double(max(stepSize, 1))
            let cycle = (1 + tt / (2 * s)).rounded(.down)
            let x = abs(tt / s - 2 * cycle + 1)
            var amplitude = (maxRate - base) * max(0, 1 - x)
            switch mode {
            case .triangular: break
            case .triangular2: amplitude /= Foundation.pow(2, cycle - 1)
            case .expRange: amplitude *= Foundation.pow(gamma, tt)
            }
            return base + amplitude
        case .warmup(let steps, let then):
            if t < steps { return base * Double(t + 1) / Double(steps) }
            return then.rate(base: base, at: t - steps)
        }
    }

    /// A one-line formula for tables and plots' legends.
    public var formula: String {
        switch self {
        case .constant: return "lr"
        case .step(let every, let factor): return "lr·\(factor)^⌊t/\(every)⌋"
        case .exponential(let factor, let every): return "lr·\(factor)^⌊t/\(every)⌋"
        case .sqrtDecay(let total): return "lr·√(1−t/\(total))"
        case .inverseTime(let k): return "lr/(1+\(k)t)"
        case .exponentialDecay(let k): return "lr·exp(−\(k)t)"
        case .cosine(let total, let floor): return "cosine to \(floor) over \(total)"
        case .cyclical(let mode, let maxRate, let stepSize, _): return "\(mode.rawValue) up to \(maxRate), half-cycle \(stepSize)"
        case .warmup(let steps, let then): return "warmup \(steps) then \(then.formula)"
        }
    }
}
