import Autograd
import Foundation
import NeuralNet
import Optimizers
import Tensors
import TestSupport
import Testing

/// The gradient of a noisy quadratic at step t: g = a ⊙ w + noise_t, with the noise a fixed
/// function of (t, i), so every trajectory below sees the same gradients for the same weights.
func noisyGradient(_ w: [Double], step t: Int) -> [Double] {
    let a = [1.0, 4.0, 0.25, 9.0]
    return w.indices.map { i in a[i] * w[i] + 0.1 * sin(Double(t * 7 + i * 13)) }
}

/// Runs `optimizer` for `steps` steps on the noisy quadratic from w₀ = [1, −2, 3, −0.5].
func trajectory<S: TensorScalar>(_ optimizer: Optimizer<S>, steps: Int) throws -> [Double] {
    for t in 1...steps {
        let w = optimizer.parameters[0].variable.value.scalars.map { Double($0) }
        optimizer.parameters[0].variable.grad = Tensor(noisyGradient(w, step: t).map { S($0) })
        try optimizer.step()
    }
    return optimizer.parameters[0].variable.value.scalars.map { Double($0) }
}

func parameter<S: TensorScalar>(_: S.Type) -> [Parameter<S>] {
    [Parameter(name: "w", variable: Variable(Tensor([1, -2, 3, -0.5].map { S($0) }), requiresGrad: true), role: .weight)]
}

/// Each reference below is written from PyTorch's documented update (torch.optim), in
/// Double, as plain loops; the optimizers must follow them step for step.
@Suite struct PyTorchOptionsTests {
    @Test("SGD momentum with dampening follows torch.optim.SGD (first step undamped)")
    func dampening() throws {
        let (lr, mu, tau) = (0.05, 0.9, 0.3)
        var w = [1, -2, 3, -0.5], b = [Double](repeating: 0, count: 4)
        for t in 1...200 {
            let g = noisyGradient(w, step: t)
            for i in 0..<4 {
                b[i] = t == 1 ? g[i] : mu * b[i] + (1 - tau) * g[i]
                w[i] -= lr * b[i]
            }
        }
        let got = try trajectory(Momentum(parameters: parameter(Double.self), learningRate: lr, momentum: mu, dampening: tau), steps: 200)
        expectClose(got, w, tolerance: 1e-12)
        // Without dampening the path differs: the option is really applied.
        let undamped = try trajectory(Momentum(parameters: parameter(Double.self), learningRate: lr, momentum: mu), steps: 200)
        #expect(zip(undamped, w).contains { abs($0 - $1) > 1e-3 })
    }

    @Test("Adagrad's lr_decay and initial_accumulator_value follow torch.optim.Adagrad")
    func adagradOptions() throws {
        let (lr, decay, initial, eps) = (0.5, 0.01, 0.1, 1e-10)
        var w = [1, -2, 3, -0.5], sum = [Double](repeating: initial, count: 4)
        for t in 1...200 {
            let g = noisyGradient(w, step: t)
            let clr = lr / (1 + Double(t - 1) * decay)
            for i in 0..<4 {
                sum[i] += g[i] * g[i]
                w[i] -= clr * g[i] / (sum[i].squareRoot() + eps)
            }
        }
        let opt = Adagrad(parameters: parameter(Double.self), learningRate: lr, epsilon: eps, learningRateDecay: decay, initialAccumulator: initial)
        expectClose(try trajectory(opt, steps: 200), w, tolerance: 1e-12)
    }

    @Test("centered RMSprop follows torch.optim.RMSprop(centered=True)")
    func centeredRMSprop() throws {
        let (lr, alpha, eps) = (0.01, 0.99, 1e-8)
        var w = [1, -2, 3, -0.5], v = [Double](repeating: 0, count: 4), m = [Double](repeating: 0, count: 4)
        for t in 1...300 {
            let g = noisyGradient(w, step: t)
            for i in 0..<4 {
                v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i]
                m[i] = alpha * m[i] + (1 - alpha) * g[i]
                w[i] -= lr * g[i] / ((v[i] - m[i] * m[i]).squareRoot() + eps)
            }
        }
        let opt = RMSprop(parameters: parameter(Double.self), learningRate: lr, decayRate: alpha, epsilon: eps, centered: true)
        expectClose(try trajectory(opt, steps: 300), w, tolerance: 1e-10)
        let plain = try trajectory(RMSprop(parameters: parameter(Double.self), learningRate: lr, decayRate: alpha, epsilon: eps), steps: 300)
        #expect(zip(plain, w).contains { abs($0 - $1) > 1e-4 })
    }

    @Test("Schedule-Free's r and weight_lr_power weight the average as the reference implementation does")
    func scheduleFreeWeights() throws {
        let (lr, beta, warmup, r, power) = (0.05, 0.9, 20, 1.5, 3.0)
        var z = [1, -2, 3, -0.5], x = z, y = z
        var lrMax = 0.0, weightSum = 0.0
        for t in 1...150 {
            let gamma = lr * min(1, Double(t) / Double(warmup))
            lrMax = max(lrMax, gamma)
            let weight = pow(Double(t), r) * pow(lrMax, power)
            weightSum += weight
            let c = weight / weightSum
            let g = noisyGradient(y, step: t)
            for i in 0..<4 {
                z[i] -= gamma * g[i]
                x[i] = (1 - c) * x[i] + c * z[i]
                y[i] = (1 - beta) * z[i] + beta * x[i]
            }
        }
        let opt = ScheduleFree(
            parameters: parameter(Double.self), base: .sgd, learningRate: lr, beta: beta, warmupSteps: warmup,
            r: r, weightLearningRatePower: power)
        expectClose(try trajectory(opt, steps: 150), y, tolerance: 1e-12)
        opt.prepareForEvaluation()
        expectClose(opt.parameters[0].variable.value.scalars, x, tolerance: 1e-12)
    }

    @Test("long Float32 trajectories stay within 1e-4 of a Double reference", arguments: ["adam", "adamw", "schedule_free_adamw", "rmsprop_centered"])
    func floatTrajectoriesTrackDouble(rule: String) throws {
        func make<S: TensorScalar>(_ type: S.Type) -> Optimizer<S> {
            switch rule {
            case "adam": Adam(parameters: parameter(type), learningRate: 0.01, beta1: 0.9, beta2: 0.999)
            case "adamw": Adam.adamW(parameters: parameter(type), learningRate: 0.01, weightDecay: 0.05)
            case "schedule_free_adamw": ScheduleFree(parameters: parameter(type), base: .adamW, learningRate: 0.01, warmupSteps: 50)
            default: RMSprop(parameters: parameter(type), learningRate: 0.003, centered: true)
            }
        }
        let single = try trajectory(make(Float.self), steps: 2000)
        let double = try trajectory(make(Double.self), steps: 2000)
        expectClose(single, double, tolerance: 1e-4)
    }

    @Test("cosine annealing with eta_min follows CosineAnnealingLR")
    func cosineFloor() {
        let s = LearningRateSchedule.cosine(total: 100, floor: 0.01)
        for t in [0, 25, 50, 99, 100] {
            let expected = 0.01 + (0.1 - 0.01) * (1 + cos(Double.pi * Double(t) / 100)) / 2
            #expect(abs(s.rate(base: 0.1, at: t) - expected) < 1e-15)
        }
    }
}
