import Autograd
import Foundation
import Kernels
import NeuralNet
import Optimizers
import Tensors
import Training

func parameters(_ a: Arguments, _ i: Int = 0) throws -> [Parameter<Float>] {
    switch a.value(i, "net") {
    case .object(let m as ModelObject)?: return m.module.parameters
    case .list(let items)?:
        return try items.enumerated().map { k, v in
            guard case .tensor(let t) = v else { throw LangError(.type, "\(a.callee): the list must hold tensors, item \(k) is a \(v.typeName)") }
            return Parameter(name: t.name.isEmpty ? "p\(k)" : t.name, variable: t, role: .weight)
        }
    case .tensor(let t)?: return [Parameter(name: t.name.isEmpty ? "p0" : t.name, variable: t, role: .weight)]
    default: throw LangError(.type, "\(a.callee): the first argument must be a model, a tensor or a list of tensors")
    }
}

func trainerOptions(_ a: Arguments, firstKeywordIndex: Int = 99) throws -> TrainerOptions {
    var o = TrainerOptions()
    o.epochs = try a.whole(-1, "epochs", .count, default: o.epochs)
    o.batchSize = try a.whole(-1, "batch_size", .positiveCount, default: o.batchSize)
    o.learningRate = try a.number(-1, "lr", default: o.learningRate)
    o.momentum = try a.number(-1, "momentum", default: o.momentum)
    o.learningRateDecay = try a.number(-1, "lr_decay", default: o.learningRateDecay)
    o.update = try UpdateRule(name: try a.string(-1, "update", default: o.update.rawValue))
    o.regularizer = try regularizer(try a.string(-1, "reg_kind", default: "l2"), try a.number(-1, "reg", default: 0))
    o.sampleBatches = try a.bool(-1, "sample_batches", default: true)
    o.verbose = try a.bool(-1, "verbose", default: true)
    if a.has(-1, "patience") { o.patience = try a.whole(-1, "patience", .count) }
    if a.has(-1, "max_norm") { o.maxNorm = try a.finiteNumber(-1, "max_norm", above: 0) }
    if a.has(-1, "quit_factor") { o.quitEarlyFactor = try a.finiteNumber(-1, "quit_factor", above: 1) }
    o.loss = try a.choice(-1, "loss", ["softmax": .softmax, "svm": .svm], default: "softmax")
    o.seed = UInt64(try a.whole(-1, "seed", .seed, default: 0))
    o.sanityCheck = try a.bool(-1, "sanity", default: false)
    o.augmentation = Augmentation(cropPadding: try a.whole(-1, "crop", .window, default: 0), horizontalFlip: try a.bool(-1, "flip", default: false))
    if case .object(let s as ScheduleObject)? = a.value(-1, "schedule") { o.schedule = s.schedule }
    return o
}

/// `fit` and `trainer` take the same arguments: a model, the train and val datasets, options.
func makeTrainer(_ a: Arguments) throws -> TrainerObject {
    TrainerObject(Trainer(model: try model(a), options: try trainerOptions(a)),
                  train: try dataset(a, 1, "train"), val: try dataset(a, 2, "val"))
}

func registerTrainingBuiltins(_ r: inout BuiltinRegistry) {
    var c = "Optimizers"
    func optimizer(_ name: String, _ signature: String, _ doc: String, _ example: String,
                   _ make: @escaping ([Parameter<Float>], Arguments) throws -> Optimizer<Float>) {
        r.register(name, signature, category: c, doc: doc, example: example) { a, _ in
            .object(OptimizerObject(try make(try parameters(a), a)))
        }
    }
    optimizer("sgd", "sgd(net, lr: 0.001, weight_decay: 0)", "Plain SGD: w ← w − lr·∇w. `opt.step()` applies it to every parameter with a gradient.",
              "opt = sgd(two_layer_net(4, 5, 3), lr: 0.1); opt.lr") {
        SGD(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-3), weightDecay: try $1.number(-1, "weight_decay", default: 0))
    }
    optimizer("momentum", "momentum(net, lr: 0.001, mu: 0.9, nesterov: false, dampening: 0, weight_decay: 0)",
              "SGD with momentum: v ← μv − lr·(1 − τ)·∇w, w ← w + v, with PyTorch's dampening τ (the first step is undamped; Nesterov, w ← w − μv_prev + (1+μ)v, needs τ = 0). The velocity is in opt.state.",
              "momentum(two_layer_net(4, 5, 3), lr: 0.01, mu: 0.9)") {
        let dampening = try $1.number(-1, "dampening", default: 0), nesterov = try $1.bool(-1, "nesterov", default: false)
        guard dampening.isFinite, dampening >= 0, dampening <= 1 else { throw $1.error("dampening must be between 0 and 1, got \(formatNumber(dampening))") }
        guard !nesterov || dampening == 0 else { throw $1.error("Nesterov momentum needs dampening 0 (as in PyTorch)") }
        return Momentum(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-3), momentum: try $1.number(-1, "mu", default: 0.9),
                        nesterov: nesterov, dampening: dampening, weightDecay: try $1.number(-1, "weight_decay", default: 0))
    }
    optimizer("adagrad", "adagrad(net, lr: 0.01, eps: 1e-8, lr_decay: 0, initial_accumulator_value: 0)",
              "Adagrad: cache += ∇w², w −= lr_t·∇w/(√cache + ε) with lr_t = lr/(1 + (t−1)·lr_decay) and the cache starting at initial_accumulator_value (PyTorch's options). Steps shrink for good.",
              "adagrad(two_layer_net(4, 5, 3))") {
        let initial = try $1.number(-1, "initial_accumulator_value", default: 0), lrDecay = try $1.number(-1, "lr_decay", default: 0)
        guard initial.isFinite, initial >= 0 else { throw $1.error("initial_accumulator_value must be ≥ 0, got \(formatNumber(initial))") }
        guard lrDecay.isFinite, lrDecay >= 0 else { throw $1.error("lr_decay must be ≥ 0, got \(formatNumber(lrDecay))") }
        return Adagrad(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-2), epsilon: try $1.number(-1, "eps", default: 1e-8),
                       learningRateDecay: lrDecay, initialAccumulator: initial)
    }
    optimizer("rmsprop", "rmsprop(net, lr: 0.001, decay: 0.99, eps: 1e-8, centered: false)",
              "RMSprop: a leaky cache ρ·cache + (1−ρ)∇w² so steps do not vanish; centered: true also tracks the mean gradient ḡ and divides by √(cache − ḡ²) + ε (PyTorch's centered option).",
              "rmsprop(two_layer_net(4, 5, 3), lr: 1e-3)") {
        RMSprop(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-3), decayRate: try $1.number(-1, "decay", default: 0.99),
                epsilon: try $1.number(-1, "eps", default: 1e-8), centered: try $1.bool(-1, "centered", default: false))
    }
    optimizer("adam", "adam(net, lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0)",
              "Adam: momentum on the gradient (m) and RMSprop's cache (v), both bias-corrected: w −= lr·m̂/(√v̂ + ε).",
              "adam(two_layer_net(4, 5, 3), lr: 1e-3)") {
        Adam(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-3), beta1: try $1.number(-1, "beta1", default: 0.9),
             beta2: try $1.number(-1, "beta2", default: 0.999), epsilon: try $1.number(-1, "eps", default: 1e-8),
             weightDecay: try $1.number(-1, "weight_decay", default: 0))
    }
    optimizer("adamw", "adamw(net, lr: 0.001, weight_decay: 0.01)", "AdamW: Adam with decoupled weight decay w −= lr·λ·w.",
              "adamw(two_layer_net(4, 5, 3))") {
        Adam.adamW(parameters: $0, learningRate: try $1.number(-1, "lr", default: 1e-3), weightDecay: try $1.number(-1, "weight_decay", default: 0.01))
    }
    optimizer("schedule_free", "schedule_free(net, base: \"adamw\", lr: 0.001, beta: 0.9, warmup: 0, r: 0, weight_lr_power: 2, weight_decay: 0)",
              "Schedule-Free SGD or AdamW (Defazio et al. 2024): no decay schedule to pick. Gradients are taken at y, the average x is the model to evaluate: call opt.eval() before measuring and opt.train() before the next step. x averages the z iterates with weights ω_t = t^r·(max step so far)^weight_lr_power, as the reference implementation does.",
              "schedule_free(two_layer_net(4, 5, 3), base: \"sgd\", lr: 0.1)") {
        let base = try $1.string(-1, "base", default: "adamw")
        guard base == "sgd" || base == "adamw" else { throw LangError(.runtime, "schedule_free: base must be sgd or adamw") }
        return ScheduleFree(parameters: $0, base: base == "sgd" ? .sgd : .adamW, learningRate: try $1.number(-1, "lr", default: 1e-3),
                            beta: try $1.number(-1, "beta", default: 0.9), warmupSteps: try $1.whole(-1, "warmup", .count, default: 0),
                            r: try $1.number(-1, "r", default: 0), weightLearningRatePower: try $1.number(-1, "weight_lr_power", default: 2),
                            weightDecay: try $1.number(-1, "weight_decay", default: 0))
    }
    r.register("gradient_noise", "gradient_noise(opt, eta: 0.01, gamma: 0.55)", category: c,
               doc: "Adds annealed Gaussian noise N(0, η/(1+t)^γ) to every gradient before each step of opt (Langevin-style exploration).",
               example: "opt = sgd(two_layer_net(4, 5, 3)); gradient_noise(opt, eta: 0.3)") { a, interp in
        let o = try a.object(0, "opt", as: OptimizerObject.self, expected: "an optimizer")
        o.optimizer.gradientNoise = GradientNoise(eta: try a.number(1, "eta", default: 0.01), gamma: try a.number(2, "gamma", default: 0.55),
                                                  seed: interp.generator.next())
        return .object(o)
    }
    r.register("ravine", "ravine(update, lr, steps: 100, a: 1, b: 50, mu: 0.9)", category: c,
               doc: "Runs an update rule (sgd, momentum, nesterov, adagrad, rmsprop, adam, …) on the ravine f(x, y) = ½(a x² + b y²) from (−4, 1) and returns the path as a list of [x, y, loss]. Steep across, shallow along: plain SGD zig-zags.",
               example: "p = ravine(\"momentum\", 0.01, steps: 50); p[-1]") { a, _ in
        let rule = try UpdateRule(name: try a.string(0, "update"))
        let rav = Ravine(a: try a.number(-1, "a", default: 1), b: try a.number(-1, "b", default: 50))
        let opt: Optimizer<Double> = rule.make(parameters: [rav.makeParameter()], learningRate: try a.number(1, "lr"),
                                               momentum: try a.number(-1, "mu", default: 0.9))
        let path = try rav.path(opt, steps: try a.whole(2, "steps", .count, default: 100))
        return .list(path.map { .list([.number($0.x), .number($0.y), .number($0.loss)]) })
    }

    c = "Schedules"
    r.register("schedule", "schedule(kind, lr: 1, every: 10, factor: 0.1, total: 100, k: 0.1, max_lr: 0.1, step_size: 10, gamma: 0.99, eta_min: 0, warmup: 0)", category: c,
               doc: "A learning-rate schedule over iterations t: constant; step (×factor every k); exponential (×factor every `every`, e.g. 0.97 per epoch); sqrt (√(1 − t/total)); inverse (lr/(1 + k t)); exp (lr·e^(−k t)); cosine (eta_min + (lr − eta_min)·(1 + cos(π t/total))/2, PyTorch's CosineAnnealingLR); triangular, triangular2, exp_range (Smith's cyclical rates between lr and max_lr). warmup: n prepends a linear warmup. Pass it to fit(schedule: s); s.values(n) lists the first n rates.",
               example: "s = schedule(\"step\", lr: 0.1, every: 5, factor: 0.5); s.values(12)") { a, _ in
        let kind = try a.string(0, "kind")
        let every = try a.whole(-1, "every", .positiveCount, default: 10), factor = try a.number(-1, "factor", default: 0.1)
        let total = try a.whole(-1, "total", .positiveCount, default: 100), k = try a.number(-1, "k", default: 0.1)
        let maxRate = try a.number(-1, "max_lr", default: 0.1), stepSize = try a.whole(-1, "step_size", .positiveCount, default: 10)
        let gamma = try a.number(-1, "gamma", default: 0.99)
        var s: LearningRateSchedule
        switch kind {
        case "constant": s = .constant
        case "step": s = .step(every: every, factor: factor)
        case "exponential": s = .exponential(factor: a.has(-1, "factor") ? factor : 0.97, every: every)
        case "sqrt": s = .sqrtDecay(total: total)
        case "inverse", "1/t": s = .inverseTime(k: k)
        case "exp": s = .exponentialDecay(k: k)
        case "cosine":
            let floor = try a.number(-1, "eta_min", default: 0)
            guard floor.isFinite else { throw a.error("eta_min must be a finite number, got \(formatNumber(floor))") }
            s = .cosine(total: total, floor: floor)
        case "triangular", "triangular2", "exp_range":
            s = .cyclical(mode: LearningRateSchedule.CyclicalMode(rawValue: kind)!, maxRate: maxRate, stepSize: stepSize, gamma: gamma)
        default: throw LangError(.runtime, "schedule: unknown kind \"\(kind)\"; choose constant, step, exponential, sqrt, inverse, exp, cosine, triangular, triangular2 or exp_range")
        }
        let w = try a.whole(-1, "warmup", .count, default: 0)
        if w > 0 { s = .warmup(steps: w, then: s) }
        return .object(ScheduleObject(s, base: try a.number(-1, "lr", default: 1)))
    }

    c = "Training"
    let fitOptions = "epochs: 10, batch_size: 100, lr: 0.001, update: \"momentum\", momentum: 0.9, lr_decay: 0.95, reg: 0, reg_kind: \"l2\", schedule: none, sample_batches: true, crop: 0, flip: false, patience: none, max_norm: none, quit_factor: 3, loss: \"softmax\", seed: 0, sanity: false, verbose: true"
    r.register("fit", "fit(net, train, val, \(fitOptions))", category: c,
               doc: "Trains net on the train dataset like the course's ClassifierTrainer, printing `Finished epoch e / E: cost …, train: …, val …, lr …` per epoch, and returns the history. The best model by validation accuracy is left in net. Stops early when the loss passes 3× its first value (quit_factor), on NaN/Inf, when val accuracy stalls for `patience` epochs, or on Ctrl-C (keeping the best model so far). update: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, schedule_free_sgd, schedule_free_adamw.",
               example: "d = split(spiral(40), train: 80, val: 40)\nh = fit(two_layer_net(2, 20, 3, std: 0.1), d.train, d.val, epochs: 2, lr: 0.1, verbose: false)\nh.best_val_acc >= 0") { a, interp in
        .object(HistoryObject(try makeTrainer(a).run(in: interp)))
    }
    r.register("trainer", "trainer(net, train, val, \(fitOptions))", category: c,
               doc: "A trainer object with fit's options, to run later or again: t.run() trains (continuing from the current weights and optimizer state) and returns the history; t.epochs and t.lr can be changed between runs; t.accuracy(data) evaluates.",
               example: "d = split(spiral(30), train: 60, val: 30)\nt = trainer(two_layer_net(2, 10, 3, std: 0.1), d.train, d.val, epochs: 2, lr: 0.5, update: \"sgd\", verbose: false)\nh = t.run(); t.epochs = 1; h2 = t.run(); len(h2.loss)") { a, _ in
        .object(try makeTrainer(a))
    }
    r.register("sanity_check", "sanity_check(net, data, loss: \"softmax\", reg: 1000)", category: c,
               doc: "The course's loss sanity checks at initialization: the loss should be ≈ log C (softmax) or C − 1 (SVM) with no regularization, and must rise when regularization is added.",
               example: "sanity_check(two_layer_net(2, 10, 3, std: 1e-4), spiral(20))") { a, _ in
        let s = try SanityCheck.run(model: try model(a), data: try dataset(a, 1),
                                    loss: try a.choice(2, "loss", ["softmax": .softmax, "svm": .svm], default: "softmax"),
                                    regularization: try a.number(3, "reg", default: 1e3))
        return .object(RecordObject("sanity check", [("initial_loss", .number(s.initialLoss)), ("expected", .number(s.expectedLoss)),
                                                     ("regularized_loss", .number(s.regularizedLoss)), ("passed", .bool(s.passed))],
                                    summary: s.lines.joined(separator: "\n")))
    }
    r.register("lr_search", "lr_search(make_net, train, val, lr: [-6, -1], reg: [-5, 1], coarse: 8, coarse_epochs: 1, fine: 4, fine_epochs: 3, batch_size: 100, update: \"momentum\")", category: c,
               doc: "Coarse-to-fine random search: lr = 10^u and reg = 10^v with u, v uniform in the given exponent ranges; a few epochs per coarse trial, diverging trials quit early; then fine trials around the best. make_net is a function returning a fresh model. Prints a sorted table and warns when the best value sits on the border of the range.",
               example: "d = split(spiral(30), train: 60, val: 30)\nr = lr_search(fn() = two_layer_net(2, 10, 3, std: 0.1), d.train, d.val, coarse: 2, fine: 1, batch_size: 30)\nr.best_lr > 0") { a, interp in
        let make = try a.function(0, "make_net")
        let (train, val) = (try dataset(a, 1, "train"), try dataset(a, 2, "val"))
        var search = LearningRateSearch()
        func range(_ name: String, _ d: ClosedRange<Double>) throws -> ClosedRange<Double> {
            guard a.has(-1, name) else { return d }
            let l = try a.wholeList(-1, name, .index)
            guard l.count == 2, l[0] < l[1] else { throw LangError(.runtime, "lr_search: \(name) must be [low_exponent, high_exponent]") }
            return Double(l[0])...Double(l[1])
        }
        search.learningRateExponents = try range("lr", -6 ... -1)
        search.regularizationExponents = try range("reg", -5 ... 1)
        search.coarseTrials = try a.whole(-1, "coarse", .positiveCount.within(1...10_000), default: 8)
        search.coarseEpochs = try a.whole(-1, "coarse_epochs", .positiveCount, default: 1)
        search.fineTrials = try a.whole(-1, "fine", .count.within(0...10_000), default: 4)
        search.fineEpochs = try a.whole(-1, "fine_epochs", .positiveCount, default: 3)
        search.seed = interp.generator.next()
        var base = TrainerOptions()
        base.batchSize = try a.whole(-1, "batch_size", .positiveCount, default: 100)
        base.update = try UpdateRule(name: try a.string(-1, "update", default: "momentum"))
        let result = try search.run(makeModel: { _ in
            let v = try interp.call(make, Arguments(positional: [], location: a.location, callee: make.name))
            guard case .object(let m as ModelObject) = v else { throw LangError(.type, "lr_search: make_net must return a model, got a \(v.typeName)") }
            return m.module
        }, train: train, val: val, base: base, shouldStop: { interp.interrupt.isRaised }, report: { t in
            interp.status?(String(format: "%@ trial lr %.2e reg %.2e → val %.3f", t.stage, t.learningRate, t.regularization, t.valAccuracy))
        })
        interp.status?("")
        interp.output(result.table)
        let trials: [Value] = result.trials.map { t in
            .object(RecordObject("trial", [("stage", .string(t.stage)), ("lr", .number(t.learningRate)), ("reg", .number(t.regularization)),
                                           ("val_acc", .number(t.valAccuracy)), ("train_acc", .number(t.trainAccuracy)),
                                           ("diverged", .bool(t.stopReason.isDivergence))]))
        }
        return .object(RecordObject("search", [("trials", .list(trials)), ("best_lr", .number(result.best?.learningRate ?? .nan)),
                                               ("best_reg", .number(result.best?.regularization ?? .nan)),
                                               ("best_val_acc", .number(result.best?.valAccuracy ?? 0)),
                                               ("warnings", .list(result.warnings.map { .string($0) }))],
                                    summary: "search: \(result.trials.count) trials, best val \(formatNumber(result.best?.valAccuracy ?? 0)) at lr \(formatNumber(result.best?.learningRate ?? .nan)), reg \(formatNumber(result.best?.regularization ?? .nan))"))
    }
    r.register("doctor", "doctor(history)", category: c,
               doc: "Reads a training history like the course's loss and accuracy pictures: not training, error increasing, not converged yet, slow start, possible/definite overfitting, loss too noisy, learning rate too low — each with its hint.",
               example: "doctor(fit(two_layer_net(2, 10, 3, std: 0.1), spiral(30), spiral(10, seed: 1), epochs: 2, verbose: false))") { a, _ in
        let h = try a.object(0, "history", as: HistoryObject.self, expected: "a history (from fit)").history
        let findings = CurveDoctor.diagnose(h)
        return .object(RecordObject("diagnosis", [("findings", .list(findings.map { .string($0.finding.rawValue) })),
                                                  ("hints", .list(findings.map { .string($0.hint) }))],
                                    summary: findings.map { "\($0.finding.rawValue): \($0.hint)" }.joined(separator: "\n")))
    }
    r.register("save", "save(net, path, optimizer: none)", category: c,
               doc: "Writes the model's parameters (and the optimizer's state) to a NumPy .npz file, atomically.",
               example: "save(two_layer_net(2, 3, 2), \"/tmp/gradschool-example.npz\")") { a, _ in
        let net = try model(a)
        let path = try a.string(1, "path")
        if case .object(let o as OptimizerObject)? = a.value(2, "optimizer") { try net.save(to: path, optimizer: o.optimizer) }
        else { try net.save(to: path) }
        return .none
    }
    r.register("load", "load(net, path, optimizer: none)", category: c,
               doc: "Reads parameters saved by save into a model of the same architecture; nothing changes if the file does not fit.",
               example: "n = two_layer_net(2, 3, 2); save(n, \"/tmp/gradschool-example2.npz\"); load(n, \"/tmp/gradschool-example2.npz\")") { a, _ in
        let net = try model(a)
        let path = try a.string(1, "path")
        if case .object(let o as OptimizerObject)? = a.value(2, "optimizer") { try net.load(from: path, optimizer: o.optimizer) }
        else { try net.load(from: path) }
        return .none
    }
}
