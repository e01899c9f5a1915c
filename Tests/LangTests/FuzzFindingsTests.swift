import Lang
import Testing

/// Entries `gradschool fuzz` found killing the process, kept as regressions: each must now
/// end in a value or a located error.
@Suite struct FuzzFindingsTests {
    static let findings: [(String, String?)] = [
        ("arange(1e300, end: 65536)", nil),  // a count of -1e300 converted to Int
        ("arange(-1e300, end: 1e300)", "too many"),
        ("x = ones(2); x.grad = ones(3)", "must have x's shape"),
        ("[[1, 2], [3, 4]].shape", nil),
        ("synthetic_images(2^28)", "too large"),  // 3 TB allocated before any check
        ("spiral(2^27, classes: 1000)", "too large"),
        ("plot([1, 1e308, -1e308])", nil),  // the axis span overflowed to inf
        ("hist([1e308, -1e308, 0], bins: 3)", nil),
        ("fit(two_layer_net(2, 3, 3), spiral(5), spiral(5), loss: \"nothing\", epochs: 1)", "loss must be one of \"softmax\", \"svm\""),
        ("fit(two_layer_net(2, 3, 3), spiral(5), spiral(5), quit_factor: 0/0)", "quit_factor must be a finite number above 1"),
        ("fit(two_layer_net(2, 3, 3), spiral(5), spiral(5), batch_size: -1)", "batch_size must be a whole number from 1"),
        ("lr_search(fn() = two_layer_net(2, 3, 3), spiral(20), spiral(5), coarse: 0)", "coarse must be a whole number from 1"),
        ("plot([1e300, 0/0])", nil),  // from the 100,000-case run
        ("zeros(0..<33, -1)", "either as one list or as separate numbers"),  // from the 100,000-case run
        ("zeros(0..<33)", "too large"),  // 32! overflowed while printing an empty tensor
        ("resnet(widths: zeros(0, 3))", "needs 1 to 6 stage widths"),  // widths[0] of an empty list
        ("vgg(widths: [4, 4, 4, 4, 4, 4])", "needs 1 to 5 block widths"),
        ("vgg(widths: [4096, 4096, 4096, 4096])", "parameters in all"),  // many layers, each under the budget
        ("resnet(widths: [1], blocks: 2^23)", "blocks must be a whole number from 1 to 1000"),
        ("fully_connected(range(1, 5000))", "at most 1000 layers")
    ]

    @Test("each finding ends in a value or a clear error", arguments: findings.map(\.0))
    func findingIsHandled(source: String) {
        let expected = Self.findings.first { $0.0 == source }!.1
        let error = errorText(source)
        if let expected {
            #expect(error?.contains(expected) == true, "\(source): \(error ?? "no error")")
        } else {
            #expect(error == nil, "\(source): \(error ?? "")")
        }
    }

    @Test("the values the findings give")
    func values() throws {
        #expect(try evaluate("len(arange(1e300, end: 65536))") == "0")
        #expect(try evaluate("[[1, 2], [3, 4]].shape") == "[2, 2]")
        #expect(try evaluate("preprocess(\"mean_image\", spiral(5)).kind") == "mean_image")
        #expect(errorText("split(spiral(5), 10, 10)")?.contains("train 10 + val 10 = 20 examples requested but spiral has only 15") == true)
        #expect(errorText("x = tensor([1.0, 2.0]); y = sum(x * x); backward(y); backward(y)")?.contains("already used by a backward pass") == true)
    }
}

/// The three inputs that were quadratic: each now does work proportional to its size.
@Suite struct LinearTimeTests {
    @Test("x = append(x, v) grows x in place without changing other names' lists")
    func appendInPlaceKeepsValueSemantics() throws {
        #expect(try evaluate("x = []; for i in 0..<50000 { x = append(x, i) }; [len(x), x[49999]]") == "[50000, 49999]")
        #expect(try evaluate("x = [1]; y = x; x = append(x, 2); [x, y]") == "[[1, 2], [1]]")
        #expect(try evaluate("x = [1]; x = append(x, x); x") == "[1, [1]]")
        #expect(errorText("x = 3; x = append(x, 1)")?.contains("must be a list") == true)
        #expect(try evaluate("fn g() { a = [0]; a = append(a, 1); return a }\ng()") == "[0, 1]")
    }

    @Test("a multi-line entry fed line by line is judged like the whole text")
    func scannerMatchesWholeText() {
        let lines = ["x = [1,", "  \"a]b\",  # ]", "  'c',", "  [2, 3", "  ]", "]"]
        var scanner = EntryScanner()
        for (k, line) in lines.enumerated() {
            if k > 0 { scanner.feedLineBreak() }
            scanner.feed(line)
            #expect(scanner.needsMoreInput == Parser.needsMoreInput(lines[0...k].joined(separator: "\n")), "after line \(k)")
        }
        #expect(!scanner.needsMoreInput)
        #expect(Parser.needsMoreInput("f(1,\n2"))
    }
}
