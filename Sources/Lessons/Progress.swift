import Foundation

/// Which cell each lesson is at and which lessons are finished, kept between sessions in
/// `$GRADSCHOOL_PROGRESS` or `~/.gradschool_progress.json`.
public struct Progress: Codable, Sendable {
    public var position: [String: Int] = [:]
    public var completed: Set<String> = []
    public var predictions: [String: String] = [:]
    /// Whether each recorded prediction was right, by the same key.
    public var predictionsRight: [String: Bool] = [:]

    private enum CodingKeys: String, CodingKey { case position, completed, predictions, predictionsRight }

    public init() {}

    /// Progress files written before predictions were scored still load.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        position = try c.decodeIfPresent([String: Int].self, forKey: .position) ?? [:]
        completed = try c.decodeIfPresent(Set<String>.self, forKey: .completed) ?? []
        predictions = try c.decodeIfPresent([String: String].self, forKey: .predictions) ?? [:]
        predictionsRight = try c.decodeIfPresent([String: Bool].self, forKey: .predictionsRight) ?? [:]
    }

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
