import Foundation
import Lang
import Terminal

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `:command` at the prompt.
public struct SessionCommand {
    public let name: String
    public let usage: String
    public let summary: String
    let action: (Session, String) throws -> Void

    public init(_ name: String, usage: String, summary: String, _ action: @escaping (Session, String) throws -> Void) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.action = action
    }
}

/// The REPL: reads entries (several lines while brackets are open), runs `:commands` and
/// evaluates everything else, printing values and located errors. Nothing typed ends the
/// session except `:quit` and Ctrl-D.
public final class Session {
    public let interpreter: Interpreter
    public var reader: LineReader
    /// Normal output and error output (stderr in scripts).
    public var out: (String) -> Void
    public var err: (String) -> Void
    public var color: Bool
    public private(set) var commands: [String: SessionCommand] = [:]
    public var history: HistoryFile?
    /// What an empty line does (lessons run the next cell); nil does nothing.
    public var emptyLineAction: (() -> Void)?
    /// Text shown before the prompt (a lesson's position); nil shows none.
    public var promptPrefix: () -> String = { "" }
    /// `:time` runs a statement once, not repeatedly, when its first run takes at least this
    /// many seconds: repeating a training run would repeat its effects.
    public var singleTimingSeconds: Double = 0.2
    var quitting = false
    /// Whether an error happened (scripts exit non-zero).
    public private(set) var hadError = false

    public init(
        interpreter: Interpreter = Interpreter(), reader: LineReader, color: Bool = false,
        out: @escaping (String) -> Void = { print($0) },
        err: @escaping (String) -> Void = Session.writeError
    ) {
        self.interpreter = interpreter
        self.reader = reader
        self.color = color
        self.out = out
        self.err = err
        interpreter.output = { out($0) }
        interpreter.color = color
        registerStandardCommands()
    }

    public func register(_ command: SessionCommand) { commands[command.name] = command }

    /// Writes an error line to stderr after flushing what stdout has buffered, so when both
    /// go to one pipe the error appears after the results printed before it.
    public static func writeError(_ line: String) {
        fflush(nil)  // every output stream, stdout included
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Reads and handles entries until `:quit` or end of input.
    public func run(banner: Bool = true) {
        if banner && reader.isInteractive {
            out("GradSchool — type :help for commands, ?name for a builtin, :lessons to start learning. Ctrl-D quits.")
        }
        while !quitting {
            guard let entry = readEntry() else { break }
            handle(entry)
        }
        try? history?.save()
    }

    /// One whole entry: continues reading while brackets or a string are open. Ctrl-C at
    /// the prompt abandons the entry typed so far (continuation lines included) and prompts
    /// afresh; end of input (Ctrl-D) returns nil.
    func readEntry() -> String? {
        entry: while true {
            let prefix = promptPrefix()
            guard var text = reader.readLine(prompt: prefix + "gs> ") else {
                if reader.consumeInterrupt() { continue entry }
                return nil
            }
            var scanner = EntryScanner()
            scanner.feed(text)
            while scanner.needsMoreInput {
                guard let more = reader.readLine(prompt: String(repeating: " ", count: prefix.count) + "... ") else {
                    if reader.consumeInterrupt() { continue entry }
                    break
                }
                scanner.feedLineBreak()
                scanner.feed(more)
                text += "\n" + more
            }
            return text
        }
    }

    /// `?topic`: a builtin, a kind of value (`?model`), a member (`?model.params`), or the
    /// kind or member of a variable (`?net`, `?net.params`). Nothing is evaluated.
    func help(_ topic: String) -> String? {
        if let text = interpreter.registry.help(topic) { return text }
        let parts = topic.split(separator: ".", maxSplits: 1).map(String.init)
        guard let first = parts.first, let value = interpreter.globals.lookup(first) else { return nil }
        let kind = value.typeName
        return interpreter.registry.help(parts.count == 2 ? "\(kind).\(parts[1])" : kind)
    }

    /// Handles one entry: a command, `?help`, or source to evaluate.
    public func handle(_ entry: String) {
        let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { emptyLineAction?(); return }
        reader.addHistory(entry)
        history?.append(entry)
        if trimmed.hasPrefix("?") {
            let name = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)
            out(help(name) ?? "no builtin, kind of value or member named \(name); :help lists the categories")
            return
        }
        if trimmed.hasPrefix(":") {
            let parts = trimmed.dropFirst().split(separator: " ", maxSplits: 1)
            let name = parts.first.map(String.init) ?? ""
            let argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            guard let command = commands[name] else {
                let close = commands.keys.filter { $0.hasPrefix(String(name.prefix(2))) }.sorted()
                report("unknown command :\(name)" + (close.isEmpty ? "; :help lists them" : "; did you mean :\(close.joined(separator: ", :"))?"))
                return
            }
            do { try command.action(self, argument) } catch { report(error, source: argument) }
            return
        }
        run(source: entry)
    }

    /// Runs source and prints its value, or its located error; returns whether it succeeded.
    /// The one way source runs: the libedit loop and `-e` reach it through `handle` (which
    /// first takes `:commands` and `?help`), `run FILE` and lesson cells call it directly.
    @discardableResult
    public func run(source: String, sourceName: String? = nil) -> Bool {
        interpreter.interrupt.clear()
        do {
            if let v = try interpreter.run(source), !v.isNone { out(format(v)) }
            return true
        } catch var e as LangError {
            e.sourceName = sourceName
            report(e, source: source)
        } catch {
            report(error, source: source)
        }
        return false
    }

    func report(_ error: Error, source: String) {
        switch error {
        case let e as LangError: report(e.rendered(source: source))
        case is Interrupted: report("interrupted — the session is intact")
        default: report("\(error)")
        }
    }

    public func report(_ message: String) {
        hadError = true
        err(color ? "\u{1B}[31m\(message)\u{1B}[0m" : message)
    }

    /// Completion candidates for the word before the cursor: commands after ':', members
    /// after 'name.', else builtins, variables and keywords.
    public func completions(word: String, line: String) -> [String] {
        if line.hasPrefix(":") && !line.contains(" ") {
            return commands.keys.map { ":" + $0 }.filter { $0.hasPrefix(word) }.sorted()
        }
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot]), partial = String(word[word.index(after: dot)...])
            // Completion never evaluates code: only a variable's own value is looked at, so
            // `d.test.` + Tab neither reads the test split nor runs anything.
            guard base.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), let value = interpreter.globals.lookup(base) else { return [] }
            var names = interpreter.registry.memberNames(of: value)
            // Every builtin also works as a method on a tensor: x.sum(), x.reshape(…).
            if case .tensor = value { names += interpreter.registry.order }
            return Array(Set(names.filter { $0.hasPrefix(partial) })).sorted().map { base + "." + $0 }
        }
        // Inside a builtin's parentheses its declared parameters complete as `name:`.
        let keywords = openCall(in: line).flatMap { interpreter.registry[$0] }.map { $0.parameters.map { $0.name + ":" } } ?? []
        let pool = interpreter.registry.order + interpreter.globals.names + Array(Keywords.all) + keywords
        return Array(Set(pool.filter { $0.hasPrefix(word) })).sorted()
    }

    /// The name before the innermost parenthesis still open at the end of `line`:
    /// `conv2d(x, w, st` → `conv2d`.
    func openCall(in line: String) -> String? {
        var opens: [String.Index] = []
        var quoted = false
        for i in line.indices {
            switch line[i] {
            case "\"": quoted.toggle()
            case "(" where !quoted: opens.append(i)
            case ")" where !quoted: _ = opens.popLast()
            default: break
            }
        }
        guard let open = opens.last else { return nil }
        let name = line[..<open].reversed().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : String(name.reversed())
    }

    public func quit() { quitting = true }
}
