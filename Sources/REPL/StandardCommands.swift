import Foundation
import Lang
import Plots
import Terminal
import Workspace

extension Session {
    func registerStandardCommands() {
        register(
            SessionCommand("help", usage: ":help [topic]", summary: "commands, the language, or a builtin category/name") { s, topic in
                s.out(s.helpText(topic))
            })
        register(
            SessionCommand("vars", usage: ":vars", summary: "the variables in this session") { s, _ in
                let names = s.interpreter.globals.names
                if names.isEmpty { s.out("no variables yet"); return }
                for n in names {
                    let v = s.interpreter.globals.lookup(n)!
                    let text = format(v).split(separator: "\n").first.map(String.init) ?? ""
                    s.out("\(n.padding(toLength: max(n.count, 12), withPad: " ", startingAt: 0)) \(v.typeName.padding(toLength: 10, withPad: " ", startingAt: 0)) \(text.prefix(70))")
                }
            })
        register(
            SessionCommand("time", usage: ":time EXPR", summary: "runs EXPR and reports its time; a quick one (under 0.2 s) is repeated for a median") { s, source in
                guard !source.isEmpty else { s.report(":time needs an expression, e.g. :time conv2d(x, w, pad: 1)"); return }
                s.interpreter.interrupt.clear()
                var times: [Double] = []
                let start = Date()
                repeat {
                    let t0 = Date()
                    try s.interpreter.run(source)
                    times.append(Date().timeIntervalSince(t0))
                    // A slow statement (a training run, say) runs once: repeating it would
                    // repeat its effects too.
                    if times.count == 1 && times[0] >= s.singleTimingSeconds { break }
                } while times.count < 3 || (Date().timeIntervalSince(start) < 0.5 && times.count < 1000)
                if times.count == 1 {
                    s.out("1 run: \(formatSeconds(times[0]))")
                    return
                }
                times.sort()
                s.out("\(times.count) runs: median \(formatSeconds(times[times.count / 2])), min \(formatSeconds(times[0]))")
            })
        register(
            SessionCommand(
                "plot", usage: ":plot EXPR[, EXPR…] [log] [to \"file.png\"|\"file.svg\"]",
                summary: "plots lists or histories in the terminal or to a PNG/SVG file"
            ) { s, argument in
                let parsed = PlotCommand.parse(argument)
                guard !parsed.expressions.isEmpty else { s.report(":plot needs something to plot, e.g. :plot h.loss"); return }
                var options: [String] = []
                if parsed.log { options.append("log: true") }
                if let file = parsed.file { options.append("to: \(file)") }
                s.run(source: "plot(\(([parsed.expressions] + options).joined(separator: ", ")))")
            })
        register(
            SessionCommand("save", usage: ":save FILE", summary: "saves the workspace (variables, tensors, models, optimizer state)") { s, path in
                guard !path.isEmpty else { s.report(":save needs a file name, e.g. :save work.npz"); return }
                let skipped = try Workspace.save(s.interpreter, to: path)
                s.out("saved \(s.interpreter.globals.names.count - skipped.count) variables to \(path)" + (skipped.isEmpty ? "" : "; not saved: \(skipped.joined(separator: ", "))"))
            })
        register(
            SessionCommand("load", usage: ":load FILE", summary: "loads a workspace saved with :save") { s, path in
                guard !path.isEmpty else { s.report(":load needs a file name"); return }
                let names = try Workspace.load(into: s.interpreter, from: path)
                s.out("loaded \(names.count) variables: \(names.joined(separator: ", "))")
            })
        register(
            SessionCommand("reset", usage: ":reset", summary: "forgets every variable and restarts the random stream") { s, _ in
                s.interpreter.globals.removeAll()
                s.interpreter.reseed(s.interpreter.seedValue)
                s.out("session reset")
            })
        register(
            SessionCommand("history", usage: ":history [n]", summary: "the last n entries (20 by default)") { s, arg in
                let n = try commandWhole(arg, name: "n", .count, default: 20, usage: ":history [n]")
                for (i, e) in (s.history?.entries ?? []).suffix(n).enumerated() { s.out("\(i + 1): \(e)") }
            })
        register(
            SessionCommand(
                "images", usage: ":images [auto|kitty|iterm|sixel|off]",
                summary: "pictures drawn in the terminal (kitty, iTerm2 or sixel) or as text; shows the setting without an argument"
            ) { s, arg in
                let choice = arg.trimmingCharacters(in: .whitespaces).lowercased()
                if choice == "auto" {
                    s.interpreter.inlineImages = InlineImageProtocol.detect()
                } else if !choice.isEmpty {
                    guard let p = InlineImageProtocol(rawValue: choice) else {
                        throw LangError(.runtime, ":images takes auto, kitty, iterm, sixel or off, got \(arg)")
                    }
                    s.interpreter.inlineImages = p
                }
                let now = s.interpreter.inlineImages
                s.out(now == .off ? "images: text (:images kitty, iterm or sixel draws pictures in terminals that support them)" : "images: \(now.rawValue)")
            })
        register(SessionCommand("quit", usage: ":quit", summary: "leaves (Ctrl-D does the same)") { s, _ in s.quit() })
    }

    func helpText(_ topic: String) -> String {
        let registry = interpreter.registry
        if topic.isEmpty {
            var lines = ["Commands:"]
            for c in commands.values.sorted(by: { $0.name < $1.name }) { lines.append("  \(c.usage.padding(toLength: 34, withPad: " ", startingAt: 0)) \(c.summary)") }
            lines += [
                "", "Builtins by topic (:help TOPIC lists them, ?name explains one):",
                "  " + registry.categories.joined(separator: ", "),
                "", "The language: :help language"
            ]
            return lines.joined(separator: "\n")
        }
        if topic == "language" { return languageHelp }
        if let cat = registry.categories.first(where: { $0.lowercased().hasPrefix(topic.lowercased()) }) {
            return "\(cat):\n" + registry.order.filter { registry[$0]!.category == cat }.map { "  " + registry[$0]!.signature }.joined(separator: "\n")
        }
        if let h = registry.help(topic) { return h }
        if let c = commands[topic.hasPrefix(":") ? String(topic.dropFirst()) : topic] { return "\(c.usage)\n  \(c.summary)" }
        return "no help on \(topic); :help lists topics"
    }
}

let languageHelp = """
    Values: numbers 1, 2.5, 1e-3; strings "text"; true false none; lists [1, 2]; ranges 1...10 (inclusive), 0..<n;
    tensors (float32); functions; models, datasets, optimizers, histories with members (x.shape, w.grad, net.params).

      x = randn(64, 3, 32, 32)          # assignment; a, b = [1, 2] unpacks
      y = relu(conv2d(x, w, pad: 1))    # calls with labelled arguments
      x[:20]  x[:, 0]  x[-1]  x[[0, 2]] # indexing and slicing
      a + b  a - b  a * b  a / b  a ^ 2  a @ b   # elementwise with broadcasting; @ is matrix product
      == != < <= > >=  and or not
      fn sq(v) = v * v                  # one-line function; fn f(a, b: 2) { ...; return a + b } for blocks
      for i in 1...3 { print(i) }       # also while, if / else if / else, break, continue
      w -= lr * w.grad                  # compound assignment updates a tensor in place, outside autograd
      no_grad { ... }                   # no graph is recorded inside
      # comments run to the end of the line; ; or a new line separates statements
    """

func formatSeconds(_ s: Double) -> String {
    if s < 1e-3 { return String(format: "%.1f µs", s * 1e6) }
    if s < 1 { return String(format: "%.2f ms", s * 1e3) }
    return String(format: "%.3f s", s)
}

/// A whole-number argument of a `:command`, checked like a builtin's (`:history -3` is an
/// error naming n, not a trap); `default` when the argument is empty.
func commandWhole(_ text: String, name: String, _ kind: WholeNumber, default d: Int, usage: String) throws -> Int {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty { return d }
    guard let x = Double(trimmed) else { throw LangError(.type, "\(usage): \(name) must be a whole number, got '\(trimmed)'") }
    return try Arguments.whole(x, name: name, kind, callee: usage, location: .unknown)
}

/// The words of `:plot EXPR[, EXPR…] [log] [to "file"]`: `log` and `to "file"` may come in
/// either order (or `log` first), so every combination the usage line suggests works.
public enum PlotCommand {
    public static func parse(_ argument: String) -> (expressions: String, log: Bool, file: String?) {
        var rest = argument.trimmingCharacters(in: .whitespaces)
        var log = false, file: String?
        while true {
            if let range = rest.range(of: #"(^|\s)to\s+"[^"]*"$"#, options: .regularExpression) {
                let match = rest[range]
                file = String(match[match.firstIndex(of: "\"")!...])
                rest = String(rest[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
            } else if rest == "log" || rest.hasSuffix(" log") || rest.hasSuffix("\tlog") {
                log = true
                rest = String(rest.dropLast(3)).trimmingCharacters(in: .whitespaces)
            } else if rest.hasPrefix("log ") {
                log = true
                rest = String(rest.dropFirst(4)).trimmingCharacters(in: .whitespaces)
            } else {
                break
            }
        }
        return (rest, log, file)
    }
}
