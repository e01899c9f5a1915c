import Foundation

/// One lesson file, `lessons/NN-slug.md`: Markdown prose with fenced cells.
///
/// ````
/// ```gs            code cell: runs in the language
/// ```check         check cell: expect(condition, "what should hold and why")
/// ```predict       the learner predicts before the next cell runs:
/// Will the loss go up or down?      first line: the question
/// up | down                         the choices (optional)
/// answer: down — why it goes down   the answer key (one of the choices) and why
/// ```
/// ````
/// Prose before a cell is shown with it.
public struct Lesson: Sendable {
    public enum Kind: String, Sendable { case code, check }

    public struct Cell: Sendable {
        public let kind: Kind
        public let source: String
        /// The prose shown above the cell.
        public let prose: String
        public let prediction: Prediction?
        /// 1-based line of the cell's first source line in the file.
        public let line: Int
    }

    public struct Prediction: Sendable {
        public let question: String
        public let choices: [String]
        /// The right answer (one of `choices` when there are choices).
        public let answer: String
        /// Why, shown after the cell has run.
        public let explanation: String

        /// The choice a guess names, by its words (ignoring case and spaces) or its number
        /// (`2` for the second); nil when it names none.
        func choice(_ guess: String) -> String? {
            let g = guess.trimmingCharacters(in: .whitespaces).lowercased()
            if let n = Int(g), n >= 1, n <= choices.count { return choices[n - 1] }
            return choices.first { $0.lowercased() == g }
        }

        /// Whether a guess can be taken as an answer: any words when there are no choices,
        /// else one of the choices.
        public func accepts(_ guess: String) -> Bool { choices.isEmpty || choice(guess) != nil }

        /// Whether a learner's guess is the answer: the same words, ignoring case and spaces,
        /// or the choice's number (`2` for the second choice).
        public func isRight(_ guess: String) -> Bool {
            let g = guess.trimmingCharacters(in: .whitespaces).lowercased()
            return (choice(g) ?? g).lowercased() == answer.lowercased()
        }
    }

    public let number: Int
    public let slug: String
    public let title: String
    public let path: String
    public private(set) var cells: [Cell]
    /// Prose after the last cell.
    public private(set) var closing: String

    public init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LessonError("\(path): cannot read the lesson file")
        }
        let file = (path as NSString).lastPathComponent
        let stem = (file as NSString).deletingPathExtension
        let parts = stem.split(separator: "-", maxSplits: 1)
        guard let n = Int(parts.first ?? "") else { throw LessonError("\(path): lesson files are named NN-slug.md") }
        try self.init(text: text, number: n, slug: parts.count > 1 ? String(parts[1]) : stem, path: path)
    }

    public init(text: String, number: Int, slug: String, path: String = "lesson") throws {
        self.number = number
        self.slug = slug
        self.path = path
        var title = slug
        var cells: [Cell] = []
        var prose: [String] = []
        var pending: Prediction?
        let lines = text.components(separatedBy: "\n")
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("# ") && title == slug && cells.isEmpty {
                title = String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                i += 1
                continue
            }
            if line.hasPrefix("```") {
                let info = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                var body: [String] = []
                let start = i + 2
                i += 1
                while i < lines.count && !lines[i].hasPrefix("```") { body.append(lines[i]); i += 1 }
                guard i < lines.count else { throw LessonError("\(path):\(start - 1): this fenced block is never closed") }
                i += 1
                switch info {
                case "gs", "check":
                    cells.append(
                        Cell(
                            kind: info == "gs" ? .code : .check, source: body.joined(separator: "\n"),
                            prose: prose.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines),
                            prediction: pending, line: start))
                    prose = []
                    pending = nil
                case "predict":
                    pending = try Self.prediction(body, at: "\(path):\(start)")
                default:
                    // Other fenced blocks (plain text, output samples) stay in the prose.
                    prose.append(line)
                    prose += body
                    prose.append("```")
                }
                continue
            }
            prose.append(line)
            i += 1
        }
        if pending != nil { throw LessonError("\(path): a predict block must come before a cell") }
        self.title = title
        self.cells = cells
        self.closing = prose.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A predict block's question, choices and answer key; every prediction has an answer,
    /// and with choices the answer is one of them.
    static func prediction(_ body: [String], at place: String) throws -> Prediction {
        guard let q = body.first, !q.isEmpty else { throw LessonError("\(place): a predict block needs a question") }
        var choices: [String] = []
        var answer: (String, String)?
        for line in body.dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if line.hasPrefix("answer:") {
                let text = line.dropFirst("answer:".count).trimmingCharacters(in: .whitespaces)
                let parts = text.components(separatedBy: " — ")
                answer = (parts[0].trimmingCharacters(in: .whitespaces), parts.dropFirst().joined(separator: " — "))
            } else {
                choices = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        guard let (key, why) = answer, !key.isEmpty else { throw LessonError("\(place): a predict block needs an answer line: answer: CHOICE — why") }
        guard choices.isEmpty || choices.contains(where: { $0.lowercased() == key.lowercased() }) else {
            throw LessonError("\(place): the answer \"\(key)\" is not one of the choices \(choices.joined(separator: " | "))")
        }
        return Prediction(question: q, choices: choices, answer: key, explanation: why)
    }

    public var name: String { String(format: "%02d-%@", number, slug) }

    /// `data/` beside the lesson file, where `course_file` finds the course's files.
    public var courseFiles: URL {
        let folder = (path as NSString).deletingLastPathComponent
        return LessonLibrary.courseFiles(in: folder.isEmpty ? "." : folder)
    }

    /// The same lesson cut after its first `count` cells (for checking the cells run so far).
    public func prefix(_ count: Int) -> Lesson {
        var copy = self
        copy.cells = Array(cells.prefix(count))
        copy.closing = ""
        return copy
    }
}

public struct LessonError: Error, CustomStringConvertible {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
}

/// The lessons folder: `$GRADSCHOOL_LESSONS`, else `lessons/` in the working directory or
/// above it, else next to the executable's package.
public enum LessonLibrary {
    public static func directory() -> String? {
        let fm = FileManager.default
        if let p = ProcessInfo.processInfo.environment["GRADSCHOOL_LESSONS"], fm.fileExists(atPath: p) { return p }
        var candidates: [URL] = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        candidates.append(URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent())
        for start in candidates {
            var dir = start
            for _ in 0..<6 {
                let l = dir.appendingPathComponent("lessons")
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: l.path, isDirectory: &isDir), isDir.boolValue,
                    fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path)
                {
                    return l.path
                }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// The course's own data files, `data/` beside the lessons.
    public static func courseFiles(in lessonsDirectory: String) -> URL {
        URL(fileURLWithPath: lessonsDirectory, isDirectory: true).appendingPathComponent("data", isDirectory: true)
    }

    public static func load(from dir: String) throws -> [Lesson] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }.sorted()
        return try files.map { try Lesson(path: (dir as NSString).appendingPathComponent($0)) }
    }
}
