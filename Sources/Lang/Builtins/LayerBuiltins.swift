import Autograd
import Foundation
import NeuralNet
import Random
import Tensors
import Training

/// A model parameter's module.
func model(_ a: Arguments, _ name: String = "net") throws -> Module<Float> {
    try a.object(name, as: ModelObject.self).module
}

/// Class labels: whole numbers from 0.
func labels(_ a: Arguments, _ name: String = "labels") throws -> [Int] { try a.wholeList(name) }

func registerLayerBuiltins(_ r: inout BuiltinRegistry) {
    var c = "Layers and losses"
    r.register(
        "conv2d", [Param("x", .tensor), Param("w", .tensor), Param("b", .tensor, default: .absent), Param("stride", .whole(.positiveWindow), default: 1), Param("pad", .whole(.window), default: 0)], category: c,
        doc: "2-D convolution of images x [N, C, H, W] with filters w [K, C, R, S] (and bias b [K]): output [N, K, P, Q] with P = (H + 2·pad − R)/stride + 1. Differentiable in x, w and b.",
        example: "conv2d(randn(1, 3, 8, 8), randn(4, 3, 3, 3), pad: 1).shape"
    ) { a, interp in
        let x = try a.tensor("x"), w = try a.tensor("w")
        return .tensor(try interp.backend.conv2d(x, weight: w, bias: try a.optionalTensor("b"), stride: try a.whole("stride"), pad: try a.whole("pad")))
    }
    r.register(
        "max_pool2d", [Param("x", .tensor), Param("size", .whole(.positiveWindow), default: 2), Param("stride", .whole(.positiveWindow), default: .absent)], category: c,
        doc: "Max over size × size windows (stride defaults to size). The gradient goes to each window's maximum.",
        example: "max_pool2d(randn(1, 1, 4, 4)).shape"
    ) { a, interp in
        let size = try a.whole("size")
        return .tensor(try interp.backend.maxPool2d(try a.tensor("x"), size: size, stride: try a.optionalWhole("stride") ?? size, pad: 0))
    }
    r.register(
        "avg_pool2d", [Param("x", .tensor), Param("size", .whole(.positiveWindow), default: 2), Param("stride", .whole(.positiveWindow), default: .absent)], category: c, doc: "Mean over size × size windows.",
        example: "avg_pool2d(ones(1, 1, 4, 4))"
    ) { a, _ in
        .tensor(try a.tensor("x").avgPool2d(size: try a.whole("size"), stride: a.has("stride") ? try a.whole("stride") : nil))
    }
    r.register(
        "dropout", [Param("x", .tensor), Param("p", .probability, default: 0.5, doc: "the keep probability"), Param("train", .flag, default: true), Param("inverted", .flag, default: true)], category: c,
        doc: "Keeps each element with probability p (p is the keep probability, as in the course). Inverted dropout divides by p at train time so test time is the identity; the original scheme instead multiplies by p at test time.",
        example: "mean(dropout(ones(1000), p: 0.5))"
    ) { a, interp in
        let x = try a.tensor("x")
        let p = try a.number("p")  // a probability in (0, 1], checked when the call was bound
        let inverted = try a.bool("inverted")
        guard try a.bool("train") else { return .tensor(inverted ? x : x * Float(p)) }
        if inverted { return .tensor(try interp.backend.invertedDropout(x, keep: Float(p), generator: &interp.generator).output) }
        return .tensor(try x * Variable(try Tensor<Float>.bernoulliMask(x.shape, keep: p, using: &interp.generator)))
    }
    r.register(
        "batch_norm",
        [Param("x", .tensor), Param("gamma", .tensor), Param("beta", .tensor), Param("spatial", .flag, default: false), Param("eps", .finite(above: 0), default: 1e-5)],
        category: c,
        doc: "Train-mode batch normalization of x [N, D] (or [N, C, H, W] with spatial: true) with the batch's mean and biased variance: γ·(x − μ)/√(σ² + ε) + β, γ and β shaped [1, D] (or [1, C, 1, 1]). Differentiable; the BatchNorm layer adds running statistics.",
        example: "batch_norm(tensor([[1, 10], [3, 30]]), ones(1, 2), zeros(1, 2))"
    ) { a, interp in
        let spatial = try a.bool("spatial")
        return .tensor(
            try interp.backend.batchNorm(
                try a.tensor("x"), scale: try a.tensor("gamma"), shift: try a.tensor("beta"), axes: spatial ? [0, 2, 3] : [0],
                epsilon: Float(try a.number("eps"))
            ).output)
    }
    r.register(
        "layer_norm", [Param("x", .tensor), Param("gamma", .tensor), Param("beta", .tensor), Param("eps", .finite(above: 0), default: 1e-5)],
        category: c,
        doc: "Layer normalization of each row of x [N, D] with the row's mean and biased variance: γ·(x − μ)/√(σ² + ε) + β, γ and β shaped [1, D]. Differentiable.",
        example: "layer_norm(tensor([[1, 2, 3]]), ones(1, 3), zeros(1, 3))"
    ) { a, interp in
        let x = try a.tensor("x")
        guard x.shape.count == 2 else { throw a.error("x must be [N, D], got shape \(x.shape)") }
        return .tensor(try interp.backend.layerNorm(x, scale: try a.tensor("gamma"), shift: try a.tensor("beta"), epsilon: Float(try a.number("eps"))))
    }
    r.register(
        "softmax_loss", [Param("scores", .tensor), Param("labels", .wholes(.count))], category: c,
        doc: "Mean softmax cross-entropy of scores [N, C] against integer labels: (1/N) Σ −log(e^s_y / Σⱼ e^s_j). With C equally likely classes it is log C.",
        example: "softmax_loss(zeros(4, 10), [0, 1, 2, 3])"
    ) { a, _ in
        .tensor(try a.tensor("scores").softmaxCrossEntropy(labels: try labels(a)))
    }
    r.register(
        "svm_loss", [Param("scores", .tensor), Param("labels", .wholes(.count)), Param("margin", .number, default: 1)], category: c,
        doc: "Mean multiclass SVM (hinge) loss: (1/N) Σᵢ Σ_{j≠yᵢ} max(0, s_j − s_y + margin). With all scores equal it is C − 1.",
        example: "svm_loss(zeros(2, 10), [0, 1])"
    ) { a, _ in
        .tensor(try a.tensor("scores").multiclassHinge(labels: try labels(a), margin: Float(try a.number("margin"))))
    }
    r.register(
        "accuracy", [Param("scores", .value, doc: "scores [N, C], or a model"), Param("labels", .value, doc: "labels, or a dataset")], category: c, doc: "Fraction of rows whose largest score is at the label. Also `accuracy(net, data)`.",
        example: "accuracy(tensor([[1, 0], [0, 1]]), [0, 0])"
    ) { a, _ in
        if case .object(let m as ModelObject)? = a.value("scores"), case .object(let d as DatasetObject)? = a.value("labels") {
            return .number(try d.data.accuracy(of: m.module))
        }
        let labels = try Arguments.toWholeList(try a.required("labels"), .count, callee: a.callee, name: "labels", location: a.location)
        return .number(try Autograd.accuracy(scores: try a.tensor("scores").value, labels: labels))
    }
    r.register(
        "predict", [Param("net", .object("model")), Param("x", .tensor)], category: c, doc: "The class with the largest score for each row, in evaluation mode.",
        example: "predict(two_layer_net(4, 5, 3), randn(2, 4))"
    ) { a, _ in
        let net = try model(a)
        let x = try a.tensor("x")
        let was = net.training
        net.training = false
        defer { net.training = was }
        let s = try withoutGradient { try net(x) }
        return .list(try s.value.argmax(axis: 1).scalars.map { .number(Double($0)) })
    }

    c = "Models"
    r.register(
        "Linear", [Param("inputs", .whole(.positiveCount)), Param("outputs", .whole(.positiveCount)), Param("init", .choice(Initializer.names), default: "he"), Param("std", .nonNegative, default: 0.01), Param("bias", .flag, default: true)], category: c,
        doc: "A fully connected layer y = x W + b with W of shape [inputs, outputs].", example: "Linear(3072, 50)"
    ) { a, interp in
        .object(
            ModelObject(
                try Linear(
                    inputs: try a.whole("inputs"), outputs: try a.whole("outputs"), bias: try a.bool("bias"),
                    initializer: try Initializer(name: try a.string("init"), std: try a.number("std")),
                    using: &interp.generator)))
    }
    r.register(
        "Conv2d", [Param("in_channels", .whole(.positiveCount)), Param("out_channels", .whole(.positiveCount)), Param("kernel", .whole(.positiveWindow)), Param("stride", .whole(.positiveWindow), default: 1), Param("pad", .whole(.window), default: 0), Param("init", .choice(Initializer.names), default: "he"), Param("std", .nonNegative, default: 0.01)], category: c,
        doc: "A convolution layer with K filters of size C × R × R and a bias per filter.",
        example: "Conv2d(3, 16, 3, pad: 1)"
    ) { a, interp in
        .object(
            ModelObject(
                try Conv2d(
                    inChannels: try a.whole("in_channels"), outChannels: try a.whole("out_channels"),
                    kernelSize: try a.whole("kernel"), stride: try a.whole("stride"), pad: try a.whole("pad"),
                    initializer: try Initializer(name: try a.string("init"), std: try a.number("std")),
                    using: &interp.generator)))
    }
    r.register("ReLU", [], category: c, doc: "The ReLU layer.", example: "ReLU()") { _, _ in .object(ModelObject(ReLU<Float>())) }
    r.register("LeakyReLU", [Param("slope", .number, default: 0.01)], category: c, doc: "Leaky ReLU layer.", example: "LeakyReLU(slope: 0.1)") { a, _ in
        .object(ModelObject(LeakyReLU<Float>(slope: Float(try a.number("slope")))))
    }
    r.register("Sigmoid", [], category: c, doc: "Sigmoid layer.", example: "Sigmoid()") { _, _ in .object(ModelObject(Sigmoid<Float>())) }
    r.register("Tanh", [], category: c, doc: "Tanh layer.", example: "Tanh()") { _, _ in .object(ModelObject(Tanh<Float>())) }
    r.register("Flatten", [], category: c, doc: "Flattens [N, …] to [N, features] before a Linear layer.", example: "Flatten()") { _, _ in
        .object(ModelObject(Flatten<Float>()))
    }
    r.register("MaxPool2d", [Param("size", .whole(.positiveWindow), default: 2)], category: c, doc: "Max-pooling layer.", example: "MaxPool2d()") { a, _ in
        .object(ModelObject(MaxPool2d<Float>(size: try a.whole("size"))))
    }
    r.register("AvgPool2d", [Param("size", .whole(.positiveWindow), default: 2)], category: c, doc: "Average-pooling layer.", example: "AvgPool2d()") { a, _ in
        .object(ModelObject(AvgPool2d<Float>(size: try a.whole("size"))))
    }
    r.register(
        "BatchNorm",
        [
            Param("features", .whole(.positiveCount)), Param("spatial", .flag, default: false),
            Param("momentum", .fraction, default: 0.9, doc: "the weight of the old running value"), Param("eps", .finite(above: 0), default: 1e-5)
        ], category: c,
        doc: "Batch normalization over the batch (and, with spatial: true, over H and W per channel), with learned scale and shift. Train mode normalizes with the batch's mean and biased variance and updates running ← momentum·running + (1 − momentum)·batch (CS231n's momentum: PyTorch's momentum m is 1 − m here; PyTorch also feeds the unbiased variance to its running average). Running statistics start at mean 0, variance 1; eval mode uses them: bn.running_mean and bn.running_var can be read and set.",
        example: "bn = BatchNorm(16, spatial: true); bn.running_var.shape"
    ) { a, _ in
        .object(
            ModelObject(
                try BatchNorm<Float>(
                    features: try a.whole("features"), spatial: try a.bool("spatial"), momentum: Float(try a.number("momentum")),
                    epsilon: Float(try a.number("eps")))))
    }
    r.register(
        "LayerNorm", [Param("features", .whole(.positiveCount)), Param("eps", .finite(above: 0), default: 1e-5)], category: c,
        doc: "Layer normalization of each example's features (input [N, features]) with learned scale and shift: no running statistics, the same in train and eval mode, biased variance as in PyTorch and CS231n.",
        example: "LayerNorm(4)(tensor([[1, 2, 3, 4]]))"
    ) { a, _ in
        .object(ModelObject(try LayerNorm<Float>(features: try a.whole("features"), epsilon: Float(try a.number("eps")))))
    }
    r.register(
        "Dropout", [Param("p", .probability, default: 0.5, doc: "the keep probability"), Param("inverted", .flag, default: true)], category: c,
        doc: "Dropout layer; p is the keep probability. Active while net.training is true.", example: "Dropout(p: 0.5)"
    ) { a, interp in
        .object(
            ModelObject(
                try Dropout<Float>(
                    keepProbability: Float(try a.number("p")),
                    convention: try a.bool("inverted") ? .inverted : .testTimeScaling,
                    seed: interp.generator.next())))
    }
    r.register(
        "sequential", [Param("layers", .value, variadic: true)], category: c, doc: "Chains layers (given separately or as one list) into a model.",
        example: "net = sequential(Linear(4, 8), ReLU(), Linear(8, 3)); net(randn(2, 4)).shape"
    ) { a, _ in
        var items = a.values("layers")
        if items.count == 1, case .list(let l) = items[0] { items = l }
        let layers = try items.map { v -> Module<Float> in
            guard case .object(let m as ModelObject) = v else { throw LangError(.type, "sequential: every layer must be a model/layer, got a \(v.typeName)") }
            return m.module
        }
        return .object(ModelObject(Sequential(layers)))
    }
    r.register(
        "two_layer_net", [Param("inputs", .whole(.positiveCount)), Param("hidden", .whole(.positiveCount), default: 50), Param("classes", .whole(.positiveCount), default: 10), Param("std", .nonNegative, default: 0.0001)], category: c,
        doc: "The course's two-layer net: Linear(inputs, hidden) → ReLU → Linear(hidden, classes), weights std·N(0, 1), zero biases.",
        example: "two_layer_net(3072, 50, 10, std: 1e-4).parameter_count"
    ) { a, interp in
        .object(
            ModelObject(
                try Models.twoLayerNet(
                    inputs: try a.whole("inputs"), hidden: try a.whole("hidden"),
                    classes: try a.whole("classes"), std: try a.number("std"),
                    seed: interp.generator.next()) as Sequential<Float>))
    }
    r.register(
        "fully_connected", [Param("sizes", .wholes(.positiveCount)), Param("init", .choice(Initializer.names), default: "he"), Param("std", .nonNegative, default: 0.01), Param("activation", .choice(["relu", "tanh", "sigmoid"]), default: "relu")], category: c,
        doc: "A deep fully connected net: sizes = [inputs, hidden…, classes]; activation is relu, tanh or sigmoid.",
        example: "fully_connected([10, 20, 20, 3], init: \"xavier\", activation: \"tanh\")"
    ) { a, interp in
        let act = try a.string("activation")
        let make: () -> Module<Float>
        switch act {
        case "relu": make = { ReLU() }
        case "tanh": make = { Tanh() }
        case "sigmoid": make = { Sigmoid() }
        default: throw LangError(.runtime, "fully_connected: activation must be relu, tanh or sigmoid, got \(act)")
        }
        return .object(
            ModelObject(
                try Models.fullyConnected(
                    sizes: try a.wholeList("sizes"),
                    initializer: try Initializer(name: try a.string("init"), std: try a.number("std")),
                    activation: make, seed: interp.generator.next()) as Sequential<Float>))
    }
    r.register(
        "small_convnet", [Param("channels", .whole(.positiveCount), default: 3), Param("size", .whole(.positiveCount), default: 32), Param("classes", .whole(.positiveCount), default: 10)], category: c,
        doc: "conv3×3(→32)–ReLU–pool – conv3×3(→64)–ReLU–pool – Linear: a small ConvNet for 32×32 images.",
        example: "small_convnet().parameter_count"
    ) { a, interp in
        .object(
            ModelObject(
                try Models.smallConvNet(
                    channels: try a.whole("channels"), imageSize: try a.whole("size"),
                    classes: try a.whole("classes"), seed: interp.generator.next()) as Sequential<Float>))
    }
    r.register(
        "vgg", [Param("widths", .wholes(.positiveCount), default: .value(numbers([16, 32, 64]))), Param("classes", .whole(.positiveCount), default: 10)], category: c,
        doc: "VGG-style: blocks of two 3×3 conv–BatchNorm–ReLU then a 2×2 max pool; channels double per block.",
        example: "vgg(widths: [8, 16]).parameter_count"
    ) { a, interp in
        .object(
            ModelObject(
                try Models.vggStyle(
                    widths: try a.wholeList("widths"),
                    classes: try a.whole("classes"), seed: interp.generator.next()) as Sequential<Float>))
    }
    r.register(
        "resnet", [Param("widths", .wholes(.positiveCount), default: .value(numbers([16, 32, 64]))), Param("blocks", .whole(.positiveCount.within(1...1_000)), default: 1), Param("classes", .whole(.positiveCount), default: 10)], category: c,
        doc: "ResNet-style: residual blocks y = relu(x + F(x)) with a projection shortcut where the shape changes.",
        example: "resnet(widths: [8, 16]).parameter_count"
    ) { a, interp in
        .object(
            ModelObject(
                try Models.resnetStyle(
                    widths: try a.wholeList("widths"),
                    blocksPerStage: try a.whole("blocks"), classes: try a.whole("classes"),
                    seed: interp.generator.next()) as Sequential<Float>))
    }
    r.register(
        "params", [Param("net", .object("model"))], category: c, doc: "The model's parameter tensors (same as net.params); their .grad fill after backward.",
        example: "size(params(two_layer_net(4, 5, 3)))"
    ) { a, _ in .list(try model(a).parameters.map { .tensor($0.variable) }) }
    r.register(
        "count_params", [Param("net", .object("model"))], category: c, doc: "The number of learnable numbers in the model.",
        example: "count_params(small_convnet())"
    ) { a, _ in .number(Double(try model(a).parameterCount)) }
    r.register(
        "shapes", [Param("net", .object("model")), Param("input_shape", .wholes(.positiveCount))], category: c,
        doc: "Runs one zero example through a sequential model and lists each layer with its output shape, parameters and forward FLOPs (2 per multiply-add).",
        example: "shapes(small_convnet(), [3, 32, 32])"
    ) { a, interp in
        return .string(try layerTable(try model(a), try a.wholeList("input_shape")).text)
    }
    r.register(
        "flops", [Param("net", .object("model")), Param("input_shape", .wholes(.positiveCount))], category: c,
        doc: "Forward FLOPs for one example (2 per multiply-add in Linear and Conv2d layers).",
        example: "flops(two_layer_net(3072, 50, 10), [3072])"
    ) { a, _ in
        .number(Double(try layerTable(try model(a), try a.wholeList("input_shape")).flops))
    }

    c = "Initialization and regularization"
    r.register(
        "init_weights", [Param("net", .object("model")), Param("scheme", .choice(Initializer.names)), Param("std", .nonNegative, default: 0.01), Param("seed", .whole(.seed), default: .absent)], category: c,
        doc: "Re-draws every weight (biases become zero) with gaussian (std·N(0,1)), xavier (std √(2/(fan_in+fan_out))) or he (std √(2/fan_in)).",
        example: "net = fully_connected([10, 10, 3]); init_weights(net, \"xavier\")"
    ) { a, interp in
        let net = try model(a)
        let scheme = try Initializer(name: try a.string("scheme"), std: try a.number("std"))
        var g = a.has("seed") ? SeededGenerator(seed: UInt64(try a.whole("seed"))) : interp.generator
        for p in net.parameters {
            let s = p.variable.shape
            if p.role == .weight {
                let fanIn = s.count == 4 ? s[1] * s[2] * s[3] : s[0]
                let fanOut = s.count == 4 ? s[0] * s[2] * s[3] : s.last!
                p.variable.value = try scheme.make(s, fanIn: fanIn, fanOut: fanOut, using: &g)
            } else if p.role == .bias {
                p.variable.value = try .zeros(s)
            }
        }
        if !a.has("seed") { interp.generator = g }
        return .none
    }
    r.register(
        "penalty", [Param("net", .object("model")), Param("kind", .choice(Regularizer.names)), Param("reg", .nonNegative), Param("include_biases", .flag, default: false)], category: c,
        doc: "A differentiable regularization term over the weights: l2 = ½·reg·Σw² (gradient reg·w, the course's one L2 convention), l1 = reg·Σ|w|, elastic = reg·(Σ|w| + ½·Σw²). Add it to the data loss.",
        example: "penalty(two_layer_net(4, 5, 3, std: 1), \"l2\", 0.1)"
    ) { a, _ in
        let net = try model(a)
        let reg = try Regularizer(name: try a.string("kind"), strength: try a.number("reg"))
        return .tensor(try reg.penalty(net.parameters, includeBiases: try a.bool("include_biases")))
    }
    r.register(
        "max_norm", [Param("net", .object("model")), Param("c", .finite(above: 0))], category: c,
        doc: "Projects every unit's incoming weight vector back onto ‖w‖₂ ≤ c (call after each update).",
        example: "net = two_layer_net(4, 5, 3, std: 10); max_norm(net, 1)"
    ) { a, _ in
        let net = try model(a), limit = Float(try a.number("c"))
        for p in net.parameters where p.role == .weight { try maxNormProject(&p.variable.value, maxNorm: limit) }
        return .none
    }
}

/// A model's layer table (see `Module.layerTable`), its errors in the language's terms.
func layerTable(_ net: Module<Float>, _ inputShape: [Int]) throws -> LayerTable {
    do { return try net.layerTable(inputShape: inputShape) } catch let e as any ExplainedError { throw LangError(.runtime, e.message) }
}
