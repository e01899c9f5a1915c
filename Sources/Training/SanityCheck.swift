import Autograd
import Foundation
import NeuralNet
import Tensors

/// The course's loss sanity checks, run on a freshly initialized model before training.
///
/// 1. With no regularization, the softmax loss at initialization should be close to
///    `log C` (every class equally likely: `−log(1/C)`); the SVM loss close to `C − 1`
///    (every margin ≈ 1).
/// 2. Adding regularization must raise the loss.
public struct SanityCheck: Sendable {
    public let classes: Int
    public let expectedLoss: Double
    public let initialLoss: Double
    public let regularizedLoss: Double
    public let regularization: Double

    /// Relative tolerance on the first check.
    public static let tolerance = 0.1

    public var initialLossIsChance: Bool { abs(initialLoss - expectedLoss) <= Self.tolerance * expectedLoss }
    public var regularizationRaisesLoss: Bool { regularizedLoss > initialLoss }
    public var passed: Bool { initialLossIsChance && regularizationRaisesLoss }

    public var lines: [String] {
        let f = { (x: Double) in String(format: "%.4f", x) }
        return [
            "sanity: initial loss \(f(initialLoss)), expected about \(f(expectedLoss)) (\(expectedFormula)): "
                + (initialLossIsChance ? "ok" : "off — check the initialization scale and the loss"),
            "sanity: with reg \(regularization) the loss rises to \(f(regularizedLoss)): "
                + (regularizationRaisesLoss ? "ok" : "it does not — is the penalty added to the loss?")
        ]
    }

    var expectedFormula: String { abs(expectedLoss - Foundation.log(Double(classes))) < 1e-12 ? "log \(classes)" : "C − 1" }

    /// Measures both checks on up to `samples` examples of `data`.
    public static func run<Scalar: TensorScalar>(
        model: Module<Scalar>, data: Dataset<Scalar>, loss: LossKind = .softmax,
        regularization: Double = 1e3, samples: Int = 200
    ) throws -> SanityCheck {
        let subset = try data.prefix(samples)
        let c = data.classCount
        func lossValue(_ reg: Regularizer) throws -> Double {
            try withoutGradient {
                let scores = try model(subset.inputs)
                var l =
                    loss == .softmax
                    ? try scores.softmaxCrossEntropy(labels: subset.labels)
                    : try scores.multiclassHinge(labels: subset.labels)
                if reg != .none { l = try l + reg.penalty(model.parameters) }
                return Double(l.value.scalars[0])
            }
        }
        let wasTraining = model.training
        model.training = false
        defer { model.training = wasTraining }
        return SanityCheck(
            classes: c, expectedLoss: loss == .softmax ? Foundation.log(Double(c)) : Double(c - 1),
            initialLoss: try lossValue(.none), regularizedLoss: try lossValue(.l2(regularization)),
            regularization: regularization)
    }
}
