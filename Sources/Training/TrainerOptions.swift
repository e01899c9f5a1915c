import NeuralNet
import Optimizers

/// The classification loss the trainer minimizes.
public enum LossKind: String, Sendable, CaseIterable {
    case softmax, svm
}

/// The knobs of the course's `ClassifierTrainer` / `Solver`, with its defaults.
public struct TrainerOptions: Sendable {
    public var epochs = 10
    public var batchSize = 100
    public var regularizer: Regularizer = .none
    public var update: UpdateRule = .momentum
    public var learningRate = 1e-3
    public var momentum = 0.9
    /// Multiplies the learning rate after every epoch (the course's `learning_rate_decay`),
    /// when no schedule is set.
    public var learningRateDecay = 0.95
    /// A schedule over iterations: when set (not `.constant`) it alone gives every
    /// iteration's rate from `learningRate`, and `learningRateDecay` does not apply.
    public var schedule: LearningRateSchedule = .constant
    /// `false`: every iteration uses the whole training split (full-batch gradient descent).
    public var sampleBatches = true
    public var augmentation: Augmentation = .none
    public var verbose = true
    /// Stop when validation accuracy has not improved for this many epochs.
    public var patience: Int?
    /// Stop when the loss exceeds this multiple of the first iteration's loss (nil: never).
    public var quitEarlyFactor: Double? = 3
    public var loss: LossKind = .softmax
    public var seed: UInt64 = 0
    /// Training accuracy is measured on at most this many examples, as in the course.
    public var trainAccuracySamples = 1000
    /// Optional max-norm constraint on weights after each update.
    public var maxNorm: Double?
    /// Run the loss sanity checks before training and print their outcome.
    public var sanityCheck = false

    public init() {}
}
