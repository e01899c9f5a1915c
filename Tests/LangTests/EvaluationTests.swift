import Lang
import TestSupport
import Testing

@Suite struct EvaluationTests {
    @Test(arguments: [
        ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("2 ^ 3 ^ 2", "512"), ("-2 ^ 2", "-4"), ("7 % 3", "1"),
        ("1 < 2 and 2 < 3", "true"), ("not true or false", "false"), ("\"a\" + \"b\"", "ab"),
        ("[1, 2] + [3]", "[1, 2, 3]"), ("len(1...10)", "10"), ("list(0..<3)", "[0, 1, 2]"),
        ("x = [5, 6, 7]; x[-1]", "7"), ("x = [5, 6, 7]; x[1:]", "[6, 7]"), ("1e-3 * 1000", "1"),
        ("none == none", "true"), ("0.5", "0.5"), ("\"abc\"[1]", "b")
    ])
    func arithmeticAndLists(source: String, expected: String) throws {
        #expect(try evaluate(source) == expected)
    }

    @Test("arange counts in Double; its errors name the problem, never -nan")
    func arangeCountsInDouble() throws {
        #expect(try evaluate("len(arange(1e10, 1e10 + 10))") == "10")
        // Sums and means of number lists are accumulated in Double.
        expectClose(Double(try evaluate("mean([0.1, 0.2, 0.3])"))!, 0.2, tolerance: 1e-15)
        #expect(errorText("arange(0, 1/0)")?.contains("finite") == true)
        #expect(errorText("arange(0, 0/0)")?.contains("nan") == false)
        #expect(errorText("arange(0, 1e300)")?.contains("too many") == true)
    }

    @Test func tensorsBroadcastAndSlice() throws {
        #expect(try evaluate("tensor([[1, 2], [3, 4]]) + tensor([10, 20])") == "[[11, 22],\n [13, 24]]")
        #expect(try evaluate("x = arange(12); y = reshape(x, 3, 4); y[:, 0]") == "[0, 4, 8]")
        #expect(try evaluate("y = reshape(arange(12), 3, 4); y[-1]") == "[8, 9, 10, 11]")
        #expect(try evaluate("y = reshape(arange(12), 3, 4); y[:2, 1:3].shape") == "[2, 2]")
        #expect(try evaluate("x = randn(64, 3, 32, 32); x.shape") == "[64, 3, 32, 32]")
        #expect(try evaluate("x = randn(64, 3, 32, 32); type(x)") == "tensor")
        #expect(try evaluate("tensor([[1, 2], [3, 4]]) @ tensor([[1], [1]])") == "[[3],\n [7]]")
        #expect(try evaluate("sum(ones(2, 3), axis: 1)") == "[3, 3]")
        #expect(try evaluate("tensor([1, 2, 3])[[0, 2]]") == "[1, 3]")
        #expect(try evaluate("x = zeros(3); x[1] = 5; x") == "[0, 5, 0]")
        #expect(try evaluate("randn(64, 3, 32, 32)").hasPrefix("f32[64, 3, 32, 32] μ="))
    }

    @Test func autogradThroughNamesAndInPlaceUpdates() throws {
        let i = session()
        try i.run(
            """
            w = randn(3, 3) * 0.1
            x = randn(4, 3)
            h = relu(x @ w)
            loss = mean(h * h)
            backward(loss)
            """)
        #expect(try evaluate("w.grad.shape", in: i) == "[3, 3]")
        #expect(try evaluate("h.grad.shape", in: i) == "[4, 3]")
        // The course's loop: in-place updates are not recorded, and the loss falls.
        let out = try evaluate(
            """
            w = randn(5, 1); x = randn(20, 5); y = x @ tensor([[1], [2], [3], [4], [5]])
            first = 0
            for step in 1...100 {
                loss = mean((x @ w - y) ^ 2)
                if step == 1 { first = loss.item }
                backward(loss)
                w -= 0.05 * w.grad
                zero_grad(w)
            }
            loss.item < first / 100
            """)
        #expect(out == "true")
    }

    @Test func functionsLoopsAndControlFlow() throws {
        #expect(try evaluate("fn sq(v) = v * v; sq(7)") == "49")
        #expect(try evaluate("fn f(a, b: 10) = a + b; f(1) + f(1, b: 2)") == "14")
        #expect(
            try evaluate(
                """
                fn fact(n) {
                    if n <= 1 { return 1 }
                    return n * fact(n - 1)
                }
                fact(10)
                """) == "3628800")
        #expect(try evaluate("s = 0; for i in 1...10 { if i % 2 == 0 { continue }; s += i }; s") == "25")
        #expect(try evaluate("n = 0; while true { n += 1; if n >= 5 { break } }; n") == "5")
        #expect(try evaluate("a, b = [1, 2]; b - a") == "1")
        #expect(try evaluate("x, y = sample_batch(spiral(10), 4); len(y)") == "4")
        #expect(try evaluate("if 1 > 2 { \"a\" } else if 2 > 1 { \"b\" } else { \"c\" }") == "b")
        #expect(try evaluate("f = fn(v) = v + 1; f(1)") == "2")
        #expect(try evaluate("x = randn(2); y = no_grad { x * 2 }; y.requires_grad") == "false")
    }

    @Test func modelsOptimizersAndTraining() throws {
        let i = session()
        try i.run(
            """
            d = split(spiral(60, seed: 1), train: 120, val: 60)
            net = two_layer_net(2, 50, 3, std: 0.1)
            h = fit(net, d.train, d.val, epochs: 100, lr: 0.05, update: "adam", batch_size: 40, lr_decay: 1, verbose: false)
            """)
        #expect(try Double(evaluate("h.best_val_acc", in: i))! > 0.9)
        #expect(try evaluate("len(h.loss)", in: i) == "300")
        #expect(try evaluate("net(d.val.x).shape", in: i) == "[60, 3]")
        #expect(try evaluate("opt = adam(net, lr: 0.01); s = softmax_loss(net(d.train.x), d.train.y); backward(s); opt.step(); opt.state.m[0].shape", in: i) == "[2, 50]")
        #expect(try evaluate("net.layers[0].weight.shape", in: i) == "[2, 50]")
    }

    @Test func membersAreBuiltinMethods() throws {
        #expect(try evaluate("ones(2, 3).sum()") == "6")
        #expect(try evaluate("arange(6).reshape(2, 3).shape") == "[2, 3]")
        #expect(try evaluate("spiral(10).count") == "30")
    }
}
