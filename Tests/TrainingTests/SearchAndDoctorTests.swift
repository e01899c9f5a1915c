import Foundation
import NeuralNet
import Tensors
import Testing
import Training

@Suite struct LearningRateSearchTests {
    @Test func coarseToFineSortsTrialsAndDropsDivergingOnes() throws {
        let spiral: Dataset<Float> = try Spiral.make(pointsPerClass: 60, classes: 3, seed: 2)
        let s = try spiral.split(train: 120, val: 60, seed: 1)
        var search = LearningRateSearch()
        search.learningRateExponents = -3...2
        search.regularizationExponents = -5 ... -2
        search.coarseTrials = 5
        search.coarseEpochs = 2
        search.fineTrials = 2
        search.fineEpochs = 4
        var base = TrainerOptions()
        base.batchSize = 40
        base.update = .sgd
        let result = try search.run(
            makeModel: { seed in
                try Models.fullyConnected(sizes: [2, 20, 3], initializer: .gaussian(std: 0.1), seed: seed) as Sequential<Float>
            }, train: s.train, val: s.val, base: base)
        #expect(result.trials.count == 7)
        #expect(result.trials.map(\.valAccuracy) == result.trials.map(\.valAccuracy).sorted(by: >))
        #expect(result.trials.filter { $0.stage == "fine" }.count == 2)
        #expect(result.table.contains("coarse") && result.table.contains("fine"))
    }

    @Test func warnsWhenTheBestSitsOnTheBorder() {
        let search = LearningRateSearch()
        #expect(search.borderWarnings(name: "learning rate", value: 2e-6, exponents: -6 ... -1).first?.contains("low border") == true)
        #expect(search.borderWarnings(name: "learning rate", value: 0.09, exponents: -6 ... -1).first?.contains("high border") == true)
        #expect(search.borderWarnings(name: "learning rate", value: 1e-3, exponents: -6 ... -1).isEmpty)
    }
}

@Suite struct CurveDoctorTests {
    func history(loss: [Double], train: [Double] = [], val: [Double] = []) -> TrainingHistory {
        var h = TrainingHistory()
        h.loss = loss
        h.trainAccuracy = train
        h.valAccuracy = val
        return h
    }

    func findings(_ h: TrainingHistory) -> [CurveDoctor.Finding] { CurveDoctor.diagnose(h).map(\.finding) }

    @Test func namesTheCoursesPictures() {
        let n = 200
        #expect(findings(history(loss: Array(repeating: 2.3, count: n))).contains(.notTraining))
        #expect(findings(history(loss: (0..<n).map { 2.3 + 0.01 * Double($0) })).contains(.errorIncreasing))
        #expect(findings(history(loss: (0..<n).map { 2.3 - 0.005 * Double($0) })).contains(.learningRateTooLow))
        let converged: [Double] = (0..<n).map { 0.3 + 2 * exp(-Double($0) / 10) }
        #expect(findings(history(loss: converged, train: [0.3, 0.7, 0.8], val: [0.3, 0.65, 0.75])) == [.healthy])
        let stillFalling: [Double] = (0..<n).map { 0.3 + 2 * exp(-Double($0) / 150) }
        #expect(findings(history(loss: stillFalling)).contains(.notConverged))
        let slow: [Double] = (0..<n).map { (i: Int) -> Double in i < 60 ? 2.3 : 0.3 + 2 * exp(-Double(i - 60) / 10) }
        #expect(findings(history(loss: slow)).contains(.slowStart))
        let noisy: [Double] = (0..<n).map { (i: Int) -> Double in
            let jitter: Double = i % 2 == 0 ? 0.6 : -0.2
            return 0.3 + 2 * exp(-Double(i) / 10) + jitter
        }
        #expect(findings(history(loss: noisy)).contains(.noisyLoss))
        #expect(findings(history(loss: converged, train: [0.5, 0.9, 0.99], val: [0.5, 0.6, 0.6])).contains(.definiteOverfitting))
        #expect(findings(history(loss: converged, train: [0.5, 0.7, 0.8], val: [0.5, 0.65, 0.68])).contains(.possibleOverfitting))
        #expect(CurveDoctor.report(history(loss: Array(repeating: 2.3, count: n))).contains("learning rate"))
    }

    @Test("a plateau anywhere in the first fifth, then a drop, is a slow start; a straight fall is not")
    func plateauThenDrop() {
        let n = 200
        // Flat for 40 %, then a gentle fall spread over the rest (not concentrated mid-run).
        let late: [Double] = (0..<n).map { (i: Int) -> Double in i < 80 ? 1.1 : 1.1 - 0.3 * Double(i - 80) / 120 }
        #expect(findings(history(loss: late)).contains(.slowStart))
        #expect(!findings(history(loss: (0..<n).map { 2.3 - 0.005 * Double($0) })).contains(.slowStart))
        // A tiny drop after a plateau is not a start at all.
        let barely: [Double] = (0..<n).map { (i: Int) -> Double in i < 80 ? 1.1 : 1.1 - 0.05 * Double(i - 80) / 120 }
        #expect(!findings(history(loss: barely)).contains(.slowStart))
    }

    @Test("no gap: low training accuracy with validation as high or a little higher; not with a real gap")
    func underfittingWithValidationAbove() {
        let falling: [Double] = (0..<200).map { 0.9 + exp(-Double($0) / 10) }
        #expect(findings(history(loss: falling, train: [0.3, 0.48, 0.51], val: [0.3, 0.5, 0.533])).contains(.noGap))
        #expect(!findings(history(loss: falling, train: [0.3, 0.5, 0.55], val: [0.3, 0.45, 0.5])).contains(.noGap))
        #expect(!findings(history(loss: falling, train: [0.5, 0.8, 0.9], val: [0.5, 0.8, 0.9])).contains(.noGap))
    }
}
