import Foundation
import Lang
import REPL
import Tensors
import Terminal
import TestSupport
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

/// A terminal stand-in: `nil` in the script is Ctrl-C at the prompt; the end of the script is Ctrl-D.
final class InterruptingReader: LineReader {
    var script: [String?]
    var interrupted = false
    init(_ script: [String?]) { self.script = script }
    func readLine(prompt: String) -> String? {
        guard !script.isEmpty else { return nil }
        let next = script.removeFirst()
        interrupted = next == nil
        return next
    }
    func consumeInterrupt() -> Bool { defer { interrupted = false }; return interrupted }
    func addHistory(_ entry: String) {}
    var isInteractive: Bool { true }
}

@Suite struct SessionTests {
    @Test("Ctrl-C at the prompt abandons the entry (continuation lines too) and keeps the session; Ctrl-D quits")
    func controlCAtThePrompt() {
        var out: [String] = [], err: [String] = []
        let reader = InterruptingReader(["b = 2", nil, "c = [1,", "2,", nil, "b * 10", "c", nil])
        let session = Session(reader: reader, out: { out.append($0) }, err: { err.append($0) })
        var emptyLines = 0
        session.emptyLineAction = { emptyLines += 1 }
        session.run(banner: false)
        #expect(out == ["20"], "the abandoned `c = [1, 2,` was never evaluated")
        #expect(err.count == 1 && err[0].contains("c"), "c is undefined: \(err)")
        #expect(emptyLines == 0, "Ctrl-C is not an empty line (which steps a lesson)")
        #expect(reader.script.isEmpty, "the session read to the end (Ctrl-D) instead of stopping at a Ctrl-C")
    }

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
        let scratch = try ScratchFolder("session")
        let path = scratch.file("file.svg")
        let t = Transcript(["l = [3, 2, 1]", ":plot l, [3, 3, 2] to \"\(path)\"", ":plot l"])
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("<polyline"))
        #expect(t.out.contains { $0.contains("┤") })
    }

    @Test func workspaceSavesAndLoadsEverythingItCan() throws {
        let scratch = try ScratchFolder("session")
        let path = scratch.file("file.npz")
        let first = Transcript([
            "w = tensor([[1, 2], [3, 4]])", "n = 3", "names = [\"a\", true, none, [1, 2]]",
            "net = sequential(Conv2d(1, 2, 3, pad: 1), BatchNorm(2, spatial: true), ReLU(), Flatten(), Linear(32, 3))",
            "x = randn(2, 1, 4, 4)", "opt = adam(net, lr: 0.01)", "backward(softmax_loss(net(x), [0, 2])); opt.step()",
            "d = spiral(5)", "h = fit(two_layer_net(2, 4, 3), d, d, epochs: 1, verbose: false)",
            "before = net(x)", ":save \(path)"
        ])
        #expect(first.err.isEmpty, "\(first.err)")
        #expect(first.out.last?.contains("not saved: h") == true)
        let second = Transcript([
            ":load \(path)", "w", "n", "names", "all(abs(net(x) - before) < 1e-6)", "opt.iteration", "d.count",
            "opt.state.m[0].shape"
        ])
        #expect(second.err.isEmpty, "\(second.err)")
        #expect(Array(second.out.dropFirst()) == ["[[1, 2],\n [3, 4]]", "3", "[\"a\", true, none, [1, 2]]", "true", "1", "15", "[2, 1, 3, 3]"])
        // A file that is not a workspace changes nothing.
        let bad = Transcript(["keep = 1", ":load /nonexistent/file.npz", "keep"])
        #expect(bad.err.count == 1 && bad.out.last == "1")
    }

    @Test("completion offers a builtin's declared parameters inside its parentheses")
    func completionOffersParameters() {
        let t = Transcript([])
        #expect(t.session.completions(word: "st", line: "y = conv2d(x, w, st") == ["stack", "str", "stride:"])
        #expect(t.session.completions(word: "p", line: "y = conv2d(relu(x), w, p").contains("pad:"))
        #expect(!t.session.completions(word: "st", line: "y = conv2d(x, w) + st").contains("stride:"))
        #expect(t.session.completions(word: "ke", line: "sum(x, ke").contains("keep_dims:"))
    }

    /// Workspaces saved before models were stored as checkpoints listed each layer's settings
    /// in the manifest and kept batch-norm statistics as `bn<i>/mean`; they still load.
    @Test func versionOneWorkspacesStillLoad() throws {
        let scratch = try ScratchFolder("session")
        let path = scratch.file("file.npz")
        let manifest =
            #"{"version": 1, "variables": [{"name": "net", "kind": "model", "training": false, "layers": ["#
            + #"{"type": "Linear", "in": 2, "out": 2, "bias": true}, "#
            + #"{"type": "BatchNorm", "features": 2, "spatial": false, "momentum": 0.9, "eps": 0.00001}]}]}"#
        try NPZArchive.write(
            [
                ("m/net/0.weight", try Tensor<Float>(shape: [2, 2], scalars: [1, 0, 0, 1])), ("m/net/0.bias", try Tensor<Float>.zeros([2])),
                ("m/net/1.scale", try Tensor<Float>.ones([1, 2])), ("m/net/1.shift", try Tensor<Float>.zeros([1, 2])),
                ("m/net/bn0/mean", try Tensor<Float>(shape: [1, 2], scalars: [1, 2])), ("m/net/bn0/var", try Tensor<Float>(shape: [1, 2], scalars: [4, 9])),
                ("__manifest__", Tensor([UInt8](manifest.utf8).map { Float($0) }))
            ], to: path)
        let t = Transcript([":load \(path)", "net.training", "all(abs(net(tensor([[3, 5]])) - 1) < 1e-4)"])
        #expect(t.err.isEmpty, "\(t.err)")
        #expect(Array(t.out.dropFirst()) == ["false", "true"])
    }

    @Test func historyFileKeepsMultiLineEntries() throws {
        let scratch = try ScratchFolder("session")
        let path = scratch.file("history-file")
        var h = HistoryFile(path: path)
        h.append("for i in 1...3 {\n  print(i)\n}")
        h.append("x = \"two  spaces\"")
        try h.save()
        let again = HistoryFile(path: path)
        #expect(again.entries == ["for i in 1...3 {\n  print(i)\n}", "x = \"two  spaces\""])
    }

    @Test("history: each entry is on disk as it is entered, two sessions interleave, a bad line is skipped and kept")
    func historyNeverLosesEntries() throws {
        let scratch = try ScratchFolder("session")
        let path = scratch.file("history-file")
        var a = HistoryFile(path: path), b = HistoryFile(path: path)
        a.append("x = 1")
        // No save(): a session killed now has still written its entry.
        #expect(HistoryFile(path: path).entries == ["x = 1"])
        b.append("y = 2")
        a.append("z = 3")
        #expect(HistoryFile(path: path).entries == ["x = 1", "y = 2", "z = 3"])
        #expect(a.entries == ["x = 1", "z = 3"] && b.entries == ["y = 2"])

        // Invalid UTF-8 in the middle: skipped when reading, kept in the file, appends go on.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data([0x22, 0xFF, 0xFE, 0x22, 0x0A]))
        try handle.close()
        a.append("after")
        #expect(HistoryFile(path: path).entries == ["x = 1", "y = 2", "z = 3", "after"])
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(bytes.range(of: Data([0xFF, 0xFE])) != nil)
    }

    @Test("history: the file is compacted to its newest entries past twice the limit")
    func historyCompacts() throws {
        let scratch = try ScratchFolder("session")
        let path = scratch.file("history-file")
        var h = HistoryFile(path: path, limit: 5)
        for i in 1...11 { h.append("x = \(i)") }
        #expect(HistoryFile(path: path, limit: 5).entries == (7...11).map { "x = \($0)" })
        let lines = String(decoding: try #require(FileManager.default.contents(atPath: path)), as: UTF8.self).split(separator: "\n")
        #expect(lines.count <= 10)
        #expect(h.entries == (7...11).map { "x = \($0)" })
    }

    @Test func historyHonoursHome() {
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/tmp/someone"]) == "/tmp/someone/.gradschool_history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/tmp/someone", "GRADSCHOOL_HISTORY": "/tmp/h"]) == "/tmp/h")
        #expect(HistoryFile.defaultPath(environment: [:]).hasSuffix("/.gradschool_history"))
    }

    @Test func completionKnowsBuiltinsVariablesAndMembers() {
        let t = Transcript(["net = two_layer_net(4, 5, 3)"])
        #expect(t.session.completions(word: "rel", line: "rel").contains("relu"))
        #expect(t.session.completions(word: "ne", line: "ne").contains("net"))
        #expect(t.session.completions(word: "net.pa", line: "net.pa").contains("net.params"))
        #expect(t.session.completions(word: ":he", line: ":he") == [":help"])
    }

    @Test("completion never evaluates code: the test split stays untouched, calls are not made")
    func completionDoesNotEvaluate() throws {
        let t = Transcript(["d = split(spiral(20), 30, 20)", "n = 0"])
        #expect(t.session.completions(word: "d.te", line: "d.te").contains("d.test"))
        #expect(t.session.completions(word: "d.test.", line: "d.test.").isEmpty)
        #expect(t.session.completions(word: "seed(5).", line: "seed(5).").isEmpty)
        #expect(try t.session.interpreter.run("d.test_uses").map { format($0) } == "0")
    }
}
