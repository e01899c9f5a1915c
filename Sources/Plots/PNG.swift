/// PNG encoding (8-bit RGB, no interlace) with zlib "stored" deflate blocks, and a decoder
/// for the same subset so files can be checked by reading them back.
///
/// Layout: signature, IHDR, IDAT (zlib: header 0x78 0x01, stored blocks of ≤ 65 535 bytes,
/// Adler-32), IEND; every chunk carries a CRC-32 of its type and data. Each scanline starts
/// with filter byte 0 (none).
public enum PNG {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    public static func encode(_ canvas: Canvas) -> [UInt8] {
        var raw: [UInt8] = []
        raw.reserveCapacity(canvas.height * (canvas.width * 3 + 1))
        for y in 0..<canvas.height {
            raw.append(0)
            raw += canvas.pixels[(y * canvas.width * 3)..<((y + 1) * canvas.width * 3)]
        }
        var zlib: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            let last: UInt8 = offset + n == raw.count ? 1 : 0
            zlib += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        zlib += bigEndian(adler32(raw))
        var out = signature
        out += chunk("IHDR", bigEndian(UInt32(canvas.width)) + bigEndian(UInt32(canvas.height)) + [8, 2, 0, 0, 0])
        out += chunk("IDAT", zlib)
        out += chunk("IEND", [])
        return out
    }

    public enum DecodeError: Error, Equatable { case notPNG, badCRC(String), unsupported(String), corrupt(String) }

    /// Decodes PNGs written by `encode` (stored deflate, filter 0, 8-bit RGB).
    public static func decode(_ bytes: [UInt8]) throws -> Canvas {
        guard bytes.count > 8, Array(bytes[0..<8]) == signature else { throw DecodeError.notPNG }
        var pos = 8
        var width = 0, height = 0
        var idat: [UInt8] = []
        var sawEnd = false
        while pos + 12 <= bytes.count {
            let length = Int(readBigEndian(bytes, pos))
            guard pos + 12 + length <= bytes.count else { throw DecodeError.corrupt("chunk runs past the end") }
            let type = String(decoding: bytes[(pos + 4)..<(pos + 8)], as: UTF8.self)
            let data = Array(bytes[(pos + 8)..<(pos + 8 + length)])
            guard crc32(Array(bytes[(pos + 4)..<(pos + 8)]) + data) == readBigEndian(bytes, pos + 8 + length) else { throw DecodeError.badCRC(type) }
            switch type {
            case "IHDR":
                width = Int(readBigEndian(data, 0)); height = Int(readBigEndian(data, 4))
                guard data[8] == 8, data[9] == 2, data[12] == 0 else { throw DecodeError.unsupported("only 8-bit RGB, non-interlaced") }
            case "IDAT": idat += data
            case "IEND": sawEnd = true
            default: break
            }
            pos += 12 + length
        }
        guard sawEnd, width > 0, height > 0, idat.count >= 6, idat[0] == 0x78 else { throw DecodeError.corrupt("missing header, data or end") }
        var raw: [UInt8] = []
        var p = 2
        while true {
            guard p + 5 <= idat.count else { throw DecodeError.corrupt("truncated deflate stream") }
            let header = idat[p]
            guard header & 0b110 == 0 else { throw DecodeError.unsupported("compressed deflate blocks") }
            let n = Int(idat[p + 1]) | Int(idat[p + 2]) << 8
            let nComplement = Int(idat[p + 3]) | Int(idat[p + 4]) << 8
            guard n ^ 0xFFFF == nComplement, p + 5 + n <= idat.count else { throw DecodeError.corrupt("bad stored block length") }
            raw += idat[(p + 5)..<(p + 5 + n)]
            p += 5 + n
            if header & 1 == 1 { break }
        }
        guard p + 4 <= idat.count, adler32(raw) == readBigEndian(idat, p) else { throw DecodeError.corrupt("Adler-32 mismatch") }
        guard raw.count == height * (width * 3 + 1) else { throw DecodeError.corrupt("image data has the wrong size") }
        var canvas = Canvas(width: width, height: height)
        for y in 0..<height {
            let row = y * (width * 3 + 1)
            guard raw[row] == 0 else { throw DecodeError.unsupported("scanline filter \(raw[row])") }
            canvas.pixels.replaceSubrange((y * width * 3)..<((y + 1) * width * 3), with: raw[(row + 1)..<(row + 1 + width * 3)])
        }
        return canvas
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let t = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + t + data + bigEndian(crc32(t + data))
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func readBigEndian(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// Adler-32: two running sums modulo 65 521.
    static func adler32(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for chunkStart in stride(from: 0, to: data.count, by: 5552) {
            for byte in data[chunkStart..<min(chunkStart + 5552, data.count)] { a += UInt32(byte); b += a }
            a %= 65_521; b %= 65_521
        }
        return b << 16 | a
    }
}
