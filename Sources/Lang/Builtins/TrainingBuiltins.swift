import Autograd
import Foundation
import NeuralNet
import Optimizers
import Tensors
import Training

/// The optimizer's `net` argument: a model, a tensor or a list of tensors.
func parameters(_ a: Arguments) throws -> [Parameter<Float>] {
    switch a.value("net") {
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

/// The options `fit` and `trainer` share, after the model and the two datasets.
var trainerParameters: [Param] {
    let d = TrainerOptions()
    return [
        Param("net", .object("model")), Param("train", .object("dataset")), Param("val", .object("dataset")),
        Param("epochs", .whole(.count), default: .value(.number(Double(d.epochs)))),
        Param("batch_size", .whole(.positiveCount), default: .value(.number(Double(d.batchSize)))),
        Param("lr", .nonNegative, default: .value(.number(d.learningRate))),
        Param("update", .choice(UpdateRule.allCases.map(\.rawValue)), default: .value(.string(d.update.rawValue))),
        Param("momentum", .number, default: .value(.number(d.momentum))),
        Param("lr_decay", .nonNegative, default: .value(.number(d.learningRateDecay)), doc: "multiplies the learning rate after every epoch, when there is no schedule"),
        Param("reg", .nonNegative, default: 0), Param("reg_kind", .choice(Regularizer.names), default: "l2"),
        Param("schedule", .object("schedule"), default: .absent),
        Param("sample_batches", .flag, default: true, doc: "draw each batch at random (false: sweep the data in order)"),
        Param("crop", .whole(.window), default: 0, doc: "random-crop padding in pixels"), Param("flip", .flag, default: false),
        Param("jitter", .fraction, default: 0, doc: "colour jitter from 0 to 1 (brightness and per-channel gain from ±jitter)"),
        Param("patience", .whole(.count), default: .absent), Param("max_norm", .finite(above: 0), default: .absent),
        Param("quit_factor", .finite(above: 1), default: 3), Param("loss", .choice(["softmax", "svm"]), default: "softmax"),
        Param("seed", .whole(.seed), default: 0), Param("sanity", .flag, default: false), Param("verbose", .flag, default: true)
    ]
}

/// The kinds `schedule` makes.
let scheduleKinds = ["constant", "step", "exponential", "sqrt", "inverse", "1/t", "exp", "cosine", "triangular", "triangular2", "exp_range"]

func trainerOptions(_ a: Arguments) throws -> TrainerOptions {
    var o = TrainerOptions()
    o.epochs = try a.whole("epochs")
    o.batchSize = try a.whole("batch_size")
    o.learningRate = try a.number("lr")
    o.momentum = try a.number("momentum")
    o.learningRateDecay = try a.number("lr_decay")
    o.update = try UpdateRule(name: try a.string("update"))
    o.regularizer = try Regularizer(name: try a.string("reg_kind"), strength: try a.number("reg"))
    o.sampleBatches = try a.bool("sample_batches")
    o.verbose = try a.bool("verbose")
    o.patience = try a.optionalWhole("patience")
    if let m = try a.optionalNumber("max_norm") { o.maxNorm = m }
    o.quitEarlyFactor = try a.number("quit_factor")
    o.loss = try a.choice("loss", ["softmax": .softmax, "svm": .svm])
    o.seed = UInt64(try a.whole("seed"))
    o.sanityCheck = try a.bool("sanity")
    o.augmentation = Augmentation(cropPadding: try a.whole("crop"), horizontalFlip: try a.bool("flip"), colorJitter: try a.number("jitter"))
    if case .object(let s as ScheduleObject)? = a.value("schedule") {
        // The schedule gives every iteration's rate; a per-epoch decay on top would compound.
        guard !a.gave("lr_decay") || o.learningRateDecay == 1 else {
            throw a.error("give lr_decay or schedule, not both: a schedule sets every iteration's learning rate (lr_decay applies only without one)")
        }
        o.schedule = s.schedule
    }
    return o
}

/// `fit` and `trainer` take the same arguments: a model, the train and val datasets, options.
func makeTrainer(_ a: Arguments) throws -> TrainerObject {
    TrainerObject(
        Trainer(model: try model(a), options: try trainerOptions(a)),
        train: try dataset(a, "train"), val: try dataset(a, "val"))
}

func registerTrainingBuiltins(_ r: inout BuiltinRegistry) {
    var c = "Optimizers"
    /// An optimizer builtin: `net` (a model, a tensor or a list of tensors), then its options.
    func optimizer(
        _ name: String, _ options: [Param], _ doc: String, _ example: String,
        _ make: @escaping ([Parameter<Float>], Arguments) throws -> Optimizer<Float>
    ) {
        let net = Param("net", .value, doc: "a model, a tensor or a list of tensors")
        r.register(name, [net] + options, category: c, doc: doc, example: example) { a, _ in
            .object(OptimizerObject(try make(try parameters(a), a)))
        }
    }
    let weightDecay = Param("weight_decay", .nonNegative, default: 0)
    optimizer(
        "sgd", [Param("lr", .nonNegative, default: 0.001), weightDecay],
        "Plain SGD: w ← w − lr·∇w. `opt.step()` applies it to every parameter with a gradient.",
        "opt = sgd(two_layer_net(4, 5, 3), lr: 0.1); opt.lr"
    ) {
        SGD(parameters: $0, learningRate: try $1.number("lr"), weightDecay: try $1.number("weight_decay"))
    }
    optimizer(
        "momentum",
        [
            Param("lr", .nonNegative, default: 0.001), Param("mu", .number, default: 0.9), Param("nesterov", .flag, default: false),
            Param("dampening", .number, default: 0), weightDecay
        ],
        "SGD with momentum: v ← μv − lr·(1 − τ)·∇w, w ← w + v, with PyTorch's dampening τ (the first step is undamped; Nesterov, w ← w − μv_prev + (1+μ)v, needs τ = 0). The velocity is in opt.state.",
        "momentum(two_layer_net(4, 5, 3), lr: 0.01, mu: 0.9)"
    ) {
        let dampening = try $1.number("dampening"), nesterov = try $1.bool("nesterov")
        guard dampening.isFinite, dampening >= 0, dampening <= 1 else { throw $1.error("dampening must be between 0 and 1, got \(formatNumber(dampening))") }
        guard !nesterov || dampening == 0 else { throw $1.error("Nesterov momentum needs dampening 0 (as in PyTorch)") }
        return Momentum(
            parameters: $0, learningRate: try $1.number("lr"), momentum: try $1.number("mu"),
            nesterov: nesterov, dampening: dampening, weightDecay: try $1.number("weight_decay"))
    }
    optimizer(
        "adagrad",
        [
            Param("lr", .nonNegative, default: 0.01), Param("eps", .number, default: 1e-8), Param("lr_decay", .nonNegative, default: 0),
            Param("initial_accumulator_value", .nonNegative, default: 0)
        ],
        "Adagrad: cache += ∇w², w −= lr_t·∇w/(√cache + ε) with lr_t = lr/(1 + (t−1)·lr_decay) and the cache starting at initial_accumulator_value (PyTorch's options). Steps shrink for good.",
        "adagrad(two_layer_net(4, 5, 3))"
    ) {
        Adagrad(
            parameters: $0, learningRate: try $1.number("lr"), epsilon: try $1.number("eps"),
            learningRateDecay: try $1.number("lr_decay"), initialAccumulator: try $1.number("initial_accumulator_value"))
    }
    optimizer(
        "rmsprop",
        [
            Param("lr", .nonNegative, default: 0.001), Param("decay", .number, default: 0.99), Param("eps", .number, default: 1e-8),
            Param("centered", .flag, default: false)
        ],
        "RMSprop: a leaky cache ρ·cache + (1−ρ)∇w² so steps do not vanish; centered: true also tracks the mean gradient ḡ and divides by √(cache − ḡ²) + ε (PyTorch's centered option).",
        "rmsprop(two_layer_net(4, 5, 3), lr: 1e-3)"
    ) {
        RMSprop(
            parameters: $0, learningRate: try $1.number("lr"), decayRate: try $1.number("decay"),
            epsilon: try $1.number("eps"), centered: try $1.bool("centered"))
    }
    optimizer(
        "adam",
        [
            Param("lr", .nonNegative, default: 0.001), Param("beta1", .number, default: 0.9), Param("beta2", .number, default: 0.999),
            Param("eps", .number, default: 1e-8), weightDecay
        ],
        "Adam: momentum on the gradient (m) and RMSprop's cache (v), both bias-corrected: w −= lr·m̂/(√v̂ + ε).",
        "adam(two_layer_net(4, 5, 3), lr: 1e-3)"
    ) {
        Adam(
            parameters: $0, learningRate: try $1.number("lr"), beta1: try $1.number("beta1"),
            beta2: try $1.number("beta2"), epsilon: try $1.number("eps"), weightDecay: try $1.number("weight_decay"))
    }
    optimizer(
        "adamw", [Param("lr", .nonNegative, default: 0.001), Param("weight_decay", .nonNegative, default: 0.01)],
        "AdamW: Adam with decoupled weight decay w −= lr·λ·w.", "adamw(two_layer_net(4, 5, 3))"
    ) {
        Adam.adamW(parameters: $0, learningRate: try $1.number("lr"), weightDecay: try $1.number("weight_decay"))
    }
    optimizer(
        "schedule_free",
        [
            Param("base", .choice(["sgd", "adamw"]), default: "adamw"), Param("lr", .nonNegative, default: 0.001),
            Param("beta", .number, default: 0.9), Param("warmup", .whole(.count), default: 0), Param("r", .number, default: 0),
            Param("weight_lr_power", .number, default: 2), weightDecay
        ],
        "Schedule-Free SGD or AdamW (Defazio et al. 2024): no decay schedule to pick. Gradients are taken at y, the average x is the model to evaluate: call opt.eval() before measuring and opt.train() before the next step. x averages the z iterates with weights ω_t = t^r·(max step so far)^weight_lr_power, as the reference implementation does.",
        "schedule_free(two_layer_net(4, 5, 3), base: \"sgd\", lr: 0.1)"
    ) {
        ScheduleFree(
            parameters: $0, base: try $1.choice("base", ["sgd": .sgd, "adamw": .adamW]), learningRate: try $1.number("lr"),
            beta: try $1.number("beta"), warmupSteps: try $1.whole("warmup"), r: try $1.number("r"),
            weightLearningRatePower: try $1.number("weight_lr_power"), weightDecay: try $1.number("weight_decay"))
    }
    r.register(
        "gradient_noise", [Param("opt", .object("optimizer")), Param("eta", .nonNegative, default: 0.01), Param("gamma", .nonNegative, default: 0.55)], category: c,
        doc: "Adds annealed Gaussian noise N(0, η/(1+t)^γ) (a variance) to every gradient before each step of opt, as in Neelakantan et al. 2015; the noise has its own schedule, independent of the learning rate (unlike SGLD's, which is tied to the step size).",
        example: "opt = sgd(two_layer_net(4, 5, 3)); gradient_noise(opt, eta: 0.3)"
    ) { a, interp in
        let o = try a.object("opt", as: OptimizerObject.self)
        o.optimizer.gradientNoise = GradientNoise(
            eta: try a.number("eta"), gamma: try a.number("gamma"),
            seed: interp.generator.next())
        return .object(o)
    }
    r.register(
        "ravine", [Param("update", .choice(UpdateRule.allCases.map(\.rawValue))), Param("lr", .nonNegative), Param("steps", .whole(.count), default: 100), Param("a", .number, default: 1), Param("b", .number, default: 50), Param("mu", .number, default: 0.9)], category: c,
        doc: "Runs an update rule (sgd, momentum, nesterov, adagrad, rmsprop, adam, …) on the ravine f(x, y) = ½(a x² + b y²) from (−4, 1) and returns the path as a list of [x, y, loss]. Steep across, shallow along: plain SGD zig-zags.",
        example: "p = ravine(\"momentum\", 0.01, steps: 50); p[-1]"
    ) { a, _ in
        let rule = try UpdateRule(name: try a.string("update"))
        let rav = Ravine(a: try a.number("a"), b: try a.number("b"))
        let opt: Optimizer<Double> = rule.make(
            parameters: [rav.makeParameter()], learningRate: try a.number("lr"),
            momentum: try a.number("mu"))
        let path = try rav.path(opt, steps: try a.whole("steps"))
        return .list(path.map { .list([.number($0.x), .number($0.y), .number($0.loss)]) })
    }

    c = "Schedules"
    r.register(
        "schedule", [Param("kind", .choice(scheduleKinds)), Param("lr", .nonNegative, default: 1), Param("every", .whole(.positiveCount), default: 10), Param("factor", .number, default: 0.1), Param("total", .whole(.positiveCount), default: 100), Param("k", .number, default: 0.1), Param("max_lr", .number, default: 0.1), Param("step_size", .whole(.positiveCount), default: 10), Param("gamma", .number, default: 0.99), Param("eta_min", .finite(above: -.infinity), default: 0), Param("warmup", .whole(.count), default: 0)], category: c,
        doc: "A learning-rate schedule over iterations t: constant; step (×factor every k); exponential (×factor every `every`, e.g. 0.97 per epoch); sqrt (√(1 − t/total)); inverse (lr/(1 + k t)); exp (lr·e^(−k t)); cosine (eta_min + (lr − eta_min)·(1 + cos(π t/total))/2, PyTorch's CosineAnnealingLR); triangular, triangular2, exp_range (Smith's cyclical rates between lr and max_lr). warmup: n prepends a linear warmup. Pass it to fit(schedule: s); s.values(n) lists the first n rates.",
        example: "s = schedule(\"step\", lr: 0.1, every: 5, factor: 0.5); s.values(12)"
    ) { a, _ in
        let kind = try a.string("kind")
        let every = try a.whole("every"), factor = try a.number("factor")
        let total = try a.whole("total"), k = try a.number("k")
        let maxRate = try a.number("max_lr"), stepSize = try a.whole("step_size")
        let gamma = try a.number("gamma")
        var s: LearningRateSchedule
        switch kind {
        case "constant": s = .constant
        case "step": s = .step(every: every, factor: factor)
        case "exponential": s = .exponential(factor: a.gave("factor") ? factor : 0.97, every: every)
        case "sqrt": s = .sqrtDecay(total: total)
        case "inverse", "1/t": s = .inverseTime(k: k)
        case "exp": s = .exponentialDecay(k: k)
        case "cosine":
            s = .cosine(total: total, floor: try a.number("eta_min"))
        case "triangular", "triangular2", "exp_range":
            s = .cyclical(mode: LearningRateSchedule.CyclicalMode(rawValue: kind)!, maxRate: maxRate, stepSize: stepSize, gamma: gamma)
        default: throw LangError(.runtime, "schedule: unknown kind \"\(kind)\"; choose constant, step, exponential, sqrt, inverse, exp, cosine, triangular, triangular2 or exp_range")
        }
        let w = try a.whole("warmup")
        if w > 0 { s = .warmup(steps: w, then: s) }
        return .object(ScheduleObject(s, base: try a.number("lr")))
    }

    c = "Training"
    r.register(
        "fit", trainerParameters, category: c,
        doc: "Trains net on the train dataset like the course's ClassifierTrainer, printing `Finished epoch e / E: cost …, train: …, val …, lr …` per epoch, and returns the history. The best model by validation accuracy is left in net. Stops early when the loss passes 3× its first value (quit_factor), on NaN/Inf, when val accuracy stalls for `patience` epochs, or on Ctrl-C (keeping the best model so far). update: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw, schedule_free_sgd, schedule_free_adamw.",
        example: "d = split(spiral(40), train: 80, val: 40)\nh = fit(two_layer_net(2, 20, 3, std: 0.1), d.train, d.val, epochs: 2, lr: 0.1, verbose: false)\nh.best_val_acc >= 0"
    ) { a, interp in
        .object(HistoryObject(try makeTrainer(a).run(in: interp)))
    }
    r.register(
        "trainer", trainerParameters, category: c,
        doc: "A trainer object with fit's options, to run later or again: t.run() trains (continuing from the current weights and optimizer state) and returns the history; t.epochs and t.lr can be changed between runs; t.accuracy(data) evaluates.",
        example: "d = split(spiral(30), train: 60, val: 30)\nt = trainer(two_layer_net(2, 10, 3, std: 0.1), d.train, d.val, epochs: 2, lr: 0.5, update: \"sgd\", verbose: false)\nh = t.run(); t.epochs = 1; h2 = t.run(); len(h2.loss)"
    ) { a, _ in
        .object(try makeTrainer(a))
    }
    r.register(
        "sanity_check", [Param("net", .object("model")), Param("data", .object("dataset")), Param("loss", .choice(["softmax", "svm"]), default: "softmax"), Param("reg", .nonNegative, default: 1000)], category: c,
        doc: "The course's loss sanity checks at initialization: the loss should be ≈ log C (softmax) or C − 1 (SVM) with no regularization, and must rise when regularization is added.",
        example: "sanity_check(two_layer_net(2, 10, 3, std: 1e-4), spiral(20))"
    ) { a, _ in
        let s = try SanityCheck.run(
            model: try model(a), data: try dataset(a),
            loss: try a.choice("loss", ["softmax": .softmax, "svm": .svm]),
            regularization: try a.number("reg"))
        return .object(
            RecordObject(
                "sanity check",
                [
                    ("initial_loss", .number(s.initialLoss)), ("expected", .number(s.expectedLoss)),
                    ("regularized_loss", .number(s.regularizedLoss)), ("passed", .bool(s.passed))
                ],
                summary: s.lines.joined(separator: "\n")))
    }
    r.register(
        "lr_range_test",
        [
            Param("net", .object("model")), Param("data", .object("dataset")), Param("start", .finite(above: 0), default: 1e-7),
            Param("end", .finite(above: 0), default: 10), Param("steps", .whole(.positiveCount.within(2...100_000)), default: 100),
            Param("batch_size", .whole(.positiveCount), default: 100), Param("update", .choice(UpdateRule.allCases.map(\.rawValue)), default: "sgd")
        ], category: c,
        doc: "The learning-rate range test: one run whose rate grows geometrically each step from start to end, recording the mini-batch loss (and an average smoothed with weight 0.9 on the past, bias-corrected). Stops when the smoothed loss passes 4× its lowest. Returns .lrs, .loss, .smoothed, .steepest_lr (where the loss falls fastest per decade: a good rate) and .min_lr (the rate at the lowest loss: too high to train at). Changes the net's weights: pass a fresh one.",
        example: "t = lr_range_test(two_layer_net(2, 10, 3, std: 0.1), spiral(30), start: 1e-4, end: 10, steps: 40, batch_size: 30); len(t.lrs) > 0"
    ) { a, interp in
        var test = LearningRateRangeTest()
        test.start = try a.number("start")
        test.end = try a.number("end")
        test.steps = try a.whole("steps")
        test.batchSize = try a.whole("batch_size")
        test.update = try UpdateRule(name: try a.string("update"))
        test.seed = interp.generator.next()
        guard test.end > test.start else { throw LangError(.runtime, "lr_range_test: end (\(test.end)) must be above start (\(test.start))") }
        let r = try test.run(model: try model(a), data: try dataset(a, "data"), shouldStop: { interp.interrupt.isRaised })
        let summary =
            "lr range test: \(r.learningRates.count) steps from \(formatNumber(test.start)) to \(formatNumber(r.learningRates.last ?? test.start))"
            + (r.diverged ? ", stopped when the loss blew up" : "") + "; steepest descent at lr \(r.steepestRate.map(formatNumber) ?? "none")"
            + ", lowest loss at lr \(r.minimumRate.map(formatNumber) ?? "none")"
        return .object(
            RecordObject(
                "lr range test",
                [
                    ("lrs", numbers(r.learningRates)), ("loss", numbers(r.losses)), ("smoothed", numbers(r.smoothedLosses)),
                    ("steepest_lr", r.steepestRate.map(Value.number) ?? .none), ("min_lr", r.minimumRate.map(Value.number) ?? .none),
                    ("diverged", .bool(r.diverged))
                ], summary: summary))
    }
    r.register(
        "lr_search", [Param("make_net", .function), Param("train", .object("dataset")), Param("val", .object("dataset")), Param("lr", .wholes(.index), default: .value(numbers([-6, -1])), doc: "[low, high] exponents of 10"), Param("reg", .wholes(.index), default: .value(numbers([-5, 1])), doc: "[low, high] exponents of 10"), Param("coarse", .whole(.positiveCount.within(1...10_000)), default: 8), Param("coarse_epochs", .whole(.positiveCount), default: 1), Param("fine", .whole(.count.within(0...10_000)), default: 4), Param("fine_epochs", .whole(.positiveCount), default: 3), Param("batch_size", .whole(.positiveCount), default: 100), Param("update", .choice(UpdateRule.allCases.map(\.rawValue)), default: "momentum")], category: c,
        doc: "Coarse-to-fine random search: lr = 10^u and reg = 10^v with u, v uniform in the given exponent ranges; a few epochs per coarse trial, diverging trials quit early; then fine trials around the best. make_net is a function returning a fresh model. Prints a sorted table and warns when the best value sits on the border of the range.",
        example: "d = split(spiral(30), train: 60, val: 30)\nr = lr_search(fn() = two_layer_net(2, 10, 3, std: 0.1), d.train, d.val, coarse: 2, fine: 1, batch_size: 30)\nr.best_lr > 0"
    ) { a, interp in
        let make = try a.function("make_net")
        let (train, val) = (try dataset(a, "train"), try dataset(a, "val"))
        var search = LearningRateSearch()
        func range(_ name: String, _ d: ClosedRange<Double>) throws -> ClosedRange<Double> {
            let l = try a.wholeList(name)
            guard l.count == 2, l[0] < l[1] else { throw LangError(.runtime, "lr_search: \(name) must be [low_exponent, high_exponent]") }
            return Double(l[0])...Double(l[1])
        }
        search.learningRateExponents = try range("lr", -6 ... -1)
        search.regularizationExponents = try range("reg", -5...1)
        search.coarseTrials = try a.whole("coarse")
        search.coarseEpochs = try a.whole("coarse_epochs")
        search.fineTrials = try a.whole("fine")
        search.fineEpochs = try a.whole("fine_epochs")
        search.seed = interp.generator.next()
        var base = TrainerOptions()
        base.batchSize = try a.whole("batch_size")
        base.update = try UpdateRule(name: try a.string("update"))
        let result = try search.run(
            makeModel: { _ in
                let v = try interp.call(make, Arguments(positional: [], location: a.location, callee: make.name))
                guard case .object(let m as ModelObject) = v else { throw LangError(.type, "lr_search: make_net must return a model, got a \(v.typeName)") }
                return m.module
            }, train: train, val: val, base: base, shouldStop: { interp.interrupt.isRaised },
            report: { t in
                interp.status?(String(format: "%@ trial lr %.2e reg %.2e → val %.3f", t.stage, t.learningRate, t.regularization, t.valAccuracy))
            })
        interp.status?("")
        interp.output(result.table)
        let trials: [Value] = result.trials.map { t in
            .object(
                RecordObject(
                    "trial",
                    [
                        ("stage", .string(t.stage)), ("lr", .number(t.learningRate)), ("reg", .number(t.regularization)),
                        ("val_acc", .number(t.valAccuracy)), ("train_acc", .number(t.trainAccuracy)),
                        ("diverged", .bool(t.stopReason.isDivergence))
                    ]))
        }
        return .object(
            RecordObject(
                "search",
                [
                    ("trials", .list(trials)), ("best_lr", .number(result.best?.learningRate ?? .nan)),
                    ("best_reg", .number(result.best?.regularization ?? .nan)),
                    ("best_val_acc", .number(result.best?.valAccuracy ?? 0)),
                    ("warnings", .list(result.warnings.map { .string($0) }))
                ],
                summary: "search: \(result.trials.count) trials, best val \(formatNumber(result.best?.valAccuracy ?? 0)) at lr \(formatNumber(result.best?.learningRate ?? .nan)), reg \(formatNumber(result.best?.regularization ?? .nan))"))
    }
    r.register(
        "doctor", [Param("history", .object("history"))], category: c,
        doc: "Reads a training history like the course's loss and accuracy pictures: not training, error increasing, not converged yet, slow start, possible/definite overfitting, loss too noisy, learning rate too low — each with its hint.",
        example: "doctor(fit(two_layer_net(2, 10, 3, std: 0.1), spiral(30), spiral(10, seed: 1), epochs: 2, verbose: false))"
    ) { a, _ in
        let h = try a.object("history", as: HistoryObject.self).history
        let findings = CurveDoctor.diagnose(h)
        return .object(
            RecordObject(
                "diagnosis",
                [
                    ("findings", .list(findings.map { .string($0.finding.rawValue) })),
                    ("hints", .list(findings.map { .string($0.hint) }))
                ],
                summary: findings.map { "\($0.finding.rawValue): \($0.hint)" }.joined(separator: "\n")))
    }
    r.register(
        "save", [Param("net", .object("model")), Param("path", .text), Param("optimizer", .object("optimizer"), default: .absent)], category: c,
        doc: "Writes the model's parameters (and the optimizer's state) to a NumPy .npz file, atomically.",
        example: "save(two_layer_net(2, 3, 2), \"/tmp/gradschool-example.npz\")"
    ) { a, _ in
        let net = try model(a)
        let path = try a.string("path")
        if case .object(let o as OptimizerObject)? = a.value("optimizer") { try net.save(to: path, optimizer: o.optimizer) } else { try net.save(to: path) }
        return .none
    }
    r.register(
        "load", [Param("net", .object("model")), Param("path", .text), Param("optimizer", .object("optimizer"), default: .absent)], category: c,
        doc: "Reads parameters saved by save into a model of the same architecture; nothing changes if the file does not fit.",
        example: "n = two_layer_net(2, 3, 2); save(n, \"/tmp/gradschool-example2.npz\"); load(n, \"/tmp/gradschool-example2.npz\")"
    ) { a, _ in
        let net = try model(a)
        let path = try a.string("path")
        if case .object(let o as OptimizerObject)? = a.value("optimizer") { try net.load(from: path, optimizer: o.optimizer) } else { try net.load(from: path) }
        return .none
    }
}
