import Foundation
import ZIPFoundation

/// PNG encoding (8-bit RGB, no interlace, filter "sub" on every scanline, deflate by zlib
/// through ZIPFoundation) and a decoder for what it writes (and for stored blocks), so files
/// can be checked by reading them back.
///
/// Layout: signature, IHDR, IDAT (a zlib stream: header 0x78 0x9C, raw deflate, Adler-32),
/// IEND; every chunk carries a CRC-32 of its type and data. The "sub" filter stores each
/// byte minus the byte three to its left, which turns a plot's flat runs into zeros that
/// deflate packs tightly.
public enum PNG {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]

    public static func encode(_ canvas: Canvas) -> [UInt8] {
        let stride = canvas.width * 3
        var raw: [UInt8] = []
        raw.reserveCapacity(canvas.height * (stride + 1))
        for y in 0..<canvas.height {
            raw.append(1)
            let row = y * stride
            for i in 0..<stride {
                let left: UInt8 = i >= 3 ? canvas.pixels[row + i - 3] : 0
                raw.append(canvas.pixels[row + i] &- left)
            }
        }
        var zlib: [UInt8] = [0x78, 0x9C]
        zlib += deflate(raw)
        zlib += bigEndian(adler32(raw))
        var out = signature
        out += chunk("IHDR", bigEndian(UInt32(canvas.width)) + bigEndian(UInt32(canvas.height)) + [8, 2, 0, 0, 0])
        out += chunk("IDAT", zlib)
        out += chunk("IEND", [])
        return out
    }

    /// Raw deflate (RFC 1951) of `bytes`.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        let input = Data(bytes)
        var output = Data()
        do {
            _ = try Data.compress(
                size: Int64(input.count), bufferSize: 64 << 10,
                provider: { position, size in
                    input.subdata(in: Int(position)..<(Int(position) + size))
                }, consumer: { output.append($0) })
        } catch {
            return storedDeflate(bytes)
        }
        return [UInt8](output)
    }

    /// Deflate with stored (uncompressed) blocks only: the fallback if compression fails.
    static func storedDeflate(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        repeat {
            let n = min(65_535, raw.count - offset)
            let last: UInt8 = offset + n == raw.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += raw[offset..<(offset + n)]
            offset += n
        } while offset < raw.count
        return out
    }

    /// Inflates a raw deflate stream.
    static func inflate(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        let input = Data(bytes)
        var output = Data()
        _ = try Data.decompress(
            size: Int64(input.count), bufferSize: 64 << 10, skipCRC32: true,
            provider: { position, size in
                input.subdata(in: Int(position)..<min(input.count, Int(position) + size))
            }, consumer: { output.append($0) })
        return [UInt8](output)
    }

    public enum DecodeError: Error, Equatable { case notPNG, badCRC(String), unsupported(String), corrupt(String) }

    /// Decodes PNGs written by `encode` (8-bit RGB, filters none and sub).
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
        let raw: [UInt8]
        do { raw = try inflate(idat[2..<(idat.count - 4)]) } catch { throw DecodeError.corrupt("bad deflate stream") }
        guard adler32(raw) == readBigEndian(idat, idat.count - 4) else { throw DecodeError.corrupt("Adler-32 mismatch") }
        guard raw.count == height * (width * 3 + 1) else { throw DecodeError.corrupt("image data has the wrong size") }
        var canvas = Canvas(width: width, height: height)
        for y in 0..<height {
            let row = y * (width * 3 + 1), out = y * width * 3
            switch raw[row] {
            case 0: canvas.pixels.replaceSubrange(out..<(out + width * 3), with: raw[(row + 1)..<(row + 1 + width * 3)])
            case 1:
                for i in 0..<(width * 3) {
                    canvas.pixels[out + i] = raw[row + 1 + i] &+ (i >= 3 ? canvas.pixels[out + i - 3] : 0)
                }
            default: throw DecodeError.unsupported("scanline filter \(raw[row])")
            }
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
