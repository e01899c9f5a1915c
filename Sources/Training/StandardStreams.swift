import Foundation

/// Whether standard output is a terminal (progress bars) or a pipe/file (plain lines).
public var standardOutputIsTerminal: Bool { isatty(1) != 0 }
