import NeuralNet
import Random
import Tensors

/// How `gradschool project train` trains your project's model: your choices, within the budget.
public struct ProjectTraining: Sendable {
    public var epochs = 10
    public var batchSize = 64
    /// `"sgd"`, `"momentum"`, `"nesterov"`, `"adagrad"`, `"rmsprop"` or `"adam"`.
    public var optimizer = "adam"
    public var learningRate = 1e-3
    /// Multiplies the learning rate after every epoch.
    public var learningRateDecay = 1.0
    /// Strength λ of the trainer's L2 regularizer on the weights (`Regularizer.l2`, which adds
    /// `½ · λ · Σ W²` to the loss).
    public var weightDecay = 0.0
    /// Training images to generate (the grader tests on fresh ones, never these).
    public var trainingImages = 5_000
    /// Random crops and horizontal flips while training.
    public var augment = false
    public init() {}

    /// Stops with an error naming the first setting out of its range: epochs 1 to 10,000,
    /// trainingImages 20 to 50,000, batchSize 1 to trainingImages, a finite learning rate and
    /// decay above 0, a finite weight decay of at least 0. (`optimizer` is checked by name
    /// when training starts.)
    public func validate() throws {
        func fail(_ name: String, _ range: String, _ value: Any) throws -> Never {
            throw HomeworkError("projectTraining: \(name) must be \(range), got \(value)")
        }
        if !(1...10_000).contains(epochs) { try fail("epochs", "a whole number from 1 to 10,000", epochs) }
        if !(20...50_000).contains(trainingImages) { try fail("trainingImages", "from 20 to 50,000", trainingImages) }
        if !(1...trainingImages).contains(batchSize) { try fail("batchSize", "from 1 to trainingImages (\(trainingImages))", batchSize) }
        if !(learningRate.isFinite && learningRate > 0) { try fail("learningRate", "a finite number above 0", learningRate) }
        if !(learningRateDecay.isFinite && learningRateDecay > 0) { try fail("learningRateDecay", "a finite number above 0", learningRateDecay) }
        if !(weightDecay.isFinite && weightDecay >= 0) { try fail("weightDecay", "a finite number of at least 0", weightDecay) }
    }
}

/// The final project's rules, the same for every student.
public enum ProjectRules {
    /// Wall-clock training budget on 2 cores, in seconds: `gradschool project train` stops there.
    public static let budgetSeconds = 300.0
    /// Where your trained model is kept, relative to the repository's top folder. Commit it.
    public static let checkpointPath = "project/model.npz"
    /// Pixel noise (standard deviation) of the project's images: heavier than the lessons'
    /// 0.1, so the shapes are harder to tell apart and designs differ in what they reach.
    public static let imageNoise = 0.4
    /// The most parameters a project model may have.
    public static let maximumParameters = 2_000_000
}

/// Assignment 5: the final project. Design a ConvNet for the embedded CIFAR-shaped images
/// (`[N, 3, 32, 32]`, 10 classes) from the engine's layers, train it with
/// `gradschool project train` within the budget, and commit its checkpoint. The grader
/// builds your model with `projectModel`, loads your checkpoint into it and measures its
/// accuracy on images generated at grading time, which you never saw.
public protocol ProjectExercises {
    /// Your model, built from NeuralNet's layers (`Sequential`, `Conv2d`, `BatchNorm`, `ReLU`,
    /// `MaxPool2d`, `Flatten`, `Linear`, `Dropout`, …), its weights drawn from `generator`.
    static func projectModel(generator: inout SeededGenerator) throws -> Module<Float>
    /// The training settings `gradschool project train` uses.
    static func projectTraining() throws -> ProjectTraining
}
