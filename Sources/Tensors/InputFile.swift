import Foundation

/// The one check every file reader makes before opening a path, so each failure says which
/// of the usual causes it is: no such file, a folder, a file that cannot be read.
public enum InputFile {
    /// Throws a `FileError` naming the path and the cause unless `path` is a readable file.
    public static func check(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileError.noSuchFile(path)
        }
        guard !isDirectory.boolValue else { throw FileError.isFolder(path) }
        guard fm.isReadableFile(atPath: path) else {
            throw FileError.unreadable(path)
        }
    }

    /// The bytes of the file at `path`, after `check`.
    public static func bytes(_ path: String) throws -> [UInt8] {
        try check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError.unreadable(path)
        }
        return [UInt8](data)
    }
}
