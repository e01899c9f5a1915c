import Foundation

/// The prompt's history, one JSON string per line so multi-line entries, spaces and any
/// characters survive a round trip (libedit's own format escapes spaces and caps lines).
///
/// The file is `$GRADSCHOOL_HISTORY` or `~/.gradschool_history`; the newest `limit` entries
/// are kept. Writes go to a temporary file that is renamed over the old one.
public struct HistoryFile {
    public let path: String
    public let limit: Int
    public private(set) var entries: [String] = []

    public static var defaultPath: String {
        if let p = ProcessInfo.processInfo.environment["GRADSCHOOL_HISTORY"], !p.isEmpty { return p }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".gradschool_history").path
    }

    public init(path: String = HistoryFile.defaultPath, limit: Int = 2000) {
        self.path = path
        self.limit = limit
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let data = line.data(using: .utf8), let s = try? JSONDecoder().decode(String.self, from: data) { entries.append(s) }
            }
        }
    }

    public mutating func append(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, entries.last != entry else { return }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    public func save() throws {
        let encoder = JSONEncoder()
        let lines = try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let temporary = path + ".tmp\(getpid())"
        try (lines.joined(separator: "\n") + "\n").write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
