import Foundation

/// A script's text for `gradschool run`: UTF-8, with Windows line ends (CRLF) and old Mac
/// ones (CR) read as newlines. Each way reading can fail gets its own message.
public enum ScriptSource {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ path: String) throws -> String {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw Failure(description: "\(path): no such file") }
        guard !isDirectory.boolValue else { throw Failure(description: "\(path) is a folder, not a script") }
        guard fm.isReadableFile(atPath: path), let data = fm.contents(atPath: path) else {
            throw Failure(description: "\(path): the file exists but cannot be read (check its permissions)")
        }
        return try text(of: data, name: path)
    }

    /// Decodes `data` as UTF-8 (a leading byte-order mark is dropped) and normalizes line ends.
    public static func text(of data: Data, name: String) throws -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = firstInvalidLine(bytes)
            throw Failure(description: "\(name):\(line): the file is not UTF-8 text (save it as UTF-8)")
        }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The 1-based line of the first byte sequence that is not UTF-8.
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        var line = 1, start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }
}
