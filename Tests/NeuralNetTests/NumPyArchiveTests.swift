import Foundation
import Tensors
import Testing

/// Files NumPy 2.4 wrote, kept as bytes so the test runs without NumPy:
/// `np.savez(f, w=np.arange(6, dtype=np.float32).reshape(2, 3), b=np.array([7.5]))`, and the
/// same with `np.savez_compressed`. NumPy writes ZIP64 local headers (sizes 0xFFFFFFFF, the
/// real ones in the extra field) even for tiny arrays.
let numpySavez = Data(base64Encoded: "UEsDBC0AAAAAAAAAIQBP6QAq//////////8FABQAdy5ucHkBABAAmAAAAAAAAACYAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmNCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCAzKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAgD8AAABAAABAQAAAgEAAAKBAUEsDBC0AAAAAAAAAIQB0ZZzX//////////8FABQAYi5ucHkBABAAiAAAAAAAAACIAAAAAAAAAJNOVU1QWQEAdgB7J2Rlc2NyJzogJzxmOCcsICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAKAAAAAAAAHkBQSwECLQMtAAAAAAAAACEAT+kAKpgAAACYAAAABQAAAAAAAAAAAAAAgAEAAAAAdy5ucHlQSwECLQMtAAAAAAAAACEAdGWc14gAAACIAAAABQAAAAAAAAAAAAAAgAHPAAAAYi5ucHlQSwUGAAAAAAIAAgBmAAAAjgEAAAAA")!
let numpySavezCompressed = Data(base64Encoded: "UEsDBC0AAAAIAAAAIQBP6QAq//////////8FABQAdy5ucHkBABAAmAAAAAAAAABVAAAAAAAAAJvsF+obEMnIUMZQrZ6SWpxcpG6loG6TZqKuo6Cell9UUpSYF59flJIKEndLzClOBYoXZyQWpAL5GkY6CsaaOgq1CmQDLgYwaLAHEg5ABMQNQLzAAQBQSwMELQAAAAgAAAAhAHRlnNf//////////wUAFABiLm5weQEAEACIAAAAAAAAAEkAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgbpNmoa6joJ6WX1RSlJgXn1+UkgoSd0vMKU4FihdnJBakAvkahjqaOgq1ChQALgYwkHMAAFBLAQItAy0AAAAIAAAAIQBP6QAqVQAAAJgAAAAFAAAAAAAAAAAAAACAAQAAAAB3Lm5weVBLAQItAy0AAAAIAAAAIQB0ZZzXSQAAAIgAAAAFAAAAAAAAAAAAAACAAYwAAABiLm5weVBLBQYAAAAAAgACAGYAAAAMAQAAAAA=")!

@Suite("Reading the .npz files NumPy writes")
struct NumPyArchiveTests {
    func load(_ bytes: Data) throws -> [(name: String, tensor: Tensor<Double>)] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-\(UUID().uuidString).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try bytes.write(to: URL(fileURLWithPath: path))
        return try NPZArchive.read(path)
    }

    func expectTheArrays(_ arrays: [(name: String, tensor: Tensor<Double>)]) throws {
        #expect(arrays.map(\.name) == ["w", "b"])
        #expect(arrays[0].tensor == (try Tensor<Double>(rows: [[0, 1, 2], [3, 4, 5]])))
        #expect(arrays[1].tensor == Tensor<Double>([7.5]))
    }

    @Test("np.savez (ZIP64 headers) and np.savez_compressed (deflate) load")
    func committedFiles() throws {
        #expect(numpySavez.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        #expect(numpySavez[18..<22] == Data([0xFF, 0xFF, 0xFF, 0xFF]), "the fixture has ZIP64 sizes, the case that used to fail")
        try expectTheArrays(try load(numpySavez))
        try expectTheArrays(try load(numpySavezCompressed))
    }

    @Test("a flipped byte in a compressed member is caught, not loaded")
    func corruptCompressed() throws {
        var bytes = [UInt8](numpySavezCompressed)
        bytes[70] ^= 0x55  // inside the first member's deflated data
        let error = #expect(throws: FileError.self) { try load(Data(bytes)) }
        #expect(error?.message.contains("corrupt") == true || error?.message.contains("truncated") == true, "\(String(describing: error))")
    }

    @Test("files this machine's NumPy writes now load", .enabled(if: numpyAvailable()))
    func liveNumPy() throws {
        for function in ["savez", "savez_compressed"] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("gradschool-\(UUID().uuidString).npz").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            _ = try runPython("import numpy as n; n.\(function)('\(path)', w=n.arange(6, dtype=n.float32).reshape(2, 3), b=n.array([7.5]))")
            try expectTheArrays(try NPZArchive.read(path))
        }
    }
}
