import Foundation

/// Which cell each lesson is at and which lessons are finished, kept between sessions in
/// `$GRADSCHOOL_PROGRESS` or `~/.gradschool_progress.json`.
public struct Progress: Codable, Sendable {
    public var position: [String: Int] = [:]
    public var completed: Set<String> = []
    public var predictions: [String: String] = [:]

    public static var defaultPath: String {
        if let p = ProcessInfo.processInfo.environment["GRADSCHOOL_PROGRESS"], !p.isEmpty { return p }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".gradschool_progress.json").path
    }

    public static func load(from path: String) -> Progress {
        guard let data = FileManager.default.contents(atPath: path), let p = try? JSONDecoder().decode(Progress.self, from: data) else {
            return Progress()
        }
        return p
    }

    public func save(to path: String) {
        guard let data = try? JSONEncoder().encode(self) else { return }
        let temporary = path + ".tmp\(getpid())"
        if FileManager.default.createFile(atPath: temporary, contents: data) { rename(temporary, path) }
    }
}
