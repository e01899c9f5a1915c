import Random
import Tensors

/// Thrown by an exercise the student has not attempted yet. The grader reports such an
/// exercise as skipped with 0 points instead of failing it (and never traps, so one
/// unfinished exercise cannot end the whole test run).
public struct Unimplemented: Error, CustomStringConvertible {
    public let function: String
    public init(_ function: String = #function) { self.function = function }
    public var description: String { "\(function) is not implemented yet (it still throws Unimplemented)" }
}

/// An error your homework may throw for input it cannot handle; the grader shows its message.
public struct HomeworkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}

/// The two-layer net's parameters: `W1 [D, H]`, `b1 [H]`, `W2 [H, C]`, `b2 [C]`.
public struct TwoLayerParameters: Sendable {
    public var w1: Tensor<Double>
    public var b1: Tensor<Double>
    public var w2: Tensor<Double>
    public var b2: Tensor<Double>
    public init(w1: Tensor<Double>, b1: Tensor<Double>, w2: Tensor<Double>, b2: Tensor<Double>) {
        self.w1 = w1; self.b1 = b1; self.w2 = w2; self.b2 = b2
    }
}

/// Assignment 1: losses, gradients and the two-layer net.
///
/// Shapes: scores `[N, C]` with integer labels `y` (N of them); `x [N, D]`, `w [D, M]`, `b [M]`.
public protocol LossExercises {
    /// Softmax loss with explicit loops: `L = (1/N) Σᵢ −log(e^{s_{i,yᵢ}} / Σⱼ e^{s_{ij}})`, and `∂L/∂s`.
    static func softmaxLossNaive(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    /// The same, without loops over examples.
    static func softmaxLossVectorized(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    /// Multiclass SVM loss `L = (1/N) Σᵢ Σ_{j≠yᵢ} max(0, s_{ij} − s_{i,yᵢ} + 1)` and `∂L/∂s`.
    static func svmLoss(scores: Tensor<Double>, labels: [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    /// `R = ½ · reg · Σ W²` and `∂R/∂W = reg · W`: the course's one L2 convention (the
    /// engine's `penalty`, CS231n's fully connected nets, and PyTorch's `weight_decay = reg`).
    static func l2Regularization(weights: Tensor<Double>, reg: Double) throws -> (loss: Double, dWeights: Tensor<Double>)
    /// `R = reg · Σ |W|` and `∂R/∂W = reg · sign(W)` (0 at 0).
    static func l1Regularization(weights: Tensor<Double>, reg: Double) throws -> (loss: Double, dWeights: Tensor<Double>)
    /// Central differences `(f(x + h eᵢ) − f(x − h eᵢ)) / 2h` for every element of x.
    static func numericalGradient(at x: Tensor<Double>, h: Double, _ f: (Tensor<Double>) throws -> Double) throws -> Tensor<Double>
    /// The largest elementwise relative error `|a − b| / max(1e-8, |a| + |b|)`.
    static func relativeError(_ a: Tensor<Double>, _ b: Tensor<Double>) throws -> Double
    /// `out = x·w + b`: x `[N, D]`, w `[D, M]`, b `[M]` → `[N, M]`.
    static func affineForward(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>) throws -> Tensor<Double>
    /// Gradients of the affine layer given `dOut [N, M]`.
    static func affineBackward(dOut: Tensor<Double>, x: Tensor<Double>, w: Tensor<Double>) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)
    /// `max(0, x)` elementwise.
    static func reluForward(x: Tensor<Double>) throws -> Tensor<Double>
    /// `dOut` where `x > 0`, else 0.
    static func reluBackward(dOut: Tensor<Double>, x: Tensor<Double>) throws -> Tensor<Double>
    /// Weights `std · N(0, 1)` drawn from `generator` (W1 first, row-major, then W2), zero biases.
    static func initTwoLayerNet(inputs: Int, hidden: Int, classes: Int, std: Double, generator: inout SeededGenerator) throws -> TwoLayerParameters
    /// Scores `relu(x W1 + b1) W2 + b2`; loss = softmax loss + `½·reg·(ΣW1² + ΣW2²)`; gradients of every parameter.
    static func twoLayerNetLoss(params: TwoLayerParameters, x: Tensor<Double>, labels: [Int], reg: Double) throws -> (loss: Double, grads: TwoLayerParameters)
}

/// Assignment 2: training.
public protocol TrainingExercises {
    /// `batchSize` distinct indices in `0..<count`, drawn with `generator`.
    static func sampleBatch(count: Int, batchSize: Int, generator: inout SeededGenerator) throws -> [Int]
    /// `w ← w − lr · dw`.
    static func sgd(w: inout Tensor<Double>, dw: Tensor<Double>, lr: Double) throws
    /// `v ← μ v − lr dw`, `w ← w + v`.
    static func sgdMomentum(w: inout Tensor<Double>, dw: Tensor<Double>, velocity: inout Tensor<Double>, lr: Double, momentum: Double) throws
    /// `cache ← ρ cache + (1 − ρ) dw²`, `w ← w − lr dw / (√cache + ε)`.
    static func rmsprop(w: inout Tensor<Double>, dw: Tensor<Double>, cache: inout Tensor<Double>, lr: Double, decayRate: Double, epsilon: Double) throws
    /// Adam with bias correction at step `t` (counting from 1).
    static func adam(
        w: inout Tensor<Double>, dw: Tensor<Double>, m: inout Tensor<Double>, v: inout Tensor<Double>, t: Int,
        lr: Double, beta1: Double, beta2: Double, epsilon: Double) throws
    /// `initial · factor^⌊t / every⌋`.
    static func stepDecay(initial: Double, iteration: Int, every: Int, factor: Double) throws -> Double
    /// `initial / (1 + k t)`.
    static func inverseTimeDecay(initial: Double, iteration: Int, k: Double) throws -> Double
    /// Runs one of your update rules on the ravine `f(x, y) = ½(x² + 50y²)` from `(x, y) = (−4, 1)`
    /// with gradient `(x, 50y)`, and returns f after each of `steps` steps. `optimizer` is
    /// `"sgd"`, `"momentum"` (μ = 0.9), `"rmsprop"` (decay 0.9, ε = 1e-8) or `"adam"`
    /// (β₁ = 0.9, β₂ = 0.999, ε = 1e-8, t counting from 1); each keeps its state across steps.
    static func ravineLosses(optimizer: String, lr: Double, steps: Int) throws -> [Double]
    /// Mini-batch SGD on the two-layer net (your `twoLayerNetLoss` and `sgd`); returns the loss of every iteration.
    static func train(
        params: inout TwoLayerParameters, x: Tensor<Double>, labels: [Int], epochs: Int, batchSize: Int,
        lr: Double, reg: Double, generator: inout SeededGenerator
    ) throws -> [Double]
}

/// Assignment 3: ConvNets and regularization. Images are `[N, C, H, W]`, filters `[K, C, R, S]`.
public protocol ConvExercises {
    /// Inverted dropout with keep probability p: in training, `mask` has 1 with probability p
    /// (drawn with `generator`), `out = x · mask / p`; at test time `out = x` and mask is all ones.
    static func dropoutForward(x: Tensor<Double>, p: Double, train: Bool, generator: inout SeededGenerator) throws -> (out: Tensor<Double>, mask: Tensor<Double>)
    /// `dx = dOut · mask / p`.
    static func dropoutBackward(dOut: Tensor<Double>, mask: Tensor<Double>, p: Double) throws -> Tensor<Double>
    /// Convolution with loops: `out[n,k,i,j] = b[k] + Σ_{c,r,s} x_pad[n,c,i·stride+r,j·stride+s] · w[k,c,r,s]`.
    static func convForwardNaive(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, stride: Int, pad: Int) throws -> Tensor<Double>
    /// Its gradients (harder).
    static func convBackwardNaive(dOut: Tensor<Double>, x: Tensor<Double>, w: Tensor<Double>, stride: Int, pad: Int) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)
    /// Max over `size × size` windows moved by `stride`.
    static func maxPoolForward(x: Tensor<Double>, size: Int, stride: Int) throws -> Tensor<Double>
    /// Routes each window's gradient to its maximum.
    static func maxPoolBackward(dOut: Tensor<Double>, x: Tensor<Double>, size: Int, stride: Int) throws -> Tensor<Double>
    /// The mean image of `train` (one value per feature) and `data − mean`.
    static func subtractMeanImage(train: Tensor<Double>, data: Tensor<Double>) throws -> (mean: Tensor<Double>, centered: Tensor<Double>)
    /// One mean per channel of images `[N, C, H, W]`.
    static func perChannelMean(images: Tensor<Double>) throws -> [Double]
    /// Pads an image `[C, H, W]` by `padding` zeros on each side and cuts the `H × W` window at
    /// offset `(top, left)` of the padded image, `0 ≤ top, left ≤ 2·padding`.
    static func randomCrop(image: Tensor<Double>, padding: Int, top: Int, left: Int) throws -> Tensor<Double>
    /// Mirrors an image `[C, H, W]` left to right.
    static func horizontalFlip(image: Tensor<Double>) throws -> Tensor<Double>
    /// Unrolls every receptive field into a column: `x [N, C, H, W]` → `[C·R·S, N·P·Q]`, where
    /// row `(c·R + r)·S + s` and column `(n·P + i)·Q + j` hold `x_pad[n, c, i·stride + r, j·stride + s]`
    /// (0 in the padding), with `P = (H + 2·pad − R) / stride + 1`, `Q` likewise.
    static func im2col(x: Tensor<Double>, filterHeight: Int, filterWidth: Int, stride: Int, pad: Int) throws -> Tensor<Double>
    /// The adjoint of `im2col`: adds every column's entries back to the input position they
    /// came from (positions covered by several windows receive the sum), dropping the padding;
    /// returns a tensor of `inputShape` `[N, C, H, W]`. This is how the convolution's dx is formed.
    static func col2im(columns: Tensor<Double>, inputShape: [Int], filterHeight: Int, filterWidth: Int, stride: Int, pad: Int) throws -> Tensor<Double>
    /// The convolution of `convForwardNaive` as one matrix product: filters `[K, C·R·S]` times
    /// `im2col(x)`, plus the bias, rearranged to `[N, K, P, Q]`.
    static func convForwardIm2col(x: Tensor<Double>, w: Tensor<Double>, b: Tensor<Double>, stride: Int, pad: Int) throws -> Tensor<Double>
}

#if compiler(>=6.2)
    // A metatype the prompt may hand to the layers of models while they train.
    public typealias HomeworkExercises = LossExercises & TrainingExercises & ConvExercises & DeepNetExercises & ProjectExercises
        & SendableMetatype
#else
    public typealias HomeworkExercises = LossExercises & TrainingExercises & ConvExercises & DeepNetExercises & ProjectExercises
#endif
