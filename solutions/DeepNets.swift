import HomeworkKit
import Random
import Tensors

// Assignment 4, part 2: a fully connected net of any depth and a Solver that trains models.
// Build them from your earlier layers: affine, relu, dropout, batch and layer normalization,
// the softmax loss and the update rules.

extension Submission {
    public static func initFullyConnectedNet(
        inputs: Int, hidden: [Int], classes: Int, normalization: Normalization, keepProbability: Double, std: Double,
        generator: inout SeededGenerator
    ) throws -> FullyConnectedNet {
        // BEGIN SOLUTION
        let sizes = [inputs] + hidden + [classes]
        var net = FullyConnectedNet(weights: [], biases: [], normalization: normalization, keepProbability: keepProbability)
        for l in 0..<(sizes.count - 1) {
            let (rows, columns) = (sizes[l], sizes[l + 1])
            net.weights.append(try Tensor(shape: [rows, columns], scalars: (0..<(rows * columns)).map { _ in std * generator.nextNormal() }))
            net.biases.append(try .zeros([columns]))
            if normalization != .none && l < hidden.count {
                net.gammas.append(try .ones([columns]))
                net.betas.append(try .zeros([columns]))
            }
        }
        return net
        // END SOLUTION
    }

    public static func fullyConnectedNetLoss(net: FullyConnectedNet, x: Tensor<Double>, labels: [Int], reg: Double, generator: inout SeededGenerator) throws
        -> (loss: Double, grads: FullyConnectedNet)
    {
        // Hint: keep what each layer's backward pass needs (its input, the dropout mask) on the way up.
        // BEGIN SOLUTION
        let layers = net.weights.count
        var inputs: [Tensor<Double>] = [], normalizedInputs: [Tensor<Double>] = [], reluInputs: [Tensor<Double>] = [], masks: [Tensor<Double>] = []
        var h = x
        for l in 0..<(layers - 1) {
            inputs.append(h)
            var a = try affineForward(x: h, w: net.weights[l], b: net.biases[l])
            normalizedInputs.append(a)
            var running = try RunningStatistics(features: a.shape[1])
            switch net.normalization {
            case .batchnorm:
                a = try batchnormForward(x: a, gamma: net.gammas[l], beta: net.betas[l], train: true, momentum: 0.9, epsilon: 1e-5, running: &running)
            case .layernorm: a = try layernormForward(x: a, gamma: net.gammas[l], beta: net.betas[l], epsilon: 1e-5)
            case .none: break
            }
            reluInputs.append(a)
            h = try reluForward(x: a)
            if net.keepProbability < 1 {
                let (out, mask) = try dropoutForward(x: h, p: net.keepProbability, train: true, generator: &generator)
                h = out
                masks.append(mask)
            }
        }
        inputs.append(h)
        let scores = try affineForward(x: h, w: net.weights[layers - 1], b: net.biases[layers - 1])
        var (loss, dOut) = try softmaxLossVectorized(scores: scores, labels: labels)
        var grads = net
        for l in stride(from: layers - 1, through: 0, by: -1) {
            if l < layers - 1 {
                if net.keepProbability < 1 { dOut = try dropoutBackward(dOut: dOut, mask: masks[l], p: net.keepProbability) }
                dOut = try reluBackward(dOut: dOut, x: reluInputs[l])
                switch net.normalization {
                case .batchnorm:
                    let r = try batchnormBackwardAlt(dOut: dOut, x: normalizedInputs[l], gamma: net.gammas[l], epsilon: 1e-5)
                    (dOut, grads.gammas[l], grads.betas[l]) = (r.dx, r.dGamma, r.dBeta)
                case .layernorm:
                    let r = try layernormBackward(dOut: dOut, x: normalizedInputs[l], gamma: net.gammas[l], epsilon: 1e-5)
                    (dOut, grads.gammas[l], grads.betas[l]) = (r.dx, r.dGamma, r.dBeta)
                case .none: break
                }
            }
            let r = try affineBackward(dOut: dOut, x: inputs[l], w: net.weights[l])
            let penalty = try l2Regularization(weights: net.weights[l], reg: reg)
            loss += penalty.loss
            grads.weights[l] = try r.dw + penalty.dWeights
            grads.biases[l] = r.db
            dOut = r.dx
        }
        return (loss, grads)
        // END SOLUTION
    }

    public static func solve(model: SolverModel, data: SolverData, options: SolverOptions) throws -> SolverResult {
        // Hint: keep one state tensor (or two, for Adam) per parameter, created once before the first epoch.
        // BEGIN SOLUTION
        guard ["sgd", "sgd_momentum", "rmsprop", "adam"].contains(options.updateRule) else {
            throw HomeworkError("unknown update rule \(options.updateRule)")
        }
        var params = model.parameters
        var first = try params.map { try Tensor<Double>.zeros($0.shape) }, second = first
        var steps = [Int](repeating: 0, count: params.count)
        let n = data.trainX.shape[0], iterations = max(1, n / options.batchSize)
        func accuracy(_ x: Tensor<Double>, _ labels: [Int]) throws -> Double {
            let scores = try model.scores(params, x), c = scores.shape[1]
            var right = 0
            for i in 0..<labels.count {
                let row = scores.scalars[(i * c)..<((i + 1) * c)]
                if row.firstIndex(of: row.max()!)! - i * c == labels[i] { right += 1 }
            }
            return Double(right) / Double(max(labels.count, 1))
        }
        var result = SolverResult(
            finalParameters: params, bestParameters: params, bestValAccuracy: -1, lossHistory: [], trainAccuracyHistory: [],
            valAccuracyHistory: [], learningRates: [])
        var lr = options.learningRate
        for _ in 0..<options.epochs {
            result.learningRates.append(lr)
            for i in 0..<iterations {
                let rows = Array((i * options.batchSize)..<min(n, (i + 1) * options.batchSize))
                let (loss, grads) = try model.loss(params, data.trainX.take(rows), rows.map { data.trainLabels[$0] })
                result.lossHistory.append(loss)
                for p in 0..<params.count {
                    steps[p] += 1
                    switch options.updateRule {
                    case "sgd": try sgd(w: &params[p], dw: grads[p], lr: lr)
                    case "sgd_momentum": try sgdMomentum(w: &params[p], dw: grads[p], velocity: &first[p], lr: lr, momentum: options.momentum)
                    case "rmsprop": try rmsprop(w: &params[p], dw: grads[p], cache: &first[p], lr: lr, decayRate: options.decayRate, epsilon: options.epsilon)
                    default:
                        try adam(
                            w: &params[p], dw: grads[p], m: &first[p], v: &second[p], t: steps[p], lr: lr, beta1: options.beta1,
                            beta2: options.beta2, epsilon: options.epsilon)
                    }
                }
            }
            let trainAccuracy = try accuracy(data.trainX, data.trainLabels), valAccuracy = try accuracy(data.valX, data.valLabels)
            result.trainAccuracyHistory.append(trainAccuracy)
            result.valAccuracyHistory.append(valAccuracy)
            if valAccuracy > result.bestValAccuracy { (result.bestValAccuracy, result.bestParameters) = (valAccuracy, params) }
            lr *= options.learningRateDecay
        }
        result.finalParameters = params
        result.bestValAccuracy = max(result.bestValAccuracy, 0)
        return result
        // END SOLUTION
    }
}
