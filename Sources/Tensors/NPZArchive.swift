import Foundation

/// NumPy's `.npz`: a ZIP archive of `.npy` members, one per named array, readable by
/// `numpy.load`. Members are stored uncompressed (as `numpy.savez` writes them).
public enum NPZArchive {
    /// Writes `arrays` to `path` atomically: a temporary file in the same folder, then a rename,
    /// so a crash never leaves half a file under the real name.
    public static func write<Scalar: TensorScalar>(_ arrays: [(name: String, tensor: Tensor<Scalar>)], to path: String) throws {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, tensor) in arrays {
            let data = NumPyFormat.encode(tensor)
            let fileName = Array((name + ".npy").utf8)
            let crc = crc32(data)
            let offset = UInt32(out.count)
            out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            out += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            out += le16(UInt16(fileName.count)) + le16(0) + fileName + data
            central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
            central += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
            central += le16(UInt16(fileName.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset)
            central += fileName
        }
        let centralOffset = UInt32(out.count)
        out += central
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(arrays.count)) + le16(UInt16(arrays.count))
        out += le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(out).write(to: temporary)
            // rename(2) replaces an existing file atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw TensorError("rename failed: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw TensorError("\(path): could not write: \(error.localizedDescription)")
        }
    }

    /// Reads every array of an `.npz` file, in archive order.
    public static func read<Scalar: TensorScalar>(_ path: String) throws -> [(name: String, tensor: Tensor<Scalar>)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TensorError("\(path): cannot read the file (does it exist?)")
        }
        let bytes = [UInt8](data)
        func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
        var arrays: [(String, Tensor<Scalar>)] = []
        var at = 0
        while at + 4 <= bytes.count && u32(at) == 0x0403_4B50 {
            guard at + 30 <= bytes.count else { throw TensorError("\(path): truncated ZIP entry header at byte \(at)") }
            let method = u16(at + 8), flags = u16(at + 6)
            let size = u32(at + 18), nameLength = u16(at + 26), extraLength = u16(at + 28)
            let nameStart = at + 30, dataStart = nameStart + nameLength + extraLength
            guard dataStart <= bytes.count else { throw TensorError("\(path): truncated ZIP entry name at byte \(nameStart)") }
            let name = String(decoding: bytes[nameStart..<(nameStart + nameLength)], as: UTF8.self)
            guard method == 0 else {
                throw TensorError("\(path): member \(name) is compressed (method \(method)); save with numpy.savez, not savez_compressed")
            }
            guard flags & 0x08 == 0 else { throw TensorError("\(path): member \(name) uses a data descriptor, which is not supported") }
            guard dataStart + size <= bytes.count else {
                throw TensorError("\(path): member \(name) is truncated: needs \(size) bytes at byte \(dataStart), the file ends at \(bytes.count)")
            }
            let member = Array(bytes[dataStart..<(dataStart + size)])
            guard crc32(member) == UInt32(u32(at + 14)) else {
                throw TensorError("\(path): member \(name) is corrupt (CRC mismatch) at byte \(dataStart)")
            }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            arrays.append((key, try NumPyFormat.decode(member, source: "\(path)[\(key)]")))
            at = dataStart + size
        }
        if arrays.isEmpty { throw TensorError("\(path): not an .npz archive (no ZIP entries at byte 0)") }
        return arrays
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// CRC-32 (IEEE 802.3), as ZIP requires.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
