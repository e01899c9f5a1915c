import HomeworkKit
import Random
import RealModule
import Tensors

// Assignment 1: losses and gradients. Work on `scalars` (row-major) or with the Tensor
// operations; every function must return the shapes its documentation states.

extension Submission {
    public static func softmaxLossNaive(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>) {
        // Hint: subtract each row's maximum m before exponentiating (numerical stability),
        // write −log p_y as log Σⱼ e^(s_j − m) − (s_y − m), and divide loss and gradient by N.
        // BEGIN SOLUTION
        let n = scores.shape[0], c = scores.shape[1]
        var d = [Double](repeating: 0, count: n * c)
        var loss = 0.0
        for i in 0..<n {
            var m = -Double.infinity
            for j in 0..<c { m = max(m, scores.scalars[i * c + j]) }
            var sum = 0.0
            for j in 0..<c { sum += Double.exp(scores.scalars[i * c + j] - m) }
            for j in 0..<c {
                let p = Double.exp(scores.scalars[i * c + j] - m) / sum
                d[i * c + j] = (p - (j == labels[i] ? 1 : 0)) / Double(n)
            }
            // −log p_y = log Σ e^(s − m) − (s_y − m): finite even when p_y underflows to 0.
            loss += Double.log(sum) - (scores.scalars[i * c + labels[i]] - m)
        }
        return (loss / Double(n), try Tensor(shape: [n, c], scalars: d))
        // END SOLUTION
    }

    public static func softmaxLossVectorized(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>) {
        // Hint: shifted = scores − max over axis 1; probabilities = exp(shifted) / sum(exp(shifted), axis 1).
        // BEGIN SOLUTION
        let n = Double(scores.shape[0])
        let shifted = try scores - scores.max(axes: [1], keepDims: true)
        let e = shifted.exp()
        let sums = try e.sum(axes: [1], keepDims: true)
        let p = try e / sums
        // −log p_y = log Σ e^shifted − shifted_y, which stays finite when p_y underflows.
        let loss = (sums.log().scalars.reduce(0, +) - (try shifted.gather(labels: labels)).scalars.reduce(0, +)) / n
        let d = try (p - Tensor.oneHot(labels, classes: scores.shape[1])) / n
        return (loss, d)
        // END SOLUTION
    }

    public static func svmLoss(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>) {
        // Hint: a wrong class j contributes when its margin s_j − s_y + 1 is positive; it then adds
        // +1 to dS[i, j] and −1 to dS[i, y] (before dividing by N).
        // BEGIN SOLUTION
        let n = scores.shape[0], c = scores.shape[1]
        var d = [Double](repeating: 0, count: n * c)
        var loss = 0.0
        for i in 0..<n {
            let correct = scores.scalars[i * c + labels[i]]
            for j in 0..<c where j != labels[i] {
                let margin = scores.scalars[i * c + j] - correct + 1
                if margin > 0 {
                    loss += margin
                    d[i * c + j] += 1 / Double(n)
                    d[i * c + labels[i]] -= 1 / Double(n)
                }
            }
        }
        return (loss / Double(n), try Tensor(shape: [n, c], scalars: d))
        // END SOLUTION
    }

    public static func l2Regularization(weights: Tensor<Double>, reg: Double) throws -> (loss: Double, dWeights: Tensor<Double>) {
        // BEGIN SOLUTION
        return (0.5 * reg * weights.scalars.reduce(0) { $0 + $1 * $1 }, weights * reg)
        // END SOLUTION
    }

    public static func l1Regularization(weights: Tensor<Double>, reg: Double) throws -> (loss: Double, dWeights: Tensor<Double>) {
        // BEGIN SOLUTION
        return (reg * weights.scalars.reduce(0) { $0 + abs($1) }, weights.map { $0 > 0 ? reg : ($0 < 0 ? -reg : 0) })
        // END SOLUTION
    }

    public static func numericalGradient(at x: Tensor<Double>, h: Double, _ f: (Tensor<Double>) throws -> Double) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        var grad = x.map { _ in 0 }
        for i in 0..<x.count {
            var plus = x, minus = x
            plus.scalars[i] += h
            minus.scalars[i] -= h
            grad.scalars[i] = (try f(plus) - f(minus)) / (2 * h)
        }
        return grad
        // END SOLUTION
    }

    public static func relativeError(_ a: Tensor<Double>, _ b: Tensor<Double>) throws -> Double {
        // BEGIN SOLUTION
        var worst = 0.0
        for (x, y) in zip(a.scalars, b.scalars) { worst = max(worst, abs(x - y) / max(1e-8, abs(x) + abs(y))) }
        return worst
        // END SOLUTION
    }

    public static func affineForward(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        return try x.matmul(w) + b
        // END SOLUTION
    }

    public static func affineBackward(dOut: Tensor<Double>, x: Tensor<Double>, w: Tensor<Double>) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>) {
        // Hint: dx = dOut · Wᵀ, dW = xᵀ · dOut, db = column sums of dOut.
        // BEGIN SOLUTION
        return (try dOut.matmul(w.transposed()), try x.transposed().matmul(dOut), try dOut.sum(axes: [0]))
        // END SOLUTION
    }

    public static func reluForward(x: Tensor<Double>) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        return x.map { max(0, $0) }
        // END SOLUTION
    }

    public static func reluBackward(dOut: Tensor<Double>, x: Tensor<Double>) throws -> Tensor<Double> {
        // BEGIN SOLUTION
        return try Tensor(shape: x.shape, scalars: zip(dOut.scalars, x.scalars).map { $1 > 0 ? $0 : 0 })
        // END SOLUTION
    }

    public static func initTwoLayerNet(inputs: Int, hidden: Int, classes: Int, std: Double, generator: inout SeededGenerator) throws -> TwoLayerParameters {
        // Hint: generator.nextNormal() draws one N(0, 1) number.
        // BEGIN SOLUTION
        let w1 = try Tensor(shape: [inputs, hidden], scalars: (0..<(inputs * hidden)).map { _ in std * generator.nextNormal() })
        let w2 = try Tensor(shape: [hidden, classes], scalars: (0..<(hidden * classes)).map { _ in std * generator.nextNormal() })
        return TwoLayerParameters(w1: w1, b1: try .zeros([hidden]), w2: w2, b2: try .zeros([classes]))
        // END SOLUTION
    }

    public static func twoLayerNetLoss(params: TwoLayerParameters, x: Tensor<Double>, labels: [Int], reg: Double) throws -> (loss: Double, grads: TwoLayerParameters) {
        // Hint: chain your affine, relu and softmax functions forward, then their backward
        // versions in reverse order; add the L2 terms of W1 and W2 to loss and gradients.
        // BEGIN SOLUTION
        let z = try affineForward(x: x, w: params.w1, b: params.b1)
        let h = try reluForward(x: z)
        let scores = try affineForward(x: h, w: params.w2, b: params.b2)
        let (dataLoss, dScores) = try softmaxLossVectorized(scores: scores, labels: labels)
        let (r1, dr1) = try l2Regularization(weights: params.w1, reg: reg)
        let (r2, dr2) = try l2Regularization(weights: params.w2, reg: reg)
        let (dh, dw2, db2) = try affineBackward(dOut: dScores, x: h, w: params.w2)
        let dz = try reluBackward(dOut: dh, x: z)
        let (_, dw1, db1) = try affineBackward(dOut: dz, x: x, w: params.w1)
        return (dataLoss + r1 + r2, TwoLayerParameters(w1: try dw1 + dr1, b1: db1, w2: try dw2 + dr2, b2: db2))
        // END SOLUTION
    }
}
