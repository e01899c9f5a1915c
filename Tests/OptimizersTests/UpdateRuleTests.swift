import Autograd
import Foundation
import NeuralNet
import Optimizers
import Tensors
import TestSupport
import Testing

/// A parameter holding `values` whose gradient will be `gradient`.
func makeParameter(_ values: [Double], name: String = "w") -> Parameter<Double> {
    Parameter(name: name, variable: Variable(Tensor(values), requiresGrad: true), role: .weight)
}

/// Takes one step with gradient `g` and returns the new weights.
func step(_ optimizer: Optimizer<Double>, gradient g: [Double]) throws -> [Double] {
    optimizer.parameters[0].variable.grad = Tensor(g)
    try optimizer.step()
    return optimizer.parameters[0].variable.value.scalars
}

// Every expected value below was worked out by hand from w = [1, -2], g = [0.5, 0.25].
@Suite struct UpdateRuleTests {
    @Test func sgd() throws {
        let plain = SGD(parameters: [makeParameter([1, -2])], learningRate: 0.1)
        expectClose(try step(plain, gradient: [0.5, 0.25]), [0.95, -2.025], tolerance: 1e-9)
        let decayed = SGD(parameters: [makeParameter([1, -2])], learningRate: 0.1, weightDecay: 0.1)
        expectClose(try step(decayed, gradient: [0.5, 0.25]), [0.94, -2.005], tolerance: 1e-9)
    }

    @Test func classicalMomentum() throws {
        let opt = Momentum(parameters: [makeParameter([1, -2])], learningRate: 0.1, momentum: 0.9)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.95, -2.025], tolerance: 1e-9)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.855, -2.0725], tolerance: 1e-9)
        expectClose(opt.slot("velocity")["w"]!.scalars, [-0.095, -0.0475], tolerance: 1e-9)
    }

    @Test func nesterovMomentum() throws {
        let opt = Momentum(parameters: [makeParameter([1, -2])], learningRate: 0.1, momentum: 0.9, nesterov: true)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.905, -2.0475], tolerance: 1e-9)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.7695, -2.11525], tolerance: 1e-9)
    }

    @Test func adagradStepsShrinkLikeOneOverRootT() throws {
        let opt = Adagrad(parameters: [makeParameter([1, -2])], learningRate: 0.1, epsilon: 0)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.9, -2.1], tolerance: 1e-9)
        let r = 0.1 / 2.0.squareRoot()
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.9 - r, -2.1 - r], tolerance: 1e-9)
        expectClose(opt.slot("cache")["w"]!.scalars, [0.5, 0.125], tolerance: 1e-9)
    }

    @Test func rmsprop() throws {
        let opt = RMSprop(parameters: [makeParameter([1, -2])], learningRate: 0.01, decayRate: 0.9, epsilon: 0)
        let s = 0.01 / 0.1.squareRoot()
        expectClose(try step(opt, gradient: [0.5, 0.25]), [1 - s, -2 - s], tolerance: 1e-9)
    }

    @Test func adamWithBiasCorrection() throws {
        let opt = Adam(parameters: [makeParameter([1, -2])], learningRate: 0.1, epsilon: 0)
        // Step 1: bias-corrected m̂ = g and v̂ = g², so each weight moves by lr·sign(g).
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.9, -2.1], tolerance: 1e-9)
        // Step 2 with g = [-0.5, 0.25]: m̂ = [-0.005, 0.0475]/0.19, v̂ = [0.25, 0.0625].
        expectClose(try step(opt, gradient: [-0.5, 0.25]), [0.9 + 0.1 * (0.005 / 0.19) / 0.5, -2.2], tolerance: 1e-9)
    }

    @Test("Float32 Adam's moments use 1 − β computed in Double (1 − Float(0.999) is 1.3e-5 off)")
    func adamFloatMomentsUseDoubleConstants() throws {
        // 9 weights: one SIMD block of 8 and a scalar tail of 1, both checked.
        let g: [Float] = (0..<9).map { Float($0) * 0.25 + 0.5 }
        let p = Parameter(name: "w", variable: Variable(Tensor<Float>([Float](repeating: 1, count: 9)), requiresGrad: true), role: .weight)
        let opt = Adam(parameters: [p], learningRate: 0.1, beta1: 0.9, beta2: 0.999)
        p.variable.grad = Tensor(g)
        try opt.step()
        let v = try #require(opt.slot("v")["w"]).scalars, m = try #require(opt.slot("m")["w"]).scalars
        for i in 0..<9 {
            let expectedV = (1 - 0.999) * Double(g[i]) * Double(g[i]), expectedM = (1 - 0.9) * Double(g[i])
            #expect(abs(Double(v[i]) - expectedV) <= 1e-6 * expectedV, "v[\(i)] = \(v[i]), expected \(expectedV)")
            #expect(abs(Double(m[i]) - expectedM) <= 1e-6 * expectedM, "m[\(i)] = \(m[i]), expected \(expectedM)")
        }
    }

    @Test func adamVectorLanesMatchTheFormula() throws {
        // 21 weights: two SIMD blocks of 8 and a scalar tail of 5.
        let w0: [Double] = (0..<21).map { (i: Int) -> Double in Double(i) * 0.1 - 1 }
        var grads: [[Double]] = []
        for k in 0..<3 {
            var g: [Double] = []
            for i in 0..<21 { g.append(Double((i * 7 + k * 3) % 11) * 0.05 - 0.25) }
            grads.append(g)
        }
        let opt = Adam(parameters: [makeParameter(w0)], learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true)
        var w = w0, m = [Double](repeating: 0, count: 21), v = m
        for (t, g) in grads.enumerated() {
            let got = try step(opt, gradient: g)
            for i in 0..<21 {
                let gi: Double = g[i]
                m[i] = 0.9 * m[i] + 0.1 * gi
                v[i] = 0.999 * v[i] + 0.001 * gi * gi
                let c1: Double = 1 - pow(0.9, Double(t + 1)), c2: Double = 1 - pow(0.999, Double(t + 1))
                let mHat: Double = m[i] / c1, vHat: Double = v[i] / c2
                let decay: Double = 0.01 * 0.1 * w[i]
                let update: Double = 0.01 * mHat / (vHat.squareRoot() + 1e-8)
                w[i] -= decay + update
            }
            expectClose(got, w, tolerance: 1e-12)
        }
    }

    @Test func adamWDecouplesWeightDecay() throws {
        let opt = Adam.adamW(parameters: [makeParameter([1, -2])], learningRate: 0.1, epsilon: 0, weightDecay: 0.1)
        #expect(opt.name == "adamw")
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.89, -2.08], tolerance: 1e-9)
        // Coupled decay instead enters the moments: step 1 still moves by exactly lr·sign(g + λw).
        let coupled = Adam(parameters: [makeParameter([1, -2])], learningRate: 0.1, epsilon: 0, weightDecay: 0.1)
        expectClose(try step(coupled, gradient: [0.5, 0.25]), [0.9, -2.1], tolerance: 1e-9)
    }

    @Test("Float32 Schedule-Free AdamW's second moment uses 1 − β₂ computed in Double")
    func scheduleFreeFloatMomentUsesDoubleConstants() throws {
        let g: [Float] = (0..<5).map { Float($0) * 0.25 + 0.5 }
        let p = Parameter(name: "w", variable: Variable(Tensor<Float>([Float](repeating: 1, count: 5)), requiresGrad: true), role: .weight)
        let opt = ScheduleFree(parameters: [p], base: .adamW, learningRate: 0.1, beta: 0.9)
        p.variable.grad = Tensor(g)
        try opt.step()
        let v = try #require(opt.slot("v")["w"]).scalars
        for i in 0..<5 {
            let expected = (1 - opt.beta2) * Double(g[i]) * Double(g[i])
            #expect(abs(Double(v[i]) - expected) <= 1e-6 * expected, "v[\(i)] = \(v[i]), expected \(expected)")
        }
    }

    @Test func scheduleFreeSGDAveragesAndSwitchesSequences() throws {
        let opt = ScheduleFree(parameters: [makeParameter([1, -2])], base: .sgd, learningRate: 0.1, beta: 0.9)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.95, -2.025], tolerance: 1e-9)
        // Step 2: z = [0.9, -2.05], c = 0.5, x = [0.925, -2.0375], y = 0.1 z + 0.9 x.
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.9225, -2.03875], tolerance: 1e-9)
        opt.prepareForEvaluation()
        expectClose(opt.parameters[0].variable.value.scalars, [0.925, -2.0375], tolerance: 1e-9)
        opt.prepareForTraining()
        expectClose(opt.parameters[0].variable.value.scalars, [0.9225, -2.03875], tolerance: 1e-9)
    }

    @Test func scheduleFreeWarmupWeightsTheAverage() throws {
        let opt = ScheduleFree(parameters: [makeParameter([0])], base: .sgd, learningRate: 1, beta: 0, warmupSteps: 2)
        // γ₁ = 0.5, γ₂ = 1; with β = 0, y = z. z₁ = −0.5, x₁ = z₁; z₂ = −1.5, c₂ = 1/1.25 = 0.8.
        expectClose(try step(opt, gradient: [1]), [-0.5], tolerance: 1e-9)
        expectClose(try step(opt, gradient: [1]), [-1.5], tolerance: 1e-9)
        opt.prepareForEvaluation()
        expectClose(opt.parameters[0].variable.value.scalars, [0.2 * -0.5 + 0.8 * -1.5], tolerance: 1e-9)
    }

    @Test func scheduleFreeAdamWFirstStepIsSignStep() throws {
        let opt = ScheduleFree(parameters: [makeParameter([1, -2])], base: .adamW, learningRate: 0.1, epsilon: 0)
        expectClose(try step(opt, gradient: [0.5, 0.25]), [0.9, -2.1], tolerance: 1e-9)
        #expect(opt.slotNames == ["z", "x", "v"])
    }

    @Test func gradientNoiseAnnealsAndRepeats() throws {
        let noise = GradientNoise(eta: 0.3, gamma: 0.55, seed: 1)
        #expect(abs(noise.standardDeviation(at: 1) - (0.3 / pow(2, 0.55)).squareRoot()) < 1e-12)
        #expect(noise.standardDeviation(at: 100) < noise.standardDeviation(at: 10))
        func run() throws -> [Double] {
            let opt = SGD(parameters: [makeParameter([1, -2])], learningRate: 0.1)
            opt.gradientNoise = noise
            return try step(opt, gradient: [0, 0])
        }
        let a = try run(), b = try run()
        #expect(a == b)
        #expect(a != [1, -2])
        let sd = noise.standardDeviation(at: 1) * 0.1
        #expect(a.allSatisfy { abs($0 - ($0 > 0 ? 1 : -2)) < 6 * sd })
    }

    @Test func stateSavesAndRestores() throws {
        let p = makeParameter([1, -2])
        let opt = Adam(parameters: [p], learningRate: 0.1)
        _ = try step(opt, gradient: [0.5, 0.25])
        let saved = opt.stateArrays
        let fresh = Adam(parameters: [makeParameter([1, -2])], learningRate: 0.1)
        try fresh.restoreState(saved)
        #expect(fresh.iteration == 1)
        #expect(fresh.slot("m")["w"] == opt.slot("m")["w"])
        #expect(fresh.slot("v")["w"] == opt.slot("v")["w"])
        let wrongShape = Adam(parameters: [makeParameter([1, 2, 3])], learningRate: 0.1)
        #expect(throws: OptimizerError.shape("optimizer state m/w", expected: [3], got: [2])) { try wrongShape.restoreState(saved) }
        #expect(wrongShape.iteration == 0)
    }
}
