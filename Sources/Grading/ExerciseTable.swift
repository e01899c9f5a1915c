import HomeworkKit
import NeuralNet
import Random
import Tensors

/// A submission's exercises as replaceable closures, so the grader can run any conforming
/// type and its own tests can swap in a wrong or unfinished answer for one exercise.
public struct ExerciseTable {
    public var softmaxLossNaive: (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    public var softmaxLossVectorized: (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    public var svmLoss: (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)
    public var l2Regularization: (Tensor<Double>, Double) throws -> (loss: Double, dWeights: Tensor<Double>)
    public var l1Regularization: (Tensor<Double>, Double) throws -> (loss: Double, dWeights: Tensor<Double>)
    public var numericalGradient: (Tensor<Double>, Double, (Tensor<Double>) throws -> Double) throws -> Tensor<Double>
    public var relativeError: (Tensor<Double>, Tensor<Double>) throws -> Double
    public var affineForward: (Tensor<Double>, Tensor<Double>, Tensor<Double>) throws -> Tensor<Double>
    public var affineBackward: (Tensor<Double>, Tensor<Double>, Tensor<Double>) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)
    public var reluForward: (Tensor<Double>) throws -> Tensor<Double>
    public var reluBackward: (Tensor<Double>, Tensor<Double>) throws -> Tensor<Double>
    public var initTwoLayerNet: (Int, Int, Int, Double, inout SeededGenerator) throws -> TwoLayerParameters
    public var twoLayerNetLoss: (TwoLayerParameters, Tensor<Double>, [Int], Double) throws -> (loss: Double, grads: TwoLayerParameters)
    public var sampleBatch: (Int, Int, inout SeededGenerator) throws -> [Int]
    public var sgd: (inout Tensor<Double>, Tensor<Double>, Double) throws -> Void
    public var sgdMomentum: (inout Tensor<Double>, Tensor<Double>, inout Tensor<Double>, Double, Double) throws -> Void
    public var rmsprop: (inout Tensor<Double>, Tensor<Double>, inout Tensor<Double>, Double, Double, Double) throws -> Void
    public var adam: (inout Tensor<Double>, Tensor<Double>, inout Tensor<Double>, inout Tensor<Double>, Int, Double, Double, Double, Double) throws -> Void
    public var stepDecay: (Double, Int, Int, Double) throws -> Double
    public var inverseTimeDecay: (Double, Int, Double) throws -> Double
    public var ravineLosses: (String, Double, Int) throws -> [Double]
    public var train: (inout TwoLayerParameters, Tensor<Double>, [Int], Int, Int, Double, Double, inout SeededGenerator) throws -> [Double]
    public var dropoutForward: (Tensor<Double>, Double, Bool, inout SeededGenerator) throws -> (out: Tensor<Double>, mask: Tensor<Double>)
    public var dropoutBackward: (Tensor<Double>, Tensor<Double>, Double) throws -> Tensor<Double>
    public var convForwardNaive: (Tensor<Double>, Tensor<Double>, Tensor<Double>, Int, Int) throws -> Tensor<Double>
    public var convBackwardNaive: (Tensor<Double>, Tensor<Double>, Tensor<Double>, Int, Int) throws -> (dx: Tensor<Double>, dw: Tensor<Double>, db: Tensor<Double>)
    public var maxPoolForward: (Tensor<Double>, Int, Int) throws -> Tensor<Double>
    public var maxPoolBackward: (Tensor<Double>, Tensor<Double>, Int, Int) throws -> Tensor<Double>
    public var subtractMeanImage: (Tensor<Double>, Tensor<Double>) throws -> (mean: Tensor<Double>, centered: Tensor<Double>)
    public var perChannelMean: (Tensor<Double>) throws -> [Double]
    public var randomCrop: (Tensor<Double>, Int, Int, Int) throws -> Tensor<Double>
    public var horizontalFlip: (Tensor<Double>) throws -> Tensor<Double>
    public var im2col: (Tensor<Double>, Int, Int, Int, Int) throws -> Tensor<Double>
    public var col2im: (Tensor<Double>, [Int], Int, Int, Int, Int) throws -> Tensor<Double>
    public var convForwardIm2col: (Tensor<Double>, Tensor<Double>, Tensor<Double>, Int, Int) throws -> Tensor<Double>
    public typealias NormalizationForward = (Tensor<Double>, Tensor<Double>, Tensor<Double>, Bool, Double, Double, inout RunningStatistics) throws -> Tensor<Double>
    public typealias NormalizationBackward = (Tensor<Double>, Tensor<Double>, Tensor<Double>, Double) throws -> (dx: Tensor<Double>, dGamma: Tensor<Double>, dBeta: Tensor<Double>)
    public var batchnormForward: NormalizationForward
    public var batchnormBackward: NormalizationBackward
    public var batchnormBackwardAlt: NormalizationBackward
    public var spatialBatchnormForward: NormalizationForward
    public var spatialBatchnormBackward: NormalizationBackward
    public var layernormForward: (Tensor<Double>, Tensor<Double>, Tensor<Double>, Double) throws -> Tensor<Double>
    public var layernormBackward: NormalizationBackward
    public var initFullyConnectedNet: (Int, [Int], Int, Normalization, Double, Double, inout SeededGenerator) throws -> FullyConnectedNet
    public var fullyConnectedNetLoss: (FullyConnectedNet, Tensor<Double>, [Int], Double, inout SeededGenerator) throws -> (loss: Double, grads: FullyConnectedNet)
    public var solve: (SolverModel, SolverData, SolverOptions) throws -> SolverResult
    public var projectModel: (inout SeededGenerator) throws -> Module<Float>
    public var projectTraining: () throws -> ProjectTraining
    /// Where the project's trained checkpoint is read from (the repository's `project/model.npz`).
    public var projectCheckpoint: String

    public init<S: HomeworkExercises>(_ s: S.Type, checkpoint: String = ProjectRules.checkpointPath) {
        softmaxLossNaive = { try S.softmaxLossNaive(scores: $0, labels: $1) }
        softmaxLossVectorized = { try S.softmaxLossVectorized(scores: $0, labels: $1) }
        svmLoss = { try S.svmLoss(scores: $0, labels: $1) }
        l2Regularization = { try S.l2Regularization(weights: $0, reg: $1) }
        l1Regularization = { try S.l1Regularization(weights: $0, reg: $1) }
        numericalGradient = { try S.numericalGradient(at: $0, h: $1, $2) }
        relativeError = { try S.relativeError($0, $1) }
        affineForward = { try S.affineForward(x: $0, w: $1, b: $2) }
        affineBackward = { try S.affineBackward(dOut: $0, x: $1, w: $2) }
        reluForward = { try S.reluForward(x: $0) }
        reluBackward = { try S.reluBackward(dOut: $0, x: $1) }
        initTwoLayerNet = { try S.initTwoLayerNet(inputs: $0, hidden: $1, classes: $2, std: $3, generator: &$4) }
        twoLayerNetLoss = { try S.twoLayerNetLoss(params: $0, x: $1, labels: $2, reg: $3) }
        sampleBatch = { try S.sampleBatch(count: $0, batchSize: $1, generator: &$2) }
        sgd = { try S.sgd(w: &$0, dw: $1, lr: $2) }
        sgdMomentum = { try S.sgdMomentum(w: &$0, dw: $1, velocity: &$2, lr: $3, momentum: $4) }
        rmsprop = { try S.rmsprop(w: &$0, dw: $1, cache: &$2, lr: $3, decayRate: $4, epsilon: $5) }
        adam = { try S.adam(w: &$0, dw: $1, m: &$2, v: &$3, t: $4, lr: $5, beta1: $6, beta2: $7, epsilon: $8) }
        stepDecay = { try S.stepDecay(initial: $0, iteration: $1, every: $2, factor: $3) }
        inverseTimeDecay = { try S.inverseTimeDecay(initial: $0, iteration: $1, k: $2) }
        ravineLosses = { try S.ravineLosses(optimizer: $0, lr: $1, steps: $2) }
        train = { try S.train(params: &$0, x: $1, labels: $2, epochs: $3, batchSize: $4, lr: $5, reg: $6, generator: &$7) }
        dropoutForward = { try S.dropoutForward(x: $0, p: $1, train: $2, generator: &$3) }
        dropoutBackward = { try S.dropoutBackward(dOut: $0, mask: $1, p: $2) }
        convForwardNaive = { try S.convForwardNaive(x: $0, w: $1, b: $2, stride: $3, pad: $4) }
        convBackwardNaive = { try S.convBackwardNaive(dOut: $0, x: $1, w: $2, stride: $3, pad: $4) }
        maxPoolForward = { try S.maxPoolForward(x: $0, size: $1, stride: $2) }
        maxPoolBackward = { try S.maxPoolBackward(dOut: $0, x: $1, size: $2, stride: $3) }
        subtractMeanImage = { try S.subtractMeanImage(train: $0, data: $1) }
        perChannelMean = { try S.perChannelMean(images: $0) }
        randomCrop = { try S.randomCrop(image: $0, padding: $1, top: $2, left: $3) }
        horizontalFlip = { try S.horizontalFlip(image: $0) }
        im2col = { try S.im2col(x: $0, filterHeight: $1, filterWidth: $2, stride: $3, pad: $4) }
        col2im = { try S.col2im(columns: $0, inputShape: $1, filterHeight: $2, filterWidth: $3, stride: $4, pad: $5) }
        convForwardIm2col = { try S.convForwardIm2col(x: $0, w: $1, b: $2, stride: $3, pad: $4) }
        batchnormForward = { try S.batchnormForward(x: $0, gamma: $1, beta: $2, train: $3, momentum: $4, epsilon: $5, running: &$6) }
        batchnormBackward = { try S.batchnormBackward(dOut: $0, x: $1, gamma: $2, epsilon: $3) }
        batchnormBackwardAlt = { try S.batchnormBackwardAlt(dOut: $0, x: $1, gamma: $2, epsilon: $3) }
        spatialBatchnormForward = { try S.spatialBatchnormForward(x: $0, gamma: $1, beta: $2, train: $3, momentum: $4, epsilon: $5, running: &$6) }
        spatialBatchnormBackward = { try S.spatialBatchnormBackward(dOut: $0, x: $1, gamma: $2, epsilon: $3) }
        layernormForward = { try S.layernormForward(x: $0, gamma: $1, beta: $2, epsilon: $3) }
        layernormBackward = { try S.layernormBackward(dOut: $0, x: $1, gamma: $2, epsilon: $3) }
        initFullyConnectedNet = { try S.initFullyConnectedNet(inputs: $0, hidden: $1, classes: $2, normalization: $3, keepProbability: $4, std: $5, generator: &$6) }
        fullyConnectedNetLoss = { try S.fullyConnectedNetLoss(net: $0, x: $1, labels: $2, reg: $3, generator: &$4) }
        solve = { try S.solve(model: $0, data: $1, options: $2) }
        projectModel = { try S.projectModel(generator: &$0) }
        projectTraining = { try S.projectTraining() }
        projectCheckpoint = checkpoint
    }
}
