import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads one line of input with a prompt; nil at end of input (Ctrl-D) or when Ctrl-C
/// abandoned the line (then `consumeInterrupt()` says so).
public protocol LineReader: AnyObject {
    func readLine(prompt: String) -> String?
    /// True once after a `readLine` that returned nil because Ctrl-C was pressed at the prompt.
    func consumeInterrupt() -> Bool
    /// Records a whole entry (possibly several lines) so Up recalls it.
    func addHistory(_ entry: String)
    /// Whether prompts are shown (a terminal) or not (pipes, scripts, tests).
    var isInteractive: Bool { get }
}

/// Plain line reading for pipes, scripts and tests: no prompt, no editing.
public final class PlainLineReader: LineReader {
    let next: () -> String?
    public init(next: @escaping () -> String? = { Swift.readLine(strippingNewline: true) }) { self.next = next }
    public func readLine(prompt: String) -> String? { next() }
    public func consumeInterrupt() -> Bool { false }
    public func addHistory(_ entry: String) {}
    public var isInteractive: Bool { false }
}

/// Supplies completions for the word before the cursor.
nonisolated(unsafe) var activeCompleter: ((String, String) -> [String])?
/// The whole line being edited, for context-sensitive completion (`net.` + Tab).
nonisolated(unsafe) var completionLine: (() -> String)?

/// libedit's readline-compatible API, loaded at run time with `dlopen`, so no development
/// headers are needed to build and the program still runs where libedit is missing.
public final class LibEditLineReader: LineReader {
    typealias ReadlineFunction = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutablePointer<CChar>?
    typealias AddHistoryFunction = @convention(c) (UnsafePointer<CChar>?) -> Int32
    typealias CompletionEntry = @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>?
    typealias CompletionMatches = @convention(c) (UnsafePointer<CChar>?, CompletionEntry?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    typealias AttemptedCompletion = @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    let readlineFunction: ReadlineFunction
    let addHistoryFunction: AddHistoryFunction

    /// Loads libedit, or returns nil when it is not installed.
    public init?(completer: @escaping (String, String) -> [String]) {
        let names = ["libedit.so.2", "libedit.so", "libedit.3.dylib", "libedit.dylib", "/usr/lib/libedit.3.dylib"]
        guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first,
            let rl = dlsym(handle, "readline"), let add = dlsym(handle, "add_history")
        else { return nil }
        readlineFunction = unsafeBitCast(rl, to: ReadlineFunction.self)
        addHistoryFunction = unsafeBitCast(add, to: AddHistoryFunction.self)
        activeCompleter = completer
        if let attempted = dlsym(handle, "rl_attempted_completion_function"),
            let matches = dlsym(handle, "rl_completion_matches")
        {
            nonisolated(unsafe) let completionMatches = unsafeBitCast(matches, to: CompletionMatches.self)
            LibEditLineReader.completionMatches = completionMatches
            // No space after a completed word: `net` + Tab is usually followed by `.` or `(`.
            LibEditLineReader.appendCharacter = dlsym(handle, "rl_completion_append_character")?.assumingMemoryBound(to: Int32.self)
            let hook: AttemptedCompletion = { text, _, _ in
                LibEditLineReader.appendCharacter?.pointee = 0
                guard let match = LibEditLineReader.completionMatches else { return nil }
                return match(text, LibEditLineReader.generator)
            }
            attempted.assumingMemoryBound(to: AttemptedCompletion?.self).pointee = hook
        }
        // Leave '.' out of the word breaks so `net.pa` completes as one word.
        if let breaks = dlsym(handle, "rl_completer_word_break_characters") {
            breaks.assumingMemoryBound(to: UnsafePointer<CChar>?.self).pointee = UnsafePointer(strdup(" \t\n\"'()[]{},=+-*/^@<>;:"))
        }
        if let lineBuffer = dlsym(handle, "rl_line_buffer") {
            completionLine = {
                guard let p = lineBuffer.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self).pointee else { return "" }
                return String(cString: p)
            }
        }
    }

    nonisolated(unsafe) static var completionMatches: CompletionMatches?
    nonisolated(unsafe) static var appendCharacter: UnsafeMutablePointer<Int32>?
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var candidateIndex = 0

    /// readline's generator protocol: called with state 0 first, then until it returns nil.
    static let generator: CompletionEntry = { text, state in
        if state == 0 {
            let word = text.map { String(cString: $0) } ?? ""
            candidates = activeCompleter?(word, completionLine?() ?? word) ?? []
            candidateIndex = 0
        }
        guard candidateIndex < candidates.count else { return nil }
        defer { candidateIndex += 1 }
        return strdup(candidates[candidateIndex])
    }

    var interrupted = false

    /// SIGINT's handler does not restart system calls, so Ctrl-C at the prompt ends libedit's
    /// read with EINTR and `readline` returns nil, as at end of input; the raised interrupt
    /// flag tells the two apart. The abandoned line is left on screen, as Python does.
    public func readLine(prompt: String) -> String? {
        interruptPending.store(false, ordering: .relaxed)
        guard let p = prompt.withCString({ readlineFunction($0) }) else {
            if interruptPending.exchange(false, ordering: .relaxed) {
                interrupted = true
                FileHandle.standardOutput.write(Data("^C\n".utf8))
            }
            return nil
        }
        defer { free(p) }
        return String(cString: p)
    }

    public func consumeInterrupt() -> Bool {
        defer { interrupted = false }
        return interrupted
    }

    public func addHistory(_ entry: String) { _ = entry.withCString { addHistoryFunction($0) } }
    public var isInteractive: Bool { true }
}
