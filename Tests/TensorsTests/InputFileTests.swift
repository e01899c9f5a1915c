import Foundation
import Tensors
import Testing

/// Every file reader names the cause: no such file, a folder, unreadable; writers name a
/// missing folder. (Opening a folder as an archive used to spin forever.)
@Suite struct InputFileTests {
    /// A folder of this test's own (tests run in parallel).
    func scratch(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-inputfile-\(getpid())-\(name)")
    }

    @Test("a folder or a missing path is refused with its cause, by every reader")
    func foldersAndMissingPaths() throws {
        let folder = scratch("read")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: TensorError("\(folder.path) is a folder, not a file")) { try InputFile.check(folder.path) }
        #expect(throws: TensorError("/nonexistent/x.npz: no such file")) { try InputFile.check("/nonexistent/x.npz") }
        #expect(throws: TensorError("\(folder.path) is a folder, not a file")) {
            let _: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(folder.path)
        }
    }

    @Test("writing into a missing folder, or onto a folder, says so")
    func writesNameTheFolder() throws {
        let folder = scratch("write")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let arrays: [(name: String, tensor: Tensor<Float>)] = [("w", Tensor([1, 2]))]
        #expect(throws: TensorError("/nonexistent/dir/x.npz: could not write: the folder /nonexistent/dir does not exist")) {
            try NPZArchive.write(arrays, to: "/nonexistent/dir/x.npz")
        }
        #expect(throws: TensorError("\(folder.path) is a folder; give a file name such as \(folder.path)/work.npz")) {
            try NPZArchive.write(arrays, to: folder.path)
        }
        try NPZArchive.write(arrays, to: folder.appendingPathComponent("ok.npz").path)
        let back: [(name: String, tensor: Tensor<Float>)] = try NPZArchive.read(folder.appendingPathComponent("ok.npz").path)
        #expect(back.first?.tensor.scalars == [1, 2])
    }
}
