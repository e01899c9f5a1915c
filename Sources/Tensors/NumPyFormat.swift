import Foundation

/// NumPy's `.npy` format (version 1.0): a magic string, a Python-dict header giving dtype,
/// order and shape, then the raw little-endian elements.
public enum NumPyFormat {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The `.npy` bytes of a tensor.
    public static func encode<Scalar: TensorScalar>(_ t: Tensor<Scalar>) -> [UInt8] {
        let descr = Scalar.self == Float.self ? "<f4" : "<f8"
        let shape = t.shape.count == 1 ? "(\(t.shape[0]),)" : "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }"
        // Magic (6) + version (2) + length (2) + header + '\n' must be a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = magic + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        t.scalars.withUnsafeBytes { bytes += Array($0) }
        return bytes
    }

    /// A tensor from `.npy` bytes holding `float32`, `float64` or integer data (converted).
    /// `source` names the file in errors.
    public static func decode<Scalar: TensorScalar>(_ bytes: [UInt8], source: String = "array") throws -> Tensor<Scalar> {
        func fail(_ what: String, at offset: Int) -> TensorError {
            TensorError("\(source): \(what) (byte \(offset))")
        }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a .npy array: missing magic string", at: 0) }
        let major = bytes[6]
        let headerStart = major == 1 ? 10 : 12
        guard major >= 1 && major <= 3, bytes.count >= headerStart else { throw fail("unsupported .npy version \(major)", at: 6) }
        let headerLength =
            major == 1
            ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard bytes.count >= headerStart + headerLength else { throw fail("truncated header", at: bytes.count) }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header).map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }) else {
            throw fail("header has no 'descr'", at: headerStart)
        }
        if field("fortran_order", in: header) == "True" { throw fail("Fortran-ordered arrays are not supported", at: headerStart) }
        guard let shapeText = header.range(of: #"\([0-9, ]*\)"#, options: .regularExpression).map({ String(header[$0]) }) else {
            throw fail("header has no shape", at: headerStart)
        }
        let shape = shapeText.dropFirst().dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = headerStart + headerLength
        let width: Int
        let read: (UnsafeRawBufferPointer, Int) -> Double
        switch descr {
        case "<f4", "|f4": width = 4; read = { Double($0.loadUnaligned(fromByteOffset: $1 * 4, as: Float.self)) }
        case "<f8", "|f8": width = 8; read = { $0.loadUnaligned(fromByteOffset: $1 * 8, as: Double.self) }
        case "<i8": width = 8; read = { Double($0.loadUnaligned(fromByteOffset: $1 * 8, as: Int64.self)) }
        case "<i4": width = 4; read = { Double($0.loadUnaligned(fromByteOffset: $1 * 4, as: Int32.self)) }
        case "|u1": width = 1; read = { Double($0[$1]) }
        default: throw fail("unsupported dtype \(descr) (float32, float64, int32, int64 and uint8 are)", at: headerStart)
        }
        guard bytes.count - body >= count * width else {
            throw fail("truncated data: shape \(shape) needs \(count * width) bytes, \(bytes.count - body) present", at: bytes.count)
        }
        let values = bytes[body..<(body + count * width)].withUnsafeBytes { raw in
            (0..<count).map { Scalar(read(raw, $0)) }
        }
        return try Tensor(shape: shape, scalars: values)
    }

    /// The text after `'key':` up to the next comma at depth 0.
    static func field(_ key: String, in header: String) -> String? {
        guard let r = header.range(of: "'\(key)':") else { return nil }
        let rest = header[r.upperBound...].drop { $0 == " " }
        return String(rest.prefix { $0 != "," && $0 != "}" }).trimmingCharacters(in: .whitespaces)
    }
}
