import Foundation
import ZIPFoundation

/// NumPy's `.npz`: a ZIP archive of `.npy` members, one per named array, readable by
/// `numpy.load`. The ZIP layer is ZIPFoundation's; members are written uncompressed (as
/// `numpy.savez` does) and read stored or deflated.
public enum NPZArchive {
    /// Writes `arrays` to `path` atomically: a temporary file in the same folder, then a rename,
    /// so a crash never leaves half a file under the real name.
    public static func write<Scalar: TensorScalar>(_ arrays: [(name: String, tensor: Tensor<Scalar>)], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError.cannotWrite(path, detail: "could not write: the folder \(folder) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw FileError.cannotWrite(path, detail: "is a folder; give a file name such as \(path)/work.npz")
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try writeArchive(arrays, at: temporary)
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw FileError.cannotWrite(path, detail: "rename failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FileError.cannotWrite(path, detail: "could not write: \(error.localizedDescription)")
        }
    }

    /// The archive itself (closed when this returns). Members carry ZIP's epoch as their date,
    /// so the same arrays always give the same bytes.
    static func writeArchive<Scalar: TensorScalar>(_ arrays: [(name: String, tensor: Tensor<Scalar>)], at url: URL) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (name, tensor) in arrays {
            let data = Data(NumPyFormat.encode(tensor))
            try archive.addEntry(
                with: name + ".npy", type: .file, uncompressedSize: Int64(data.count),
                modificationDate: Date(timeIntervalSince1970: 315_532_800), compressionMethod: .none
            ) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    /// The largest member a load accepts (a corrupt or hostile size field must not allocate the machine away).
    public static let maximumMemberBytes: Int64 = 8 << 30

    /// Reads every array of an `.npz` file, in archive order: stored or deflated members
    /// (`numpy.savez` and `numpy.savez_compressed`), ZIP64 fields included, each checked
    /// against its CRC-32.
    public static func read<Scalar: TensorScalar>(_ path: String) throws -> [(name: String, tensor: Tensor<Scalar>)] {
        try InputFile.check(path)
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw FileError.malformed(path, detail: "not an .npz archive (not a readable ZIP file: it may be truncated)")
        }
        var arrays: [(String, Tensor<Scalar>)] = []
        for entry in archive where entry.type == .file {
            let name = entry.path
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            guard entry.uncompressedSize <= maximumMemberBytes else {
                throw FileError.malformed(path, detail: "member \(name) claims \(entry.uncompressedSize) bytes, more than the \(maximumMemberBytes >> 30) GiB a load accepts")
            }
            var member = Data()
            member.reserveCapacity(Int(entry.uncompressedSize))
            let checksum: CRC32
            do {
                checksum = try archive.extract(entry) { member.append($0) }
            } catch {
                throw FileError.malformed(path, detail: "member \(name) is truncated or corrupt (\(error))")
            }
            guard checksum == entry.checksum, Int64(member.count) == entry.uncompressedSize else {
                throw FileError.malformed(path, detail: "member \(name) is corrupt (its CRC-32 or size does not match)")
            }
            arrays.append((key, try NumPyFormat.decode([UInt8](member), source: "\(path)[\(key)]")))
        }
        if arrays.isEmpty { throw FileError.malformed(path, detail: "not an .npz archive (it holds no arrays)") }
        return arrays
    }
}
