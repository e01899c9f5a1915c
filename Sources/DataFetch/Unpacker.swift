import Foundation

/// Unpacks verified archives with the system's `tar` and `gzip`, into a fresh folder that
/// replaces the old one only when the whole archive unpacked.
enum Unpacker {
    static func unpack(_ source: DatasetSource, archives: [URL], into directory: URL) throws {
        let fm = FileManager.default
        let staging = directory.appendingPathComponent(".unpacking-\(source.name)", isDirectory: true)
        try? fm.removeItem(at: staging)
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: staging) }
        switch source.unpacking {
        case .tarGzip(let folder):
            for archive in archives {
                try run(["tar", "-xzf", archive.path, "-C", staging.path], file: archive.lastPathComponent)
            }
            try replace(directory.appendingPathComponent(folder), with: staging.appendingPathComponent(folder), file: archives.map(\.lastPathComponent).joined(separator: ", "))
        case .gzipEach(let folder):
            let target = staging.appendingPathComponent(folder, isDirectory: true)
            try fm.createDirectory(at: target, withIntermediateDirectories: true)
            for archive in archives {
                let name = archive.deletingPathExtension().lastPathComponent
                let out = target.appendingPathComponent(name)
                _ = fm.createFile(atPath: out.path, contents: nil)
                let handle = try FileHandle(forWritingTo: out)
                defer { try? handle.close() }
                try run(["gzip", "-dc", archive.path], file: archive.lastPathComponent, standardOutput: handle)
            }
            try replace(directory.appendingPathComponent(folder), with: target, file: archives.map(\.lastPathComponent).joined(separator: ", "))
        }
    }

    static func replace(_ destination: URL, with unpacked: URL, file: String) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: unpacked.path) else {
            throw FetchError.unpacking(file: file, detail: "it has no \(unpacked.lastPathComponent)/ folder")
        }
        try? fm.removeItem(at: destination)
        try fm.moveItem(at: unpacked, to: destination)
    }

    /// Runs a system tool; a non-zero exit is an unpacking error with the tool's own words.
    static func run(_ arguments: [String], file: String, standardOutput: FileHandle? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        if let standardOutput { process.standardOutput = standardOutput }
        do { try process.run() } catch {
            throw FetchError.unpacking(file: file, detail: "cannot run \(arguments[0]): \(error.localizedDescription)")
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let words = String(decoding: said, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FetchError.unpacking(file: file, detail: "\(arguments[0]) exited with status \(process.terminationStatus)\(words.isEmpty ? "" : ": " + words)")
        }
    }
}
