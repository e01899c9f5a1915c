import Foundation
import Testing

@testable import Plots

/// The three inline-image protocols, checked by decoding what they emit back to pixels.
@Suite struct InlineImageTests {
    /// 7 × 9 pixels: red, green, blue and white stripes by column, black on the last row.
    static func stripes() -> Canvas {
        var c = Canvas(width: 7, height: 9)
        let colours: [RGB] = [RGB(255, 0, 0), RGB(0, 255, 0), RGB(0, 0, 255), .white]
        for y in 0..<9 { for x in 0..<7 { c.set(x, y, y == 8 ? RGB(0, 0, 0) : colours[x % 4]) } }
        return c
    }

    @Test("kitty: base64 PNG in chunks of at most 4096, f=100,a=T on the first, m=0 only on the last")
    func kittyChunks() throws {
        var big = Canvas(width: 120, height: 90)
        var state: UInt32 = 1
        for y in 0..<90 {
            for x in 0..<120 {
                state = state &* 1_664_525 &+ 1_013_904_223
                big.set(x, y, RGB(UInt8(state >> 24), UInt8((state >> 16) & 255), UInt8((state >> 8) & 255)))
            }
        }
        let sequence = InlineImage.kitty(big)
        let chunks = sequence.components(separatedBy: "\u{1B}\\").filter { !$0.isEmpty }
        #expect(chunks.count > 1, "a 120×90 PNG of random pixels needs several chunks")
        var payload = ""
        for (i, chunk) in chunks.enumerated() {
            #expect(chunk.hasPrefix("\u{1B}_G"))
            let body = chunk.dropFirst(3)
            let parts = body.split(separator: ";", maxSplits: 1).map(String.init)
            let control = parts[0], data = parts[1]
            #expect(data.count <= 4096)
            let last = i == chunks.count - 1
            #expect(control == (i == 0 ? "f=100,a=T,m=\(last ? 0 : 1)" : "m=\(last ? 0 : 1)"))
            payload += data
        }
        let png = try #require(Data(base64Encoded: payload))
        #expect(try PNG.decode(Array(png)).pixels == big.pixels)
    }

    @Test("iTerm2: one OSC 1337 sequence whose size is the PNG's byte count")
    func iterm() throws {
        let canvas = Self.stripes()
        let sequence = InlineImage.iterm(canvas)
        #expect(sequence.hasPrefix("\u{1B}]1337;File=inline=1;size=") && sequence.hasSuffix("\u{07}"))
        let header = sequence.split(separator: ":", maxSplits: 1)
        let size = Int(header[0].components(separatedBy: "size=")[1].components(separatedBy: ";")[0])
        let png = try #require(Data(base64Encoded: String(header[1].dropLast())))
        #expect(size == png.count)
        #expect(try PNG.decode(Array(png)).pixels == canvas.pixels)
    }

    /// A sixel reader for the subset the encoder writes: palette `#i;2;r;g;b`, colour
    /// selection `#i`, sixel characters, `!n` repeats, `$` and `-`.
    static func decodeSixel(_ s: String) throws -> (width: Int, height: Int, pixels: [[Int]], palette: [Int: (Int, Int, Int)]) {
        #expect(s.hasPrefix("\u{1B}Pq\"1;1;") && s.hasSuffix("\u{1B}\\"))
        var body = Substring(s.dropFirst(4).dropLast(2))
        let raster = body.prefix { $0 != "#" }
        let dims = raster.split(separator: ";").map { Int($0)! }
        let (w, h) = (dims[2], dims[3])
        body = body.dropFirst(raster.count)
        var pixels = [[Int]](repeating: [Int](repeating: -1, count: w), count: h)
        var palette: [Int: (Int, Int, Int)] = [:]
        var colour = 0, x = 0, band = 0
        func number() -> Int {
            let digits = body.prefix { $0.isNumber }
            body = body.dropFirst(digits.count)
            return Int(digits) ?? 0
        }
        while let c = body.first {
            switch c {
            case "#":
                body = body.dropFirst()
                let n = number()
                if body.first == ";" {
                    body = body.dropFirst(3)  // ";2;"
                    let r = number(); body = body.dropFirst()
                    let g = number(); body = body.dropFirst()
                    let b = number()
                    palette[n] = (r, g, b)
                } else {
                    colour = n
                }
            case "$": body = body.dropFirst(); x = 0
            case "-": body = body.dropFirst(); x = 0; band += 1
            case "!":
                body = body.dropFirst()
                let n = number()
                let bits = Int(body.first!.asciiValue!) - 63
                body = body.dropFirst()
                for _ in 0..<n { paint(bits) }
            default:
                paint(Int(c.asciiValue!) - 63)
                body = body.dropFirst()
            }
        }
        func paint(_ bits: Int) {
            for k in 0..<6 where bits & (1 << k) != 0 { pixels[band * 6 + k][x] = colour }
            x += 1
        }
        return (w, h, pixels, palette)
    }

    @Test("sixel: decoding the output gives back every pixel's colour (in percent of full scale)")
    func sixelRoundTrip() throws {
        let canvas = Self.stripes()
        let decoded = try Self.decodeSixel(InlineImage.sixel(canvas))
        #expect(decoded.width == 7 && decoded.height == 9)
        for y in 0..<9 {
            for x in 0..<7 {
                let i = 3 * (y * 7 + x)
                let expected = (Int(canvas.pixels[i]) * 100 / 255, Int(canvas.pixels[i + 1]) * 100 / 255, Int(canvas.pixels[i + 2]) * 100 / 255)
                let got = try #require(decoded.palette[decoded.pixels[y][x]])
                #expect(got == expected, "pixel (\(x), \(y))")
            }
        }
    }

    @Test("detection from the environment, and GRADSCHOOL_IMAGES to force or disable")
    func detection() {
        #expect(InlineImageProtocol.detect(environment: ["TERM": "xterm-kitty"]) == .kitty)
        #expect(InlineImageProtocol.detect(environment: ["KITTY_WINDOW_ID": "1", "TERM": "xterm-256color"]) == .kitty)
        #expect(InlineImageProtocol.detect(environment: ["TERM_PROGRAM": "iTerm.app"]) == .iterm)
        #expect(InlineImageProtocol.detect(environment: ["TERM_PROGRAM": "WezTerm"]) == .iterm)
        #expect(InlineImageProtocol.detect(environment: ["TERM": "foot"]) == .sixel)
        #expect(InlineImageProtocol.detect(environment: ["TERM": "xterm-256color"]) == .off)
        #expect(InlineImageProtocol.detect(environment: ["TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"]) == .off)
        #expect(InlineImageProtocol.detect(environment: ["TERM": "xterm-kitty", "GRADSCHOOL_IMAGES": "off"]) == .off)
        #expect(InlineImageProtocol.detect(environment: ["TERM": "dumb", "GRADSCHOOL_IMAGES": "Sixel"]) == .sixel)
        #expect(InlineImageProtocol.off.encode(Self.stripes()) == nil)
    }
}
