import Autograd
import Foundation
import HomeworkKit
import Kernels
import Lang
import NeuralNet
import Optimizers
import REPL
import Tensors

/// `:use homework` / `:use reference`: the prompt's relu, losses, conv, pooling, dropout and
/// optimizers run the student's exercise code (Sources/Homework) instead of the engine's,
/// so a student can train a net with their own implementation.
public enum StudentImplementations {
    static let replaced = ["relu", "softmax_loss", "svm_loss", "conv2d", "max_pool2d", "dropout", "sgd", "momentum", "rmsprop", "adam"]

    /// Adds `:use` to the session; `homework` selects `S`'s implementations.
    public static func install<S: HomeworkExercises>(_ session: Session, homework: S.Type) {
        session.register(SessionCommand("use", usage: ":use homework|reference",
                                        summary: "run relu, losses, conv, pooling, dropout and optimizers (and models' ReLU, conv, pooling and dropout layers) from your homework or the engine") { s, arg in
            switch arg {
            case "homework":
                useHomework(s.interpreter, S.self)
                s.out("using your homework for: \(replaced.joined(separator: ", ")), and in models for ReLU, Conv2d, MaxPool2d and Dropout layers. Unfinished exercises will say so when called.")
            case "reference":
                let standard = Builtins.standard
                for name in replaced { if let b = standard[name] { s.interpreter.registry.replaceBody(of: name) { try b.call($0, $1) } } }
                s.interpreter.implementation = "reference"
                s.interpreter.layerOverrides = nil
                s.out("using the reference implementation")
            default:
                s.report(":use takes homework or reference (now: \(s.interpreter.implementation))")
            }
        })
    }

    static func double(_ t: Tensor<Float>) -> Tensor<Double> { t.converted() }
    static func float(_ t: Tensor<Double>) -> Tensor<Float> { t.converted() }

    /// Runs student code, turning "not implemented" into a plain message.
    static func student<R>(_ exercise: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch is Unimplemented {
            throw LangError(.runtime, "your homework's \(exercise) is not finished yet (it still throws Unimplemented); :use reference switches back")
        }
    }

    public static func useHomework<S: HomeworkExercises>(_ interp: Interpreter, _ H: S.Type) {
        interp.implementation = "homework"
        // The same replacements inside models: ReLU, Conv2d, MaxPool2d and Dropout layers.
        interp.layerOverrides = LayerOverrides(
            relu: { try relu(H, $0) },
            conv2d: { try conv2d(H, $0, $1, $2, stride: $3, pad: $4) },
            maxPool2d: { try maxPool2d(H, $0, size: $1, stride: $2) },
            dropout: { x, p, generator in
                let (out, mask) = try dropout(H, x, p: p, train: true, generator: &generator)
                return (out, float(mask))
            })
        interp.registry.replaceBody(of: "relu") { a, _ in .tensor(try relu(H, try a.tensor("x"))) }
        func loss(_ name: String, _ f: @escaping (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)) {
            interp.registry.replaceBody(of: name) { a, _ in
                let s = try a.tensor("scores")
                let labels = try a.wholeList("labels")
                let (l, d) = try student(name) { try f(double(s.value), labels) }
                return .tensor(Variable(Tensor(Float(l)), op: "\(name) (homework)", parents: [s]) { g in [float(d) * g.scalars[0]] })
            }
        }
        loss("softmax_loss") { try H.softmaxLossVectorized(scores: $0, labels: $1) }
        loss("svm_loss") { try H.svmLoss(scores: $0, labels: $1) }
        interp.registry.replaceBody(of: "conv2d") { a, _ in
            let x = try a.tensor("x"), w = try a.tensor("w")
            return .tensor(try conv2d(H, x, w, try a.optionalTensor("b"), stride: try a.whole("stride"),
                                      pad: try a.whole("pad")))
        }
        interp.registry.replaceBody(of: "max_pool2d") { a, _ in
            let x = try a.tensor("x")
            let size = try a.whole("size"), stride = a.has("stride") ? try a.whole("stride") : size
            return .tensor(try maxPool2d(H, x, size: size, stride: stride))
        }
        interp.registry.replaceBody(of: "dropout") { a, interp in
            // The exercise is inverted dropout; the other convention stays the engine's.
            if try !a.bool("inverted"), let engine = Builtins.standard["dropout"] {
                return try engine.call(a, interp)
            }
            let x = try a.tensor("x")
            let p = try a.number("p"), train = try a.bool("train")
            return .tensor(try dropout(H, x, p: p, train: train, generator: &interp.generator).out)
        }
        func optimizer(_ name: String, slots: [String], _ step: @escaping (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double, Arguments) throws -> Void) {
            interp.registry.replaceBody(of: name) { a, _ in
                let params = try model(a).parameters
                let opt = StudentOptimizer(parameters: params, learningRate: try a.number("lr"), slotNames: slots, name: name) { w, g, state, t, lr in
                    try student(name) { try step(&w, g, &state, t, lr, a) }
                }
                return .object(OptimizerObject(opt))
            }
        }
        optimizer("sgd", slots: []) { w, g, _, _, lr, _ in try H.sgd(w: &w, dw: g, lr: lr) }
        optimizer("momentum", slots: ["velocity"]) { w, g, s, _, lr, a in
            try H.sgdMomentum(w: &w, dw: g, velocity: &s[0], lr: lr, momentum: try a.number("mu"))
        }
        optimizer("rmsprop", slots: ["cache"]) { w, g, s, _, lr, a in
            try H.rmsprop(w: &w, dw: g, cache: &s[0], lr: lr, decayRate: try a.number("decay"), epsilon: 1e-8)
        }
        optimizer("adam", slots: ["m", "v"]) { w, g, s, t, lr, a in
            var m = s[0], v = s[1]
            try H.adam(w: &w, dw: g, m: &m, v: &v, t: t, lr: lr, beta1: try a.number("beta1"),
                       beta2: try a.number("beta2"), epsilon: 1e-8)
            s = [m, v]
        }
    }

    /// ReLU through the student's forward and backward, in Double.
    static func relu<S: HomeworkExercises>(_ H: S.Type, _ x: Variable<Float>) throws -> Variable<Float> {
        let xd = double(x.value)
        let y = try student("reluForward") { try H.reluForward(x: xd) }
        return Variable(float(y), op: "relu (homework)", parents: [x]) { g in
            [float(try student("reluBackward") { try H.reluBackward(dOut: double(g), x: xd) })]
        }
    }

    /// A convolution through the student's naive forward and backward; without a bias the
    /// student's code sees zeros and no bias gradient is passed on.
    static func conv2d<S: HomeworkExercises>(
        _ H: S.Type, _ x: Variable<Float>, _ w: Variable<Float>, _ b: Variable<Float>?, stride: Int, pad: Int
    ) throws -> Variable<Float> {
        let (xd, wd) = (double(x.value), double(w.value))
        let bd = try b.map { double($0.value) } ?? Tensor<Double>.zeros([w.shape[0]])
        let y = try student("convForwardNaive") { try H.convForwardNaive(x: xd, w: wd, b: bd, stride: stride, pad: pad) }
        return Variable(float(y), op: "conv2d (homework)", parents: [x, w] + (b.map { [$0] } ?? [])) { g in
            let r = try student("convBackwardNaive") { try H.convBackwardNaive(dOut: double(g), x: xd, w: wd, stride: stride, pad: pad) }
            return [float(r.dx), float(r.dw)] + (b == nil ? [] : [float(r.db)])
        }
    }

    /// Max pooling through the student's forward and backward.
    static func maxPool2d<S: HomeworkExercises>(
        _ H: S.Type, _ x: Variable<Float>, size: Int, stride: Int
    ) throws -> Variable<Float> {
        let xd = double(x.value)
        let y = try student("maxPoolForward") { try H.maxPoolForward(x: xd, size: size, stride: stride) }
        return Variable(float(y), op: "max_pool2d (homework)", parents: [x]) { g in
            [float(try student("maxPoolBackward") { try H.maxPoolBackward(dOut: double(g), x: xd, size: size, stride: stride) })]
        }
    }

    /// Inverted dropout through the student's forward and backward; returns the mask too.
    static func dropout<S: HomeworkExercises>(
        _ H: S.Type, _ x: Variable<Float>, p: Double, train: Bool, generator: inout SeededGenerator
    ) throws -> (out: Variable<Float>, mask: Tensor<Double>) {
        let (out, mask) = try student("dropoutForward") {
            try H.dropoutForward(x: double(x.value), p: p, train: train, generator: &generator)
        }
        let y = Variable(float(out), op: "dropout (homework)", parents: [x]) { g in
            [float(try student("dropoutBackward") { try H.dropoutBackward(dOut: double(g), mask: mask, p: p) })]
        }
        return (y, mask)
    }

    static func model(_ a: Arguments) throws -> Module<Float> {
        try a.object("net", as: ModelObject.self).module
    }
}

/// An optimizer whose update rule is the student's, applied in Double precision.
final class StudentOptimizer: Optimizer<Float> {
    let rule: (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double) throws -> Void
    let ruleName: String
    var studentState: [[Tensor<Double>]]

    init(parameters: [Parameter<Float>], learningRate: Double, slotNames: [String], name: String,
         rule: @escaping (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double) throws -> Void) {
        self.rule = rule
        self.ruleName = name
        studentState = parameters.map { p in slotNames.map { _ in (try? Tensor<Double>.zeros(p.variable.shape))! } }
        super.init(parameters: parameters, learningRate: learningRate, slotNames: [])
    }

    override var name: String { "\(ruleName) (homework)" }

    override func step() throws {
        iteration += 1
        for (i, p) in parameters.enumerated() {
            guard let g = p.variable.grad else { continue }
            var w: Tensor<Double> = p.variable.value.converted()
            try rule(&w, g.converted(), &studentState[i], iteration, learningRate)
            p.variable.value = w.converted()
        }
    }
}
