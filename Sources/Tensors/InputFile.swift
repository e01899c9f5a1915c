import Foundation

/// The one check every file reader makes before opening a path, so each failure says which
/// of the usual causes it is: no such file, a folder, a file that cannot be read.
public enum InputFile {
    /// Throws a `TensorError` naming the path and the cause unless `path` is a readable file.
    public static func check(_ path: String) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TensorError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw TensorError("\(path) is a folder, not a file") }
        guard fm.isReadableFile(atPath: path) else {
            throw TensorError("\(path): the file exists but cannot be read (check its permissions)")
        }
    }

    /// The bytes of the file at `path`, after `check`.
    public static func bytes(_ path: String) throws -> [UInt8] {
        try check(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError("\(path): the file could not be read")
        }
        return [UInt8](data)
    }
}
