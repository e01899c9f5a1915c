import Autograd
import HomeworkKit
import Lang
import NeuralNet
import Random
import Tensors

/// The student's layer computations as a `LayerBackend`: ReLU, the naive convolution, max
/// pooling, inverted dropout, batch normalization (plain and spatial) and layer normalization
/// run the homework's forward and backward (in Double, as the exercises are written), wrapped
/// as autograd nodes. What the homework does not cover (padded pooling, normalization over
/// other axes) stays the engine's.
struct StudentBackend<H: HomeworkExercises>: LayerBackend {
    var name: String { "homework" }

    static func double<S: TensorScalar>(_ t: Tensor<S>) -> Tensor<Double> { t.converted() }
    static func back<S: TensorScalar>(_ t: Tensor<Double>) -> Tensor<S> { t.converted() }

    func relu<S: TensorScalar>(_ x: Variable<S>) throws -> Variable<S> {
        let xd = Self.double(x.value)
        let y = try studentCode("reluForward") { try H.reluForward(x: xd) }
        return Variable(Self.back(y), op: "relu (homework)", parents: [x]) { g in
            [Self.back(try studentCode("reluBackward") { try H.reluBackward(dOut: Self.double(g), x: xd) })]
        }
    }

    /// Without a bias the student's code sees zeros and no bias gradient is passed on.
    func conv2d<S: TensorScalar>(_ x: Variable<S>, weight w: Variable<S>, bias b: Variable<S>?, stride: Int, pad: Int) throws -> Variable<S> {
        let (xd, wd) = (Self.double(x.value), Self.double(w.value))
        let bd = try b.map { Self.double($0.value) } ?? Tensor<Double>.zeros([w.shape[0]])
        let y = try studentCode("convForwardNaive") { try H.convForwardNaive(x: xd, w: wd, b: bd, stride: stride, pad: pad) }
        return Variable(Self.back(y), op: "conv2d (homework)", parents: [x, w] + (b.map { [$0] } ?? [])) { g in
            let r = try studentCode("convBackwardNaive") { try H.convBackwardNaive(dOut: Self.double(g), x: xd, w: wd, stride: stride, pad: pad) }
            return [Self.back(r.dx), Self.back(r.dw)] + (b == nil ? [] : [Self.back(r.db)])
        }
    }

    /// The exercise has no padding; padded pooling stays the engine's.
    func maxPool2d<S: TensorScalar>(_ x: Variable<S>, size: Int, stride: Int, pad: Int) throws -> Variable<S> {
        guard pad == 0 else { return try EngineBackend().maxPool2d(x, size: size, stride: stride, pad: pad) }
        let xd = Self.double(x.value)
        let y = try studentCode("maxPoolForward") { try H.maxPoolForward(x: xd, size: size, stride: stride) }
        return Variable(Self.back(y), op: "max_pool2d (homework)", parents: [x]) { g in
            [Self.back(try studentCode("maxPoolBackward") { try H.maxPoolBackward(dOut: Self.double(g), x: xd, size: size, stride: stride) })]
        }
    }

    func invertedDropout<S: TensorScalar>(_ x: Variable<S>, keep p: S, generator: inout SeededGenerator) throws -> (output: Variable<S>, mask: Tensor<S>) {
        let keep = Double(p)
        let (out, mask) = try studentCode("dropoutForward") {
            try H.dropoutForward(x: Self.double(x.value), p: keep, train: true, generator: &generator)
        }
        let y = Variable(Self.back(out), op: "dropout (homework)", parents: [x]) { g in
            [Self.back(try studentCode("dropoutBackward") { try H.dropoutBackward(dOut: Self.double(g), mask: mask, p: keep) })]
        }
        return (y, Self.back(mask))
    }
}

extension StudentBackend {
    /// Training-mode batch normalization by the student's `batchnormForward` (axes `[0]`) or
    /// `spatialBatchnormForward` (`[0, 2, 3]`) and the matching backward. The batch statistics
    /// the layer's running averages need come back through a `RunningStatistics` updated with
    /// momentum 0 (which leaves exactly the batch's mean and variance in it).
    func batchNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, axes: [Int], epsilon: S) throws
        -> (output: Variable<S>, mean: Tensor<S>, variance: Tensor<S>)
    {
        let spatial = axes == [0, 2, 3] && x.shape.count == 4
        guard spatial || (axes == [0] && x.shape.count == 2) else {
            return try EngineBackend().batchNorm(x, scale: scale, shift: shift, axes: axes, epsilon: epsilon)
        }
        let features = scale.value.count, eps = Double(epsilon)
        let (xd, gamma, beta) = (Self.double(x.value), try Self.double(scale.value).reshaped([features]), try Self.double(shift.value).reshaped([features]))
        var batch = try RunningStatistics(features: features)
        let name = spatial ? "spatialBatchnormForward" : "batchnormForward"
        let out = try studentCode(name) {
            spatial
                ? try H.spatialBatchnormForward(x: xd, gamma: gamma, beta: beta, train: true, momentum: 0, epsilon: eps, running: &batch)
                : try H.batchnormForward(x: xd, gamma: gamma, beta: beta, train: true, momentum: 0, epsilon: eps, running: &batch)
        }
        let y = Variable(Self.back(out), op: "batch_norm (homework)", parents: [x, scale, shift]) { g in
            let r = try studentCode(spatial ? "spatialBatchnormBackward" : "batchnormBackward") {
                spatial
                    ? try H.spatialBatchnormBackward(dOut: Self.double(g), x: xd, gamma: gamma, epsilon: eps)
                    : try H.batchnormBackward(dOut: Self.double(g), x: xd, gamma: gamma, epsilon: eps)
            }
            return [Self.back(r.dx), Self.back(try r.dGamma.reshaped(scale.shape)), Self.back(try r.dBeta.reshaped(shift.shape))]
        }
        let statisticsShape = scale.shape
        return (y, Self.back(try batch.mean.reshaped(statisticsShape)), Self.back(try batch.variance.reshaped(statisticsShape)))
    }

    /// Layer normalization by the student's `layernormForward` and `layernormBackward`.
    func layerNorm<S: TensorScalar>(_ x: Variable<S>, scale: Variable<S>, shift: Variable<S>, epsilon: S) throws -> Variable<S> {
        let features = scale.value.count, eps = Double(epsilon)
        let (xd, gamma, beta) = (Self.double(x.value), try Self.double(scale.value).reshaped([features]), try Self.double(shift.value).reshaped([features]))
        let out = try studentCode("layernormForward") { try H.layernormForward(x: xd, gamma: gamma, beta: beta, epsilon: eps) }
        return Variable(Self.back(out), op: "layer_norm (homework)", parents: [x, scale, shift]) { g in
            let r = try studentCode("layernormBackward") { try H.layernormBackward(dOut: Self.double(g), x: xd, gamma: gamma, epsilon: eps) }
            return [Self.back(r.dx), Self.back(try r.dGamma.reshaped(scale.shape)), Self.back(try r.dBeta.reshaped(shift.shape))]
        }
    }
}

/// Runs student code, turning "not implemented" into a plain message.
func studentCode<R>(_ exercise: String, _ body: () throws -> R) throws -> R {
    do { return try body() } catch is Unimplemented {
        throw LangError(.runtime, "your homework's \(exercise) is not finished yet (it still throws Unimplemented); :use reference switches back")
    }
}
