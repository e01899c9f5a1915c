import Foundation
import Lang
import REPL
import Testing

/// A session fed from a list of lines, collecting what it prints.
final class Transcript {
    var out: [String] = []
    var err: [String] = []
    let session: Session

    init(_ lines: [String], configure: (Session) -> Void = { _ in }) {
        var remaining = lines
        let reader = PlainLineReader { remaining.isEmpty ? nil : remaining.removeFirst() }
        var o: [String] = [], e: [String] = []
        session = Session(reader: reader, out: { o.append($0) }, err: { e.append($0) })
        configure(session)
        session.run()
        out = o
        err = e
    }
}

@Suite struct SessionTests {
    @Test func pipedSessionPrintsValuesAndNoPromptNoise() {
        let t = Transcript(["x = tensor([1, 2, 3])", "x * 2", "for i in 1...2 {", "  print(i)", "}", "sum(x)"])
        #expect(t.out == ["[2, 4, 6]", "1", "2", "6"])
        #expect(t.err.isEmpty)
    }

    @Test func errorsDoNotEndTheSession() {
        let t = Transcript(["y = undefined_thing + 1", "ones(2) @ ones(3)", "z = 5", "z"])
        #expect(t.err.count == 2)
        #expect(t.err[0].contains("undefined_thing is not defined"))
        #expect(t.err[0].contains("^"))
        #expect(t.out.last == "5")
        #expect(t.session.hadError)
    }

    @Test func commandsWork() {
        let t = Transcript(["a = 1", ":vars", "?relu", ":help", ":time 1 + 1", ":nonsense", ":reset", "a"])
        #expect(t.out.contains { $0.hasPrefix("a ") && $0.contains("number") })
        #expect(t.out.contains { $0.contains("max(0, x)") })
        #expect(t.out.contains { $0.contains(":time EXPR") })
        #expect(t.out.contains { $0.contains("runs: median") })
        #expect(t.err.contains { $0.contains("unknown command :nonsense") })
        #expect(t.err.last?.contains("a is not defined") == true)
    }

    @Test(":time repeats a quick statement but runs a slow one once, effects and all")
    func timeRunsSlowStatementsOnce() {
        let quick = Transcript(["n = 0", ":time n = n + 1", "n >= 3"])
        #expect(quick.out.last == "true")
        // Every statement counts as slow here.
        let slow = Transcript(["n = 0", ":time n = n + 1", "n"]) { $0.singleTimingSeconds = 0 }
        #expect(slow.out.contains { $0.hasPrefix("1 run: ") })
        #expect(slow.out.last == "1")
    }

    @Test func plotCommandWritesFiles() throws {
        let path = NSTemporaryDirectory() + "gradschool-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = Transcript(["l = [3, 2, 1]", ":plot l, [3, 3, 2] to \"\(path)\"", ":plot l"])
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("<polyline"))
        #expect(t.out.contains { $0.contains("┤") })
    }

    @Test func workspaceSavesAndLoadsEverythingItCan() throws {
        let path = NSTemporaryDirectory() + "gradschool-\(UUID().uuidString).npz"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = Transcript([
            "w = tensor([[1, 2], [3, 4]])", "n = 3", "names = [\"a\", true, none, [1, 2]]",
            "net = sequential(Conv2d(1, 2, 3, pad: 1), BatchNorm(2, spatial: true), ReLU(), Flatten(), Linear(32, 3))",
            "x = randn(2, 1, 4, 4)", "opt = adam(net, lr: 0.01)", "backward(softmax_loss(net(x), [0, 2])); opt.step()",
            "d = spiral(5)", "h = fit(two_layer_net(2, 4, 3), d, d, epochs: 1, verbose: false)",
            "before = net(x)", ":save \(path)",
        ])
        #expect(first.err.isEmpty, "\(first.err)")
        #expect(first.out.last?.contains("not saved: h") == true)
        let second = Transcript([":load \(path)", "w", "n", "names", "all(abs(net(x) - before) < 1e-6)", "opt.iteration", "d.count",
                                 "opt.state.m[0].shape"])
        #expect(second.err.isEmpty, "\(second.err)")
        #expect(Array(second.out.dropFirst()) == ["[[1, 2],\n [3, 4]]", "3", "[\"a\", true, none, [1, 2]]", "true", "1", "15", "[2, 1, 3, 3]"])
        // A file that is not a workspace changes nothing.
        let bad = Transcript(["keep = 1", ":load /nonexistent/file.npz", "keep"])
        #expect(bad.err.count == 1 && bad.out.last == "1")
    }

    @Test func historyFileKeepsMultiLineEntries() throws {
        let path = NSTemporaryDirectory() + "gradschool-history-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var h = HistoryFile(path: path)
        h.append("for i in 1...3 {\n  print(i)\n}")
        h.append("x = \"two  spaces\"")
        try h.save()
        let again = HistoryFile(path: path)
        #expect(again.entries == ["for i in 1...3 {\n  print(i)\n}", "x = \"two  spaces\""])
    }

    @Test func completionKnowsBuiltinsVariablesAndMembers() {
        let t = Transcript(["net = two_layer_net(4, 5, 3)"])
        #expect(t.session.completions(word: "rel", line: "rel").contains("relu"))
        #expect(t.session.completions(word: "ne", line: "ne").contains("net"))
        #expect(t.session.completions(word: "net.pa", line: "net.pa").contains("net.params"))
        #expect(t.session.completions(word: ":he", line: ":he") == [":help"])
    }
}
