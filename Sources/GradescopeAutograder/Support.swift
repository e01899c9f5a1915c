import Foundation

/// Where a Gradescope run finds things under its root.
struct AutograderLayout {
    let root: String
    var package: String { root + "/source/package" }
    var stubs: String { root + "/source/stubs" }
    var gradebook: String { root + "/source/gradebook.json" }
    var submission: String { root + "/submission" }
    var results: String { root + "/results/results.json" }
    var homework: String { package + "/Sources/Homework" }

    /// Where the grader reads the final project's checkpoint (relative to `package`).
    var projectCheckpoint: String { package + "/project/model.npz" }

    /// Puts the submission's project checkpoint in place (removing any earlier submission's).
    func installProjectCheckpoint(_ file: URL?) throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: projectCheckpoint)
        guard let file else { return }
        try fm.createDirectory(atPath: package + "/project", withIntermediateDirectories: true)
        try fm.copyItem(atPath: file.path, toPath: projectCheckpoint)
    }

    /// Restores the stubs, then copies `files` over them; returns the stubs no file replaced.
    func install(_ files: [URL]) throws -> [String] {
        let fm = FileManager.default
        for old in try fm.contentsOfDirectory(atPath: homework) where old.hasSuffix(".swift") {
            try fm.removeItem(atPath: homework + "/" + old)
        }
        let stubNames = try fm.contentsOfDirectory(atPath: stubs).filter { $0.hasSuffix(".swift") }
        for name in stubNames { try fm.copyItem(atPath: stubs + "/" + name, toPath: homework + "/" + name) }
        for file in files {
            let target = homework + "/" + file.lastPathComponent
            if fm.fileExists(atPath: target) { try fm.removeItem(atPath: target) }
            try fm.copyItem(atPath: file.path, toPath: target)
        }
        let submitted = Set(files.map(\.lastPathComponent))
        return stubNames.filter { !submitted.contains($0) }.sorted()
    }
}

/// Finds the homework in what a student submitted: their whole repository (its
/// `Sources/Homework/`, at any depth up to four folders, e.g. inside a zip's top folder) or
/// the `.swift` files themselves, flat (or in one wrapping folder).
enum SubmissionFiles {
    /// A homework file name: letters, digits, `_`, `-` or `+`, ending in `.swift`.
    static func acceptable(_ name: String) -> Bool {
        name.hasSuffix(".swift") && name != "Package.swift" && name.count <= 100
            && name.dropLast(6).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-+".contains($0)) } && name.count > 6
    }

    static func homework(in submission: String) -> (files: [URL], from: String, ignored: [String]) {
        let base = URL(fileURLWithPath: submission)
        if let folder = findHomeworkFolder(base, depth: 0) {
            let (files, ignored) = swiftFiles(in: folder)
            return (files, String(folder.path.dropFirst(base.path.count)).trimmingCharacters(in: CharacterSet(charactersIn: "/")), ignored)
        }
        var (files, ignored) = swiftFiles(in: base)
        if files.isEmpty, let only = subfolders(base), only.count == 1 {
            (files, ignored) = swiftFiles(in: only[0])
        }
        return (files, "", ignored)
    }

    /// The final project's trained model: `project/model.npz` beside the repository's `Sources/`
    /// (or anywhere up to four folders down), else a `model.npz` among flat files.
    static func projectCheckpoint(in submission: String) -> URL? {
        let base = URL(fileURLWithPath: submission), fm = FileManager.default
        if let homework = findHomeworkFolder(base, depth: 0) {
            let repository = homework.deletingLastPathComponent().deletingLastPathComponent()
            let file = repository.appendingPathComponent("project/model.npz")
            return fm.fileExists(atPath: file.path) ? file : nil
        }
        for folder in [base] + (subfolders(base) ?? []) {
            let file = folder.appendingPathComponent("model.npz")
            if fm.fileExists(atPath: file.path) { return file }
        }
        return nil
    }

    static func subfolders(_ url: URL) -> [URL]? {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: url.path) else { return nil }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { url.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return fm.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    static func findHomeworkFolder(_ url: URL, depth: Int) -> URL? {
        guard depth <= 4, let folders = subfolders(url) else { return nil }
        for f in folders where f.lastPathComponent == "Sources" {
            let homework = f.appendingPathComponent("Homework")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: homework.path, isDirectory: &isDirectory), isDirectory.boolValue { return homework }
        }
        for f in folders where f.lastPathComponent != "Tests" && f.lastPathComponent != "solutions" {
            if let found = findHomeworkFolder(f, depth: depth + 1) { return found }
        }
        return nil
    }

    static func swiftFiles(in folder: URL) -> (files: [URL], ignored: [String]) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".swift") }.sorted()
        let files = names.filter(acceptable).map { folder.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        return (files, names.filter { !acceptable($0) })
    }
}

/// A finished command: its exit status and its standard output and error, interleaved.
struct Command {
    let status: Int32
    let output: String

    static func run(_ program: String, _ arguments: [String]) -> Command {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return Command(status: 127, output: "could not start \(program): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Command(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// The compiler's first errors, each with the source lines it quotes, paths made relative.
enum CompilerErrors {
    static func first(in output: String, stripping prefix: String, limit: Int) -> String {
        var blocks: [String] = [], current: [String]? = nil, seen = Set<String>()
        func close() {
            if let c = current, seen.insert(c[0]).inserted { blocks.append(c.joined(separator: "\n")) }
            current = nil
        }
        for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.replacingOccurrences(of: prefix, with: "")
            if line.contains(": error:") {
                close()
                if blocks.count >= limit { break }
                current = [line]
            } else if current != nil {
                // The quoted source and carets follow an error; a new located diagnostic or a build line ends them.
                if line.contains(": warning:") || line.contains(": note:") || line.hasPrefix("[") || line.hasPrefix("error:") || current!.count > 8 {
                    close()
                } else {
                    current!.append(line)
                }
            }
        }
        close()
        return blocks.prefix(limit).joined(separator: "\n\n")
    }
}
