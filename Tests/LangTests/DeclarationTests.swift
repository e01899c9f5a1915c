import Lang
import Testing

/// Builtins and members are declared once with typed parameters; these tests hold the
/// declarations to what they promise: binding errors name the callee and the parameter,
/// every whole-number parameter refuses edge numbers with a clear error, every declared
/// member of every kind of value can be read, and help shows what was declared.
@Suite struct DeclarationTests {
    let registry = Builtins.standard

    @Test(
        "binding: unknown keyword, given twice, too many, missing, wrong kind",
        arguments: [
            ("conv2d(ones(1, 1, 3, 3), ones(1, 1, 1, 1), strides: 2)", "conv2d: has no parameter strides:; it takes conv2d(x, w, b: none, stride: 1, pad: 0)"),
            ("softmax(ones(2, 2), 1, axis: 0)", "softmax: axis is given twice, by position and by name"),
            ("eye(2, 3)", "eye: takes at most 1 positional argument (eye(n)), got 2"),
            ("linspace(0, 1)", "linspace: missing argument count (linspace(start, end, count))"),
            ("seed(\"a\")", "seed: n must be a whole number from 0 to 2⁵³ (a seed), got \"a\""),
            ("dropout(ones(2), p: 1.5)", "dropout: p must be a probability in (0, 1], got 1.5"),
            ("BatchNorm(3, momentum: -0.1)", "BatchNorm: momentum must be a number from 0 to 1, got -0.1"),
            ("fit(two_layer_net(2, 3, 3), spiral(5), spiral(5), lr_decay: 0.5, schedule: schedule(\"step\"))", "fit: give lr_decay or schedule, not both"),
            ("fully_connected([2, 3], activation: \"gelu\")", "fully_connected: activation must be one of \"relu\", \"tanh\", \"sigmoid\", got \"gelu\""),
            ("sgd(two_layer_net(2, 3, 2), lr: 0/0)", "sgd: lr must be a finite number ≥ 0, got nan"),
            ("predict(3, ones(1, 2))", "predict: net must be a model, got 3"),
            ("backward(ones(1), 2)", "backward: takes at most 1 positional argument (backward(loss)), got 2")
        ])
    func bindingErrors(source: String, expected: String) {
        #expect(errorText(source)?.contains(expected) == true, "\(source): \(errorText(source) ?? "no error")")
    }

    /// Every whole-number parameter of every builtin, given a negative, fractional, NaN,
    /// infinite or huge number, stops with an error that names the parameter: the one
    /// conversion is in the binding, so no body ever sees such a number.
    @Test(arguments: Builtins.standard.order)
    func wholeNumberParametersRefuseEdgeNumbers(name: String) {
        let b = registry[name]!
        for p in b.parameters {
            guard case .whole(let kind) = p.kind, !p.variadic else { continue }
            // One below the range too, where a Double can tell it apart (not below -2⁵³).
            let below = kind.range.lowerBound > -(1 << 50) ? [String(kind.range.lowerBound - 1)] : []
            for bad in ["0.5", "0/0", "1/0", "-1/0", "2^60", "-(2^60)"] + below {
                let source = "\(name)(\(p.name): \(bad))"
                let text = errorText(source)
                #expect(text?.contains("\(name): \(p.name) must be a whole number") == true, "\(source): \(text ?? "no error")")
            }
        }
    }

    @Test("a signature and a parameter table come from the declaration")
    func helpShowsTheDeclaration() throws {
        let help = try #require(registry.help("max_pool2d"))
        #expect(help.hasPrefix("max_pool2d(x, size: 2, stride: none)\n"))
        #expect(help.contains("  stride  a whole number from 1 to 2²⁰ (a window size), optional"))
        #expect(registry["rand"]!.signature == "rand(shape…, low: 0, high: 1)")
        #expect(registry["init_weights"]!.signature == "init_weights(net, scheme, std: 0.01, seed: none)")
    }

    static let samples = [
        ("tensor", "ones(2, 3)"), ("list", "[[1, 2], [3, 4]]"), ("model", "two_layer_net(2, 3, 2)"), ("dataset", "spiral(5)"),
        ("splits", "split(spiral(5), 9, 3)"), ("optimizer", "adam(two_layer_net(2, 3, 2))"), ("schedule", "schedule(\"step\", lr: 0.1)"),
        ("preprocessing", "preprocess(\"pca\", spiral(5))"), ("trainer", "trainer(two_layer_net(2, 3, 3), spiral(5), spiral(3), verbose: false)"),
        ("history", "fit(two_layer_net(2, 3, 3), spiral(5), spiral(3), epochs: 1, verbose: false)")
    ]

    /// Every declared member of every kind reads on a sample value, or stops with the
    /// language's own error where it does not apply (`weight` of a whole network, `item` of a
    /// matrix); every kind that has declared members has a sample here.
    @Test func everyDeclaredMemberReads() throws {
        #expect(Set(registry.valueKinds) == Set(Self.samples.map(\.0)))
        for (kind, sample) in Self.samples {
            let i = session()
            _ = try i.run("v = \(sample)")
            for m in registry.members[kind]! {
                do { _ = try i.run("v.\(m.name)") } catch let e as LangError {
                    #expect(!e.message.contains("internal"), "\(kind).\(m.name): \(e.message)")
                }
                #expect(registry.help("\(kind).\(m.name)")?.hasPrefix("\(kind).\(m.name)") == true)
            }
            #expect(registry.help(kind)?.contains("members") == true)
        }
    }

    @Test(
        "settable members check the value against their kind",
        arguments: [
            ("opt = sgd(two_layer_net(2, 3, 2)); opt.lr = -1", "optimizer.lr must be a finite number ≥ 0, got -1"),
            ("net = two_layer_net(2, 3, 2); net.training = 1", "model.training must be true or false, got 1"),
            ("net = two_layer_net(2, 3, 2); net.params = []", "model.params cannot be set"),
            ("t = trainer(two_layer_net(2, 3, 3), spiral(5), spiral(3)); t.epochs = -2", "trainer.epochs must be a whole number from 0 to 2²⁸ (a count), got -2"),
            ("bn = BatchNorm(3); bn.running_var = [1, 2]", "BatchNorm: running_var needs 3 values"),
            ("x = ones(2); x.nothing = 1", "a tensor has no member nothing to set")
        ])
    func settableMembers(source: String, expected: String) {
        #expect(errorText(source)?.contains(expected) == true, "\(source): \(errorText(source) ?? "no error")")
    }

    @Test func settableMembersTakeEffect() throws {
        #expect(try evaluate("bn = BatchNorm(2); bn.running_mean = [3, 4]; bn.training = false; bn(zeros(1, 2))") == "[[-3, -4]]")
        #expect(try evaluate("opt = sgd(two_layer_net(2, 3, 2)); opt.lr = 0.25; opt.lr") == "0.25")
        #expect(try evaluate("x = ones(2); x.grad = [1, 2]; x.grad = none; x.grad") == "none")
    }
}
