import HomeworkKit
import NeuralNet
import Random
import Tensors

// Assignment 5: the final project. Design your ConvNet here, train it with
// `gradschool project train` (it stops at the budget and saves project/model.npz), check it
// with `gradschool project evaluate`, and commit project/model.npz with your code.

extension Submission {
    public static func projectModel(generator: inout SeededGenerator) throws -> Module<Float> {
        // Hint: start from conv → relu → pool blocks and a linear classifier; lesson 4 compares architectures.
        // BEGIN SOLUTION
        Sequential([
            try Conv2d(inChannels: 3, outChannels: 16, kernelSize: 3, pad: 1, using: &generator),
            try BatchNorm(features: 16, spatial: true), ReLU(), MaxPool2d(size: 2, stride: 2),
            try Conv2d(inChannels: 16, outChannels: 32, kernelSize: 3, pad: 1, using: &generator),
            try BatchNorm(features: 32, spatial: true), ReLU(), MaxPool2d(size: 2, stride: 2),
            try Conv2d(inChannels: 32, outChannels: 32, kernelSize: 3, pad: 1, using: &generator),
            ReLU(), MaxPool2d(size: 2, stride: 2),
            Flatten(), try Linear(inputs: 32 * 4 * 4, outputs: 10, using: &generator)
        ])
        // END SOLUTION
    }

    public static func projectTraining() throws -> ProjectTraining {
        // BEGIN SOLUTION
        var t = ProjectTraining()
        t.epochs = 16
        t.batchSize = 64
        t.optimizer = "adam"
        t.learningRate = 2e-3
        t.learningRateDecay = 0.85
        t.trainingImages = 5_000
        return t
        // END SOLUTION
    }
}
