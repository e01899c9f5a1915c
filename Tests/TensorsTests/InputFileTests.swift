import Foundation
import Tensors
import TestSupport
import Testing

/// Every file reader names the cause: no such file, a folder, unreadable; writers name a
/// missing folder. (Opening a folder as an archive used to spin forever.)
@Suite struct InputFileTests {
    @Test("a folder or a missing path is refused with its cause, by every reader")
    func foldersAndMissingPaths() throws {
        let scratch = try ScratchFolder("read"), folder = scratch.url
        #expect(throws: FileError.isFolder(folder.path)) { try InputFile.check(folder.path) }
        #expect(throws: FileError.noSuchFile("/nonexistent/x.npz")) { try InputFile.check("/nonexistent/x.npz") }
        #expect(throws: FileError.isFolder(folder.path)) {
            let _: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(folder.path)
        }
    }

    @Test("writing into a missing folder, or onto a folder, says so")
    func writesNameTheFolder() throws {
        let scratch = try ScratchFolder("write"), folder = scratch.url
        let arrays: [(name: String, tensor: Tensor<Float>)] = [("w", Tensor([1, 2]))]
        #expect(throws: FileError.cannotWrite("/nonexistent/dir/x.npz", detail: "could not write: the folder /nonexistent/dir does not exist")) {
            try NPZArchive.write(arrays, to: "/nonexistent/dir/x.npz")
        }
        #expect(throws: FileError.cannotWrite(folder.path, detail: "is a folder; give a file name such as \(folder.path)/work.npz")) {
            try NPZArchive.write(arrays, to: folder.path)
        }
        try NPZArchive.write(arrays, to: folder.appendingPathComponent("ok.npz").path)
        let back: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(folder.appendingPathComponent("ok.npz").path)
        #expect(back.first?.tensor.scalars == [1, 2])
    }
}

@Suite struct AtomicSaveTests {
    @Test("a save replaces the file by rename: a reader of the old file still sees it whole, and no temporary is left")
    func savesAreAtomic() throws {
        let scratch = try ScratchFolder("atomic"), folder = scratch.url
        let path = folder.appendingPathComponent("work.npz").path
        try NPZArchive.write([("w", Tensor<Float>([1, 2, 3]))], to: path)
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Hold the old file open, as a process killed mid-save would leave it on disk.
        let handle = try #require(FileHandle(forReadingAtPath: path))
        try NPZArchive.write([("w", Tensor<Float>([Float](repeating: 7, count: 1000)))], to: path)
        // Written in place, the open file would now hold the new bytes (or a mix).
        #expect(try handle.readToEnd() == oldBytes)
        let back: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(path)
        #expect(back.first?.tensor.count == 1000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["work.npz"])
    }
}
