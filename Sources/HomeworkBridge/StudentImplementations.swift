import Autograd
import Foundation
import HomeworkKit
import Lang
import NeuralNet
import Optimizers
import REPL
import Tensors

/// `:use homework` / `:use reference`: the prompt's layer computations (through the
/// interpreter's `LayerBackend`: relu, conv, pooling and dropout, in builtins and inside
/// models) and its losses and optimizers run the student's exercise code (Sources/Homework)
/// instead of the engine's, so a student can train a net with their own implementation.
public enum StudentImplementations {
    /// Builtins whose bodies the homework replaces (the layer computations go through the backend).
    static let replaced = ["softmax_loss", "svm_loss", "sgd", "momentum", "rmsprop", "adam"]

    /// Adds `:use` to the session; `homework` selects `S`'s implementations.
    public static func install<S: HomeworkExercises>(_ session: Session, homework: S.Type) {
        session.register(
            SessionCommand(
                "use", usage: ":use homework|reference",
                summary: "run relu, losses, conv, pooling, dropout and optimizers (and models' ReLU, conv, pooling and dropout layers) from your homework or the engine"
            ) { s, arg in
                switch arg {
                case "homework":
                    useHomework(s.interpreter, S.self)
                    s.out("using your homework for: relu, conv2d, max_pool2d, dropout, batch_norm, layer_norm, \(replaced.joined(separator: ", ")), and in models for ReLU, Conv2d, MaxPool2d, Dropout, BatchNorm and LayerNorm layers. Unfinished exercises will say so when called.")
                case "reference":
                    let standard = Builtins.standard
                    for name in replaced { if let b = standard[name] { s.interpreter.registry.replaceBody(of: name) { try b.call($0, $1) } } }
                    s.interpreter.backend = EngineBackend()
                    s.out("using the reference implementation")
                default:
                    s.report(":use takes homework or reference (now: \(s.interpreter.backend.name))")
                }
            })
    }

    public static func useHomework<S: HomeworkExercises>(_ interp: Interpreter, _ H: S.Type) {
        interp.backend = StudentBackend<S>()
        func loss(_ name: String, _ f: @escaping (Tensor<Double>, [Int]) throws -> (loss: Double, dScores: Tensor<Double>)) {
            interp.registry.replaceBody(of: name) { a, _ in
                let s = try a.tensor("scores")
                let labels = try a.wholeList("labels")
                let (l, d) = try studentCode(name) { try f(s.value.converted(), labels) }
                return .tensor(Variable(Tensor(Float(l)), op: "\(name) (homework)", parents: [s]) { g in [d.converted() * g.scalars[0]] })
            }
        }
        loss("softmax_loss") { try H.softmaxLossVectorized(scores: $0, labels: $1) }
        loss("svm_loss") { try H.svmLoss(scores: $0, labels: $1) }
        func optimizer(_ name: String, slots: [String], _ step: @escaping (inout Tensor<Double>, Tensor<Double>, inout [Tensor<Double>], Int, Double, Arguments) throws -> Void) {
            interp.registry.replaceBody(of: name) { a, _ in
                let params = try model(a).parameters
                let opt = StudentOptimizer(parameters: params, learningRate: try a.number("lr"), slotNames: slots, name: name) { w, g, state, t, lr in
                    try studentCode(name) { try step(&w, g, &state, t, lr, a) }
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
            try H.adam(
                w: &w, dw: g, m: &m, v: &v, t: t, lr: lr, beta1: try a.number("beta1"),
                beta2: try a.number("beta2"), epsilon: 1e-8)
            s = [m, v]
        }
    }

    static func model(_ a: Arguments) throws -> Module<Float> {
        try a.object("net", as: ModelObject.self).module
    }
}
