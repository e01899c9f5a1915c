import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The prompt's history, one JSON string per line so multi-line entries, spaces and any
/// characters survive a round trip (libedit's own format escapes spaces and caps lines).
///
/// The file is `$GRADSCHOOL_HISTORY`, else `$HOME/.gradschool_history` (the account's home
/// folder when `HOME` is unset). Nothing waits for a clean exit: each entry is appended to
/// the file as it is entered (one `write` under an exclusive `flock`), so a killed session
/// loses nothing and sessions running at once interleave their entries instead of
/// overwriting each other. A line that is not valid UTF-8 JSON is skipped when reading and
/// kept in the file. When a session starts or ends with the file past twice `limit` lines,
/// it is compacted to its newest `limit` lines (a temporary file renamed over it, under the
/// same lock); entering a line never reads the file.
public struct HistoryFile {
    public let path: String
    public let limit: Int
    /// This session's view: the file's entries when it started, then what it entered.
    public private(set) var entries: [String] = []

    public static var defaultPath: String { defaultPath(environment: ProcessInfo.processInfo.environment) }

    public static func defaultPath(environment: [String: String]) -> String {
        if let p = environment["GRADSCHOOL_HISTORY"], !p.isEmpty { return p }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return (home as NSString).appendingPathComponent(".gradschool_history")
    }

    public init(path: String = HistoryFile.defaultPath, limit: Int = 2000) {
        self.path = path
        self.limit = max(1, limit)
        let lines = Self.lines(of: FileManager.default.contents(atPath: path) ?? Data())
        entries = Array(lines.compactMap(Self.decode).suffix(self.limit))
        if lines.count > 2 * self.limit { try? save() }
    }

    /// Records an entry (blank ones and repeats of the last are skipped) and appends it to the file.
    public mutating func append(_ entry: String) {
        guard !entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, entries.last != entry else { return }
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        guard let encoded = try? JSONEncoder().encode(entry) else { return }
        try? withLockedFile { fd in
            var line = [UInt8](encoded)
            line.append(0x0A)
            try Self.writeAll(fd, line)
        }
    }

    /// Compacts the file if it has grown past twice the limit (entries are already on disk).
    public func save() throws {
        try withLockedFile { _ in try compactIfLarge() }
    }

    // MARK: - The file

    static func lines(of data: Data) -> [Data] {
        data.split(separator: 0x0A, omittingEmptySubsequences: true).map { Data($0) }
    }

    static func decode(_ line: Data) -> String? {
        guard String(data: line, encoding: .utf8) != nil else { return nil }
        return try? JSONDecoder().decode(String.self, from: line)
    }

    /// Runs `body` with the history file open for appending and exclusively locked. If the file
    /// was replaced (compacted by another session) between open and lock, it is reopened.
    func withLockedFile(_ body: (Int32) throws -> Void) throws {
        for _ in 0..<5 {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission) }
            defer { close(fd) }
            guard flock(fd, LOCK_EX) == 0 else { throw CocoaError(.fileLocking) }
            var opened = stat(), current = stat()
            guard fstat(fd, &opened) == 0, stat(path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev else {
                continue
            }
            try body(fd)
            return
        }
        throw CocoaError(.fileLocking)
    }

    /// With the lock held: if the file has more than twice `limit` lines, keeps its newest
    /// `limit` lines, unreadable ones included, by renaming a rewritten copy over it.
    func compactIfLarge() throws {
        guard let data = FileManager.default.contents(atPath: path) else { return }
        let lines = Self.lines(of: data)
        guard lines.count > 2 * limit else { return }
        var kept = Data()
        for line in lines.suffix(limit) { kept.append(line); kept.append(0x0A) }
        let temporary = path + ".tmp\(getpid())"
        try kept.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw CocoaError(.fileWriteUnknown) }
                offset += n
            }
        }
    }
}
