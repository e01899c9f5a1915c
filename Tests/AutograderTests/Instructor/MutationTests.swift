import Autograd
import Foundation
import Grading
import HomeworkKit
import Random
import Solutions
import Tensors
import Testing

/// A plausible student mistake, written as an alternative implementation of one exercise.
struct Mutant: CustomTestStringConvertible, Sendable {
    let exercise: String
    let mistake: String
    let apply: @Sendable (inout ExerciseTable) -> Void
    var testDescription: String { "\(exercise): \(mistake)" }
}

typealias T = Tensor<Double>
let S = Solutions.Submission.self

func scaled(_ r: (loss: Double, dScores: T), _ f: Double) -> (loss: Double, dScores: T) { (r.loss * f, r.dScores * f) }

/// Softmax loss without the max shift: overflows on large scores.
func unshiftedSoftmax(_ s: T, _ y: [Int]) throws -> (loss: Double, dScores: T) {
    let n = s.shape[0], c = s.shape[1]
    var d = [Double](repeating: 0, count: n * c), loss = 0.0
    for i in 0..<n {
        let e = (0..<c).map { exp(s.scalars[i * c + $0]) }, sum = e.reduce(0, +)
        for j in 0..<c { d[i * c + j] = (e[j] / sum - (j == y[i] ? 1 : 0)) / Double(n) }
        loss -= log(e[y[i]] / sum)
    }
    return (loss / Double(n), try T(shape: [n, c], scalars: d))
}

func softmaxMissingLabelTerm(_ s: T, _ y: [Int]) throws -> (loss: Double, dScores: T) {
    let (l, d) = try S.softmaxLossVectorized(scores: s, labels: y)
    return (l, try d + T.oneHot(y, classes: s.shape[1]) / Double(s.shape[0]))
}

/// The SVM with a chosen margin, optionally forgetting the label column's gradient.
func svm(_ s: T, _ y: [Int], delta: Double, labelColumn: Bool) throws -> (loss: Double, dScores: T) {
    let n = s.shape[0], c = s.shape[1]
    var d = [Double](repeating: 0, count: n * c), loss = 0.0
    for i in 0..<n {
        for j in 0..<c where j != y[i] {
            let m = s.scalars[i * c + j] - s.scalars[i * c + y[i]] + delta
            if m > 0 { loss += m; d[i * c + j] += 1; if labelColumn { d[i * c + y[i]] -= 1 } }
        }
    }
    return (loss / Double(n), try T(shape: [n, c], scalars: d) / Double(n))
}

enum Difference { case forward, overH, leavesPerturbed }
func numericalGradient(_ x: T, _ h: Double, _ f: (T) throws -> Double, _ kind: Difference) throws -> T {
    var x = x, g = x.map { _ in 0 }
    for i in 0..<x.count {
        let v = x.scalars[i]
        x.scalars[i] = v + h; let plus = try f(x)
        x.scalars[i] = kind == .forward ? v : v - h; let minus = try f(x)
        g.scalars[i] = kind == .forward ? (plus - minus) / h : (plus - minus) / (kind == .overH ? h : 2 * h)
        if kind != .leavesPerturbed { x.scalars[i] = v }
    }
    return g
}

func naiveMaxPoolBackward(_ dOut: T, _ x: T, _ size: Int, _ stride: Int, overwrite: Bool) throws -> T {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (oh, ow) = ((h - size) / stride + 1, (w - size) / stride + 1)
    var dx = x.map { _ in 0 }
    for b in 0..<(n * c) {
        for i in 0..<oh {
            for j in 0..<ow {
                var best = (i * stride, j * stride)
                for r in 0..<size {
                    for s in 0..<size where x.scalars[(b * h + i * stride + r) * w + j * stride + s] > x.scalars[(b * h + best.0) * w + best.1] {
                        best = (i * stride + r, j * stride + s)
                    }
                }
                let g = dOut.scalars[(b * oh + i) * ow + j], at = (b * h + best.0) * w + best.1
                dx.scalars[at] = overwrite ? g : dx.scalars[at] + g
            }
        }
    }
    return dx
}

/// The training loop with one thing wrong.
enum LoopBug { case ignoresReg, skipsBiases, oneIterationPerEpoch, staleGradients }
func buggyTrain(
    _ p: inout TwoLayerParameters, _ x: T, _ labels: [Int], _ epochs: Int, _ batch: Int, _ lr: Double, _ reg: Double,
    _ g: inout SeededGenerator, _ bug: LoopBug
) throws -> [Double] {
    let n = x.shape[0]
    var losses: [Double] = [], stale: TwoLayerParameters?
    for _ in 0..<(epochs * (bug == .oneIterationPerEpoch ? 1 : max(1, n / batch))) {
        let idx = try S.sampleBatch(count: n, batchSize: batch, generator: &g)
        let (loss, fresh) = try S.twoLayerNetLoss(params: p, x: x.take(idx), labels: idx.map { labels[$0] }, reg: bug == .ignoresReg ? 0 : reg)
        if stale == nil || bug != .staleGradients { stale = fresh }
        let grads = stale!
        losses.append(loss)
        try S.sgd(w: &p.w1, dw: grads.w1, lr: lr)
        try S.sgd(w: &p.w2, dw: grads.w2, lr: lr)
        if bug != .skipsBiases { try S.sgd(w: &p.b1, dw: grads.b1, lr: lr); try S.sgd(w: &p.b2, dw: grads.b2, lr: lr) }
    }
    return losses
}

enum RavineBug { case wrongGradient, recordsBefore, freshState, adamStepStuck }
func buggyRavine(_ name: String, _ lr: Double, _ steps: Int, _ bug: RavineBug) throws -> [Double] {
    var w = T([-4, 1]), a = T([0, 0]), b = T([0, 0])
    var out: [Double] = []
    func f(_ w: T) -> Double { 0.5 * (w.scalars[0] * w.scalars[0] + 50 * w.scalars[1] * w.scalars[1]) }
    for t in 1...steps {
        if bug == .recordsBefore { out.append(f(w)) }
        let dw = bug == .wrongGradient ? w : T([w.scalars[0], 50 * w.scalars[1]])
        if bug == .freshState { a = T([0, 0]); b = T([0, 0]) }
        switch name {
        case "sgd": try S.sgd(w: &w, dw: dw, lr: lr)
        case "momentum": try S.sgdMomentum(w: &w, dw: dw, velocity: &a, lr: lr, momentum: 0.9)
        case "rmsprop": try S.rmsprop(w: &w, dw: dw, cache: &a, lr: lr, decayRate: 0.9, epsilon: 1e-8)
        default: try S.adam(w: &w, dw: dw, m: &a, v: &b, t: bug == .adamStepStuck ? 1 : t, lr: lr, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        }
        if bug != .recordsBefore { out.append(f(w)) }
    }
    return out
}

func softmaxMutants(_ id: String, _ path: WritableKeyPath<ExerciseTable, (T, [Int]) throws -> (loss: Double, dScores: T)> & Sendable) -> [Mutant] {
    [
        Mutant(exercise: id, mistake: "forgets 1/N") { $0[keyPath: path] = { s, y in scaled(try S.softmaxLossVectorized(scores: s, labels: y), Double(s.shape[0])) } },
        Mutant(exercise: id, mistake: "no max shift before exp") { $0[keyPath: path] = unshiftedSoftmax },
        Mutant(exercise: id, mistake: "gradient forgets the −1 at the label") { $0[keyPath: path] = softmaxMissingLabelTerm },
        Mutant(exercise: id, mistake: "loss with the wrong sign") {
            $0[keyPath: path] = { s, y in
                let r = try S.softmaxLossVectorized(scores: s, labels: y); return (-r.loss, r.dScores)
            }
        }
    ]
}

let mutants: [Mutant] =
    deepNetMutants + softmaxMutants("a1.softmax_loss_naive", \.softmaxLossNaive) + softmaxMutants("a1.softmax_loss_vectorized", \.softmaxLossVectorized) + [
        Mutant(exercise: "a1.svm_loss", mistake: "counts the correct class's own margin") {
            $0.svmLoss = { s, y in
                let r = try S.svmLoss(scores: s, labels: y); return (r.loss + 1, r.dScores)
            }
        },
        Mutant(exercise: "a1.svm_loss", mistake: "margin Δ = 0") { $0.svmLoss = { try svm($0, $1, delta: 0, labelColumn: true) } },
        Mutant(exercise: "a1.svm_loss", mistake: "gradient forgets the label column") { $0.svmLoss = { try svm($0, $1, delta: 1, labelColumn: false) } },
        Mutant(exercise: "a1.svm_loss", mistake: "forgets 1/N") { $0.svmLoss = { s, y in scaled(try S.svmLoss(scores: s, labels: y), Double(s.shape[0])) } },

        Mutant(exercise: "a1.l2_regularization", mistake: "reg·ΣW² without the ½") {
            $0.l2Regularization = { w, r in
                let o = try S.l2Regularization(weights: w, reg: r); return (o.loss * 2, o.dWeights * 2)
            }
        },
        Mutant(exercise: "a1.l2_regularization", mistake: "gradient 2·reg·W") { $0.l2Regularization = { w, r in (try S.l2Regularization(weights: w, reg: r).loss, w * (2 * r)) } },
        Mutant(exercise: "a1.l2_regularization", mistake: "mean instead of sum") {
            $0.l2Regularization = { w, r in
                let o = try S.l2Regularization(weights: w, reg: r); return (o.loss / Double(w.count), o.dWeights / Double(w.count))
            }
        },
        Mutant(exercise: "a1.l1_regularization", mistake: "gradient sign flipped") {
            $0.l1Regularization = { w, r in
                let o = try S.l1Regularization(weights: w, reg: r); return (o.loss, o.dWeights * -1)
            }
        },
        Mutant(exercise: "a1.l1_regularization", mistake: "sign(0) taken as 1") { $0.l1Regularization = { w, r in (try S.l1Regularization(weights: w, reg: r).loss, w.map { $0 >= 0 ? r : -r }) } },
        Mutant(exercise: "a1.l1_regularization", mistake: "penalty sums W²") { $0.l1Regularization = { w, r in (r * w.scalars.reduce(0) { $0 + $1 * $1 }, try S.l1Regularization(weights: w, reg: r).dWeights) } },

        Mutant(exercise: "a1.numerical_gradient", mistake: "forward difference") { $0.numericalGradient = { try numericalGradient($0, $1, $2, .forward) } },
        Mutant(exercise: "a1.numerical_gradient", mistake: "divides by h instead of 2h") { $0.numericalGradient = { try numericalGradient($0, $1, $2, .overH) } },
        Mutant(exercise: "a1.numerical_gradient", mistake: "leaves x perturbed") { $0.numericalGradient = { try numericalGradient($0, $1, $2, .leavesPerturbed) } },
        Mutant(exercise: "a1.relative_error", mistake: "no 1e-8 guard (0/0)") { $0.relativeError = { a, b in zip(a.scalars, b.scalars).map { abs($0 - $1) / (abs($0) + abs($1)) }.max()! } },
        Mutant(exercise: "a1.relative_error", mistake: "mean instead of max") {
            $0.relativeError = { a, b in
                let e = zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1e-8, abs($0) + abs($1)) }; return e.reduce(0, +) / Double(e.count)
            }
        },
        Mutant(exercise: "a1.relative_error", mistake: "max(|a|, |b|) as denominator") { $0.relativeError = { a, b in zip(a.scalars, b.scalars).map { abs($0 - $1) / max(1e-8, max(abs($0), abs($1))) }.max()! } },

        Mutant(exercise: "a1.affine", mistake: "forward without bias") { $0.affineForward = { x, w, _ in try x.matmul(w) } },
        Mutant(exercise: "a1.affine", mistake: "db is the mean") {
            $0.affineBackward = { d, x, w in
                let r = try S.affineBackward(dOut: d, x: x, w: w); return (r.dx, r.dw, r.db / Double(x.shape[0]))
            }
        },
        Mutant(exercise: "a1.affine", mistake: "dw = dOutᵀ·x (transposed)") {
            $0.affineBackward = { d, x, w in
                let r = try S.affineBackward(dOut: d, x: x, w: w); return (r.dx, try d.transposed().matmul(x), r.db)
            }
        },
        Mutant(exercise: "a1.relu", mistake: "backward gates on dOut > 0") { $0.reluBackward = { d, _ in d.map { $0 > 0 ? $0 : 0 } } },
        Mutant(exercise: "a1.relu", mistake: "backward passes dOut through") { $0.reluBackward = { d, _ in d } },
        Mutant(exercise: "a1.relu", mistake: "forward is |x|") { $0.reluForward = { x in x.map { abs($0) } } },
        Mutant(exercise: "a1.relu", mistake: "leaky forward") { $0.reluForward = { x in x.map { $0 > 0 ? $0 : 0.01 * $0 } } },

        Mutant(exercise: "a1.init_two_layer_net", mistake: "std not applied") { $0.initTwoLayerNet = { d, h, c, _, g in try S.initTwoLayerNet(inputs: d, hidden: h, classes: c, std: 1, generator: &g) } },
        Mutant(exercise: "a1.init_two_layer_net", mistake: "random biases") {
            $0.initTwoLayerNet = { d, h, c, s, g in
                var p = try S.initTwoLayerNet(inputs: d, hidden: h, classes: c, std: s, generator: &g); for i in 0..<p.b1.count { p.b1.scalars[i] = s * g.nextNormal() }; return p
            }
        },
        Mutant(exercise: "a1.init_two_layer_net", mistake: "W2 drawn before W1") {
            $0.initTwoLayerNet = { d, h, c, s, g in
                let w2 = try T(shape: [h, c], scalars: (0..<(h * c)).map { _ in s * g.nextNormal() }), w1 = try T(shape: [d, h], scalars: (0..<(d * h)).map { _ in s * g.nextNormal() })
                return TwoLayerParameters(w1: w1, b1: try .zeros([h]), w2: w2, b2: try .zeros([c]))
            }
        },
        Mutant(exercise: "a1.init_two_layer_net", mistake: "uniform(−std, std) draws") {
            $0.initTwoLayerNet = { d, h, c, s, g in
                var draws: [Double] = []
                for _ in 0..<(d * h + h * c) { draws.append(s * (2 * g.nextUniform() - 1)) }
                return TwoLayerParameters(
                    w1: try T(shape: [d, h], scalars: Array(draws[..<(d * h)])), b1: try .zeros([h]),
                    w2: try T(shape: [h, c], scalars: Array(draws[(d * h)...])), b2: try .zeros([c]))
            }
        },

        Mutant(exercise: "a1.two_layer_net_loss", mistake: "penalty without the ½") {
            $0.twoLayerNetLoss = { p, x, y, r in
                var o = try S.twoLayerNetLoss(params: p, x: x, labels: y, reg: r)
                o.loss += 0.5 * r * (p.w1.scalars.reduce(0) { $0 + $1 * $1 } + p.w2.scalars.reduce(0) { $0 + $1 * $1 })
                o.grads.w1 = try o.grads.w1 + p.w1 * r; o.grads.w2 = try o.grads.w2 + p.w2 * r
                return o
            }
        },
        Mutant(exercise: "a1.two_layer_net_loss", mistake: "no reg in the gradients") {
            $0.twoLayerNetLoss = { p, x, y, r in
                var o = try S.twoLayerNetLoss(params: p, x: x, labels: y, reg: r)
                o.grads.w1 = try o.grads.w1 - p.w1 * (2 * r); o.grads.w2 = try o.grads.w2 - p.w2 * (2 * r)
                return o
            }
        },
        Mutant(exercise: "a1.two_layer_net_loss", mistake: "bias gradients averaged") {
            $0.twoLayerNetLoss = { p, x, y, r in
                var o = try S.twoLayerNetLoss(params: p, x: x, labels: y, reg: r)
                o.grads.b1 = o.grads.b1 / Double(x.shape[0]); o.grads.b2 = o.grads.b2 / Double(x.shape[0])
                return o
            }
        },

        Mutant(exercise: "a2.sample_batch", mistake: "with replacement") { $0.sampleBatch = { n, b, g in (0..<b).map { _ in min(n - 1, Int(g.nextUniform() * Double(n))) } } },
        Mutant(exercise: "a2.sample_batch", mistake: "always the first b") { $0.sampleBatch = { _, b, _ in Array(0..<b) } },
        Mutant(exercise: "a2.sample_batch", mistake: "system random generator") { $0.sampleBatch = { n, b, _ in Array((0..<n).shuffled().prefix(b)) } },
        Mutant(exercise: "a2.sample_batch", mistake: "indices 1...n") { $0.sampleBatch = { n, b, g in try S.sampleBatch(count: n, batchSize: b, generator: &g).map { $0 + 1 } } },
        Mutant(exercise: "a2.sgd", mistake: "adds the gradient") { $0.sgd = { w, d, lr in try S.sgd(w: &w, dw: d, lr: -lr) } },
        Mutant(exercise: "a2.sgd", mistake: "ignores lr") { $0.sgd = { w, d, _ in try S.sgd(w: &w, dw: d, lr: 1) } },
        Mutant(exercise: "a2.sgd", mistake: "updates a copy") {
            $0.sgd = { w, d, lr in
                var copy = w; try S.sgd(w: &copy, dw: d, lr: lr)
            }
        },
        Mutant(exercise: "a2.sgd_momentum", mistake: "PyTorch's velocity (v = μv + dw, w −= lr·v)") {
            $0.sgdMomentum = { w, d, v, lr, mu in
                v = try v * mu + d; w = try w - v * lr
            }
        },
        Mutant(exercise: "a2.sgd_momentum", mistake: "w moves by the old velocity") {
            $0.sgdMomentum = { w, d, v, lr, mu in
                w = try w + v; v = try v * mu - d * lr
            }
        },
        Mutant(exercise: "a2.sgd_momentum", mistake: "momentum sign flipped") {
            $0.sgdMomentum = { w, d, v, lr, mu in
                v = try v * (-mu) - d * lr; w = try w + v
            }
        },
        Mutant(exercise: "a2.sgd_momentum", mistake: "forgets μ") {
            $0.sgdMomentum = { w, d, v, lr, _ in
                v = try v - d * lr; w = try w + v
            }
        },
        Mutant(exercise: "a2.rmsprop", mistake: "cache without (1 − ρ)") {
            $0.rmsprop = { w, d, c, lr, rho, eps in
                c = try c * rho + d * d; w = try w - d * lr / (c.sqrt() + eps)
            }
        },
        Mutant(exercise: "a2.rmsprop", mistake: "ε inside the square root") {
            $0.rmsprop = { w, d, c, lr, rho, eps in
                c = try c * rho + d * d * (1 - rho); w = try w - d * lr / (c + eps).sqrt()
            }
        },
        Mutant(exercise: "a2.rmsprop", mistake: "divides by the cache, not its root") {
            $0.rmsprop = { w, d, c, lr, rho, eps in
                c = try c * rho + d * d * (1 - rho); w = try w - d * lr / (c + eps)
            }
        },
        Mutant(exercise: "a2.adam", mistake: "no bias correction") {
            $0.adam = { w, d, m, v, _, lr, b1, b2, eps in
                m = try m * b1 + d * (1 - b1); v = try v * b2 + d * d * (1 - b2); w = try w - m * lr / (v.sqrt() + eps)
            }
        },
        Mutant(exercise: "a2.adam", mistake: "bias correction with t + 1") { $0.adam = { w, d, m, v, t, lr, b1, b2, eps in try S.adam(w: &w, dw: d, m: &m, v: &v, t: t + 1, lr: lr, beta1: b1, beta2: b2, epsilon: eps) } },
        Mutant(exercise: "a2.adam", mistake: "v averages dw, not dw²") {
            $0.adam = { w, d, m, v, t, lr, b1, b2, eps in
                m = try m * b1 + d * (1 - b1); v = try v * b2 + d * (1 - b2)
                let mh = m / (1 - pow(b1, Double(t))), vh = v / (1 - pow(b2, Double(t)))
                w = try w - mh * lr / (vh.map { Swift.abs($0) }.sqrt() + eps)
            }
        },
        Mutant(exercise: "a2.adam", mistake: "β₁ and β₂ swapped") { $0.adam = { w, d, m, v, t, lr, b1, b2, eps in try S.adam(w: &w, dw: d, m: &m, v: &v, t: t, lr: lr, beta1: b2, beta2: b1, epsilon: eps) } },
        Mutant(exercise: "a2.schedules", mistake: "fractional exponent t / every") { $0.stepDecay = { lr, t, every, f in lr * pow(f, Double(t) / Double(every)) } },
        Mutant(exercise: "a2.schedules", mistake: "drops one step early") { $0.stepDecay = { lr, t, every, f in lr * pow(f, Double((t + 1) / every)) } },
        Mutant(exercise: "a2.schedules", mistake: "1/t decay as an exponential") { $0.inverseTimeDecay = { lr, t, k in lr * exp(-k * Double(t)) } },
        Mutant(exercise: "a2.schedules", mistake: "1/t decay without the 1 +") { $0.inverseTimeDecay = { lr, t, k in lr / max(1e-12, k * Double(t)) } },
        Mutant(exercise: "a2.training_loop", mistake: "never updates") { $0.train = { _, _, _, e, _, _, _, _ in Array(repeating: 2.3, count: e) } },
        Mutant(exercise: "a2.training_loop", mistake: "ignores reg") { $0.train = { try buggyTrain(&$0, $1, $2, $3, $4, $5, $6, &$7, .ignoresReg) } },
        Mutant(exercise: "a2.training_loop", mistake: "never updates the biases") { $0.train = { try buggyTrain(&$0, $1, $2, $3, $4, $5, $6, &$7, .skipsBiases) } },
        Mutant(exercise: "a2.training_loop", mistake: "one iteration per epoch") { $0.train = { try buggyTrain(&$0, $1, $2, $3, $4, $5, $6, &$7, .oneIterationPerEpoch) } },
        Mutant(exercise: "a2.training_loop", mistake: "stale gradients") { $0.train = { try buggyTrain(&$0, $1, $2, $3, $4, $5, $6, &$7, .staleGradients) } },
        Mutant(exercise: "a2.optimizer_comparison", mistake: "gradient (x, y)") { $0.ravineLosses = { try buggyRavine($0, $1, $2, .wrongGradient) } },
        Mutant(exercise: "a2.optimizer_comparison", mistake: "records f before the step") { $0.ravineLosses = { try buggyRavine($0, $1, $2, .recordsBefore) } },
        Mutant(exercise: "a2.optimizer_comparison", mistake: "fresh optimizer state every step") { $0.ravineLosses = { try buggyRavine($0, $1, $2, .freshState) } },
        Mutant(exercise: "a2.optimizer_comparison", mistake: "Adam's t stuck at 1") { $0.ravineLosses = { try buggyRavine($0, $1, $2, .adamStepStuck) } },

        Mutant(exercise: "a3.dropout", mistake: "p as the drop probability") { $0.dropoutForward = { x, p, train, g in try S.dropoutForward(x: x, p: 1 - p, train: train, generator: &g) } },
        Mutant(exercise: "a3.dropout", mistake: "no 1/p in training") {
            $0.dropoutForward = { x, p, train, g in
                let r = try S.dropoutForward(x: x, p: p, train: train, generator: &g); return (train ? r.out * p : r.out, r.mask)
            }
        },
        Mutant(exercise: "a3.dropout", mistake: "scales by p at test time") {
            $0.dropoutForward = { x, p, train, g in
                let r = try S.dropoutForward(x: x, p: p, train: train, generator: &g); return (train ? r.out : r.out * p, r.mask)
            }
        },
        Mutant(exercise: "a3.dropout", mistake: "backward without 1/p") { $0.dropoutBackward = { d, m, _ in try d * m } },
        Mutant(exercise: "a3.dropout", mistake: "backward ignores the mask") { $0.dropoutBackward = { d, _, p in d / p } },
        Mutant(exercise: "a3.conv_forward_naive", mistake: "flips the filters") { $0.convForwardNaive = { x, w, b, s, p in try x.conv2d(flippedFilters(w), bias: b, stride: s, pad: p) } },
        Mutant(exercise: "a3.conv_forward_naive", mistake: "no bias") { $0.convForwardNaive = { x, w, _, s, p in try x.conv2d(w, bias: nil, stride: s, pad: p) } },
        Mutant(exercise: "a3.conv_forward_naive", mistake: "ignores padding") { $0.convForwardNaive = { x, w, b, s, _ in try x.conv2d(w, bias: b, stride: s, pad: 0) } },
        Mutant(exercise: "a3.conv_forward_naive", mistake: "ignores stride") { $0.convForwardNaive = { x, w, b, _, p in try x.conv2d(w, bias: b, stride: 1, pad: p) } },
        Mutant(exercise: "a3.conv_backward_naive", mistake: "db is the mean") {
            $0.convBackwardNaive = { d, x, w, s, p in
                let r = try S.convBackwardNaive(dOut: d, x: x, w: w, stride: s, pad: p); return (r.dx, r.dw, r.db / Double(d.count / w.shape[0]))
            }
        },
        Mutant(exercise: "a3.conv_backward_naive", mistake: "dw flipped") {
            $0.convBackwardNaive = { d, x, w, s, p in
                let r = try S.convBackwardNaive(dOut: d, x: x, w: w, stride: s, pad: p); return (r.dx, flippedFilters(r.dw), r.db)
            }
        },
        Mutant(exercise: "a3.conv_backward_naive", mistake: "dx through flipped filters") {
            $0.convBackwardNaive = { d, x, w, s, p in
                let r = try S.convBackwardNaive(dOut: d, x: x, w: w, stride: s, pad: p)
                return (try S.convBackwardNaive(dOut: d, x: x, w: flippedFilters(w), stride: s, pad: p).dx, r.dw, r.db)
            }
        },
        Mutant(exercise: "a3.max_pool", mistake: "average instead of max") { $0.maxPoolForward = { x, size, s in try x.avgPool2d(size: size, stride: s) } },
        Mutant(exercise: "a3.max_pool", mistake: "backward spreads evenly") {
            $0.maxPoolBackward = { d, x, size, s in
                let v = Variable(x, requiresGrad: true); let o = try v.avgPool2d(size: size, stride: s); try o.backward(d); return v.grad!
            }
        },
        Mutant(exercise: "a3.max_pool", mistake: "backward overwrites overlapping windows") { $0.maxPoolBackward = { try naiveMaxPoolBackward($0, $1, $2, $3, overwrite: true) } },
        Mutant(exercise: "a3.mean_subtraction", mistake: "mean of the data, not of train") {
            $0.subtractMeanImage = { _, data in
                let m = try data.mean(axes: [0]); return (m, try data - m)
            }
        },
        Mutant(exercise: "a3.mean_subtraction", mistake: "one mean over everything") {
            $0.subtractMeanImage = { train, data in
                let m = train.map { _ in train.scalars.reduce(0, +) / Double(train.count) }; let one = try m.mean(axes: [0]); return (one, try data - one)
            }
        },
        Mutant(exercise: "a3.mean_subtraction", mistake: "per-channel mean over the wrong axes") { $0.perChannelMean = { images in try images.mean(axes: [0, 1, 2]).scalars.prefix(images.shape[1]).map { $0 } } },
        Mutant(exercise: "a3.crop_and_flip", mistake: "vertical flip") {
            $0.horizontalFlip = { img in
                let (c, h, w) = (img.shape[0], img.shape[1], img.shape[2]); var o = img
                for ch in 0..<c { for y in 0..<h { for x in 0..<w { o.scalars[(ch * h + y) * w + x] = img.scalars[(ch * h + h - 1 - y) * w + x] } } }
                return o
            }
        },
        Mutant(exercise: "a3.crop_and_flip", mistake: "top and left swapped") { $0.randomCrop = { img, p, top, left in try S.randomCrop(image: img, padding: p, top: left, left: top) } },
        Mutant(exercise: "a3.crop_and_flip", mistake: "offset not shifted by the padding") { $0.randomCrop = { img, p, top, left in try S.randomCrop(image: img, padding: p, top: min(2 * p, top + p), left: min(2 * p, left + p)) } }
    ]

@Suite("Mutation tests: plausible mistakes lose points")
struct MutationTests {
    @Test("each mistake loses points under several seeds", arguments: mutants)
    func mutantLosesPoints(_ mutant: Mutant) {
        let e = exercise(mutant.exercise)
        for seed: UInt64 in [1, 2, 3, 1_234, 98_765] {
            var table = reference
            mutant.apply(&table)
            let r = Gradebook.grade(e, table, seed: seed)
            #expect(r.score < e.maxScore, "seed \(seed): \(mutant.mistake) kept \(r.score)/\(e.maxScore)")
        }
    }

    @Test func everyExerciseHasAtLeastThreeMutants() {
        for e in Gradebook.exercises {
            #expect(mutants.filter { $0.exercise == e.id }.count >= 3, "\(e.id)")
        }
    }

    @Test("points only for the student's own code: the reference with one exercise stubbed scores 0 there", arguments: Gradebook.exercises)
    func stubbingAnExerciseZeroesIt(_ e: Exercise) {
        var table = reference
        stubExercise(e.id, in: &table)
        let r = Gradebook.grade(e, table, seed: 4)
        #expect(r.score == 0 && r.status == .notAttempted, "\(e.id): \(r.score) — \(r.messages)")
    }
}

/// Replaces the functions a student writes for exercise `id` with `Unimplemented` stubs.
func stubExercise(_ id: String, in t: inout ExerciseTable) {
    let u = Unimplemented.init
    switch id {
    case "a1.softmax_loss_naive": t.softmaxLossNaive = { _, _ in throw u("softmaxLossNaive") }
    case "a1.softmax_loss_vectorized": t.softmaxLossVectorized = { _, _ in throw u("softmaxLossVectorized") }
    case "a1.svm_loss": t.svmLoss = { _, _ in throw u("svmLoss") }
    case "a1.l2_regularization": t.l2Regularization = { _, _ in throw u("l2Regularization") }
    case "a1.l1_regularization": t.l1Regularization = { _, _ in throw u("l1Regularization") }
    case "a1.numerical_gradient": t.numericalGradient = { _, _, _ in throw u("numericalGradient") }
    case "a1.relative_error": t.relativeError = { _, _ in throw u("relativeError") }
    case "a1.affine": t.affineForward = { _, _, _ in throw u("affineForward") }; t.affineBackward = { _, _, _ in throw u("affineBackward") }
    case "a1.relu": t.reluForward = { _ in throw u("reluForward") }; t.reluBackward = { _, _ in throw u("reluBackward") }
    case "a1.init_two_layer_net": t.initTwoLayerNet = { _, _, _, _, _ in throw u("initTwoLayerNet") }
    case "a1.two_layer_net_loss": t.twoLayerNetLoss = { _, _, _, _ in throw u("twoLayerNetLoss") }
    case "a2.sample_batch": t.sampleBatch = { _, _, _ in throw u("sampleBatch") }
    case "a2.sgd": t.sgd = { _, _, _ in throw u("sgd") }
    case "a2.sgd_momentum": t.sgdMomentum = { _, _, _, _, _ in throw u("sgdMomentum") }
    case "a2.rmsprop": t.rmsprop = { _, _, _, _, _, _ in throw u("rmsprop") }
    case "a2.adam": t.adam = { _, _, _, _, _, _, _, _, _ in throw u("adam") }
    case "a2.schedules": t.stepDecay = { _, _, _, _ in throw u("stepDecay") }; t.inverseTimeDecay = { _, _, _ in throw u("inverseTimeDecay") }
    case "a2.training_loop": t.train = { _, _, _, _, _, _, _, _ in throw u("train") }
    case "a2.optimizer_comparison": t.ravineLosses = { _, _, _ in throw u("ravineLosses") }
    case "a3.dropout": t.dropoutForward = { _, _, _, _ in throw u("dropoutForward") }; t.dropoutBackward = { _, _, _ in throw u("dropoutBackward") }
    case "a3.conv_forward_naive": t.convForwardNaive = { _, _, _, _, _ in throw u("convForwardNaive") }
    case "a3.conv_backward_naive": t.convBackwardNaive = { _, _, _, _, _ in throw u("convBackwardNaive") }
    case "a3.max_pool": t.maxPoolForward = { _, _, _ in throw u("maxPoolForward") }; t.maxPoolBackward = { _, _, _, _ in throw u("maxPoolBackward") }
    case "a3.mean_subtraction": t.subtractMeanImage = { _, _ in throw u("subtractMeanImage") }; t.perChannelMean = { _ in throw u("perChannelMean") }
    case "a3.crop_and_flip": t.randomCrop = { _, _, _, _ in throw u("randomCrop") }; t.horizontalFlip = { _ in throw u("horizontalFlip") }
    case "a3.im2col":
        t.im2col = { _, _, _, _, _ in throw u("im2col") }; t.col2im = { _, _, _, _, _, _ in throw u("col2im") }
        t.convForwardIm2col = { _, _, _, _, _ in throw u("convForwardIm2col") }
    case "a4.batchnorm_forward": t.batchnormForward = { _, _, _, _, _, _, _ in throw u("batchnormForward") }
    case "a4.batchnorm_backward": t.batchnormBackward = { _, _, _, _ in throw u("batchnormBackward") }
    case "a4.batchnorm_backward_alt": t.batchnormBackwardAlt = { _, _, _, _ in throw u("batchnormBackwardAlt") }
    case "a4.spatial_batchnorm":
        t.spatialBatchnormForward = { _, _, _, _, _, _, _ in throw u("spatialBatchnormForward") }
        t.spatialBatchnormBackward = { _, _, _, _ in throw u("spatialBatchnormBackward") }
    case "a4.layernorm": t.layernormForward = { _, _, _, _ in throw u("layernormForward") }; t.layernormBackward = { _, _, _, _ in throw u("layernormBackward") }
    case "a4.fully_connected_net":
        t.initFullyConnectedNet = { _, _, _, _, _, _, _ in throw u("initFullyConnectedNet") }
        t.fullyConnectedNetLoss = { _, _, _, _, _ in throw u("fullyConnectedNetLoss") }
    case "a4.solver": t.solve = { _, _, _ in throw u("solve") }
    case "a5.project": t.projectModel = { _ in throw u("projectModel") }
    default: Issue.record("no stubs listed for \(id)")
    }
}
