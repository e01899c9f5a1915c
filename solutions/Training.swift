import HomeworkKit
import Random
import RealModule
import Tensors

// Assignment 2: training. Update rules change `w` (and their state) in place.

extension Submission {
    public static func sampleBatch(count: Int, batchSize: Int, generator: inout SeededGenerator) throws -> [Int] {
        // Hint: a partial Fisher–Yates shuffle; generator.nextUniform() is in [0, 1).
        // BEGIN SOLUTION
        var order = Array(0..<count)
        let k = min(batchSize, count)
        for i in 0..<k {
            let j = i + min(count - i - 1, Int(generator.nextUniform() * Double(count - i)))
            order.swapAt(i, j)
        }
        return Array(order.prefix(k))
        // END SOLUTION
    }

    public static func sgd(w: inout Tensor<Double>, dw: Tensor<Double>, lr: Double) throws {
        // BEGIN SOLUTION
        for i in 0..<w.count { w.scalars[i] -= lr * dw.scalars[i] }
        // END SOLUTION
    }

    public static func sgdMomentum(w: inout Tensor<Double>, dw: Tensor<Double>, velocity: inout Tensor<Double>, lr: Double, momentum: Double) throws {
        // BEGIN SOLUTION
        for i in 0..<w.count {
            velocity.scalars[i] = momentum * velocity.scalars[i] - lr * dw.scalars[i]
            w.scalars[i] += velocity.scalars[i]
        }
        // END SOLUTION
    }

    public static func rmsprop(w: inout Tensor<Double>, dw: Tensor<Double>, cache: inout Tensor<Double>, lr: Double, decayRate: Double, epsilon: Double) throws {
        // BEGIN SOLUTION
        for i in 0..<w.count {
            let g = dw.scalars[i]
            cache.scalars[i] = decayRate * cache.scalars[i] + (1 - decayRate) * g * g
            w.scalars[i] -= lr * g / (cache.scalars[i].squareRoot() + epsilon)
        }
        // END SOLUTION
    }

    public static func adam(
        w: inout Tensor<Double>, dw: Tensor<Double>, m: inout Tensor<Double>, v: inout Tensor<Double>, t: Int,
        lr: Double, beta1: Double, beta2: Double, epsilon: Double
    ) throws {
        // Hint: m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
        // BEGIN SOLUTION
        let c1 = 1 - Double.pow(beta1, Double(t)), c2 = 1 - Double.pow(beta2, Double(t))
        for i in 0..<w.count {
            let g = dw.scalars[i]
            m.scalars[i] = beta1 * m.scalars[i] + (1 - beta1) * g
            v.scalars[i] = beta2 * v.scalars[i] + (1 - beta2) * g * g
            w.scalars[i] -= lr * (m.scalars[i] / c1) / ((v.scalars[i] / c2).squareRoot() + epsilon)
        }
        // END SOLUTION
    }

    public static func stepDecay(initial: Double, iteration: Int, every: Int, factor: Double) throws -> Double {
        // BEGIN SOLUTION
        return initial * Double.pow(factor, Double(iteration / every))
        // END SOLUTION
    }

    public static func inverseTimeDecay(initial: Double, iteration: Int, k: Double) throws -> Double {
        // BEGIN SOLUTION
        return initial / (1 + k * Double(iteration))
        // END SOLUTION
    }

    public static func ravineLosses(optimizer: String, lr: Double, steps: Int) throws -> [Double] {
        // Hint: keep w = [x, y] and the optimizer's state outside the loop; f and its gradient
        // come from the current w, and f is recorded after the step.
        // BEGIN SOLUTION
        var w = try Tensor<Double>(shape: [2], scalars: [-4, 1])
        var first = w.map { _ in 0 }, second = w.map { _ in 0 }
        var losses: [Double] = []
        for t in 1...max(1, steps) {
            let dw = try Tensor<Double>(shape: [2], scalars: [w.scalars[0], 50 * w.scalars[1]])
            switch optimizer {
            case "sgd": try sgd(w: &w, dw: dw, lr: lr)
            case "momentum": try sgdMomentum(w: &w, dw: dw, velocity: &first, lr: lr, momentum: 0.9)
            case "rmsprop": try rmsprop(w: &w, dw: dw, cache: &first, lr: lr, decayRate: 0.9, epsilon: 1e-8)
            case "adam": try adam(w: &w, dw: dw, m: &first, v: &second, t: t, lr: lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
            default: throw HomeworkError("unknown optimizer \(optimizer)")
            }
            losses.append(0.5 * (w.scalars[0] * w.scalars[0] + 50 * w.scalars[1] * w.scalars[1]))
        }
        return Array(losses.prefix(steps))
        // END SOLUTION
    }

    public static func train(
        params: inout TwoLayerParameters, x: Tensor<Double>, labels: [Int], epochs: Int, batchSize: Int,
        lr: Double, reg: Double, generator: inout SeededGenerator
    ) throws -> [Double] {
        // Hint: iterations per epoch = max(1, N / batchSize); each iteration samples a batch,
        // computes loss and gradients with twoLayerNetLoss, and applies sgd to all four parameters.
        // BEGIN SOLUTION
        let n = x.shape[0]
        var losses: [Double] = []
        for _ in 0..<(epochs * max(1, n / batchSize)) {
            let idx = try sampleBatch(count: n, batchSize: batchSize, generator: &generator)
            let (loss, g) = try twoLayerNetLoss(params: params, x: x.take(idx), labels: idx.map { labels[$0] }, reg: reg)
            losses.append(loss)
            try sgd(w: &params.w1, dw: g.w1, lr: lr)
            try sgd(w: &params.b1, dw: g.b1, lr: lr)
            try sgd(w: &params.w2, dw: g.w2, lr: lr)
            try sgd(w: &params.b2, dw: g.b2, lr: lr)
        }
        return losses
        // END SOLUTION
    }
}
