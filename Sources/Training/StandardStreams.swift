import Foundation

enum FileHandleStderr {
    static func write(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }
}

/// Whether standard output is a terminal (progress bars) or a pipe/file (plain lines).
public var standardOutputIsTerminal: Bool { isatty(1) != 0 }
