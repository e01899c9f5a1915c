import Foundation

/// Pictures drawn in the terminal itself, for terminals that speak one of three image
/// protocols; text plots remain the fallback everywhere else.
///
/// - kitty: the kitty graphics protocol, a PNG sent base64-encoded in chunks of at most
///   4,096 characters: `ESC _ G f=100,a=T,m=1 ; data ESC \`, then `ESC _ G m=1 ; data ESC \`
///   …, the last with `m=0`.
/// - iterm: iTerm2's inline images (also WezTerm and others): `ESC ] 1337 ; File=inline=1;
///   size=N : base64 BEL`.
/// - sixel: DEC sixel graphics, `ESC P q`, raster attributes, a palette of up to 216 colours
///   (a 6×6×6 cube) and bands of six pixel rows, ending `ESC \`.
public enum InlineImageProtocol: String, Sendable, CaseIterable {
    case kitty, iterm, sixel, off

    /// The protocol the terminal most likely speaks, from the environment alone (no query is
    /// sent to the terminal). `GRADSCHOOL_IMAGES` (kitty, iterm, sixel or off) overrides it.
    public static func detect(environment: [String: String] = ProcessInfo.processInfo.environment) -> InlineImageProtocol {
        if let forced = environment["GRADSCHOOL_IMAGES"]?.lowercased(), let p = InlineImageProtocol(rawValue: forced) { return p }
        let term = environment["TERM"]?.lowercased() ?? ""
        let program = environment["TERM_PROGRAM"]?.lowercased() ?? ""
        // Inside tmux or screen the escape sequences would need wrapping: stay with text.
        if environment["TMUX"] != nil || term.hasPrefix("screen") || term.hasPrefix("tmux") { return .off }
        if environment["KITTY_WINDOW_ID"] != nil || term == "xterm-kitty" || term.contains("ghostty") || program == "ghostty" { return .kitty }
        if program == "iterm.app" || environment["LC_TERMINAL"] == "iTerm2" || program == "wezterm" { return .iterm }
        if term.contains("sixel") || term == "foot" || term.hasPrefix("mlterm") || term == "yaft-256color" || program == "mintty" { return .sixel }
        return .off
    }

    /// The escape sequence that draws `canvas`, or nil for `.off`.
    public func encode(_ canvas: Canvas) -> String? {
        switch self {
        case .kitty: InlineImage.kitty(canvas)
        case .iterm: InlineImage.iterm(canvas)
        case .sixel: InlineImage.sixel(canvas)
        case .off: nil
        }
    }
}

public enum InlineImage {
    static let escape = "\u{1B}"

    /// The kitty graphics protocol: the PNG in base64 chunks of 4,096 characters.
    public static func kitty(_ canvas: Canvas) -> String {
        let data = Data(PNG.encode(canvas)).base64EncodedString()
        var out = ""
        var start = data.startIndex
        var first = true
        while start < data.endIndex {
            let end = data.index(start, offsetBy: 4096, limitedBy: data.endIndex) ?? data.endIndex
            let more = end < data.endIndex ? 1 : 0
            let control = first ? "f=100,a=T,m=\(more)" : "m=\(more)"
            out += "\(escape)_G\(control);\(data[start..<end])\(escape)\\"
            first = false
            start = end
        }
        return out
    }

    /// iTerm2's inline image: the whole PNG, base64, in one OSC 1337 sequence.
    public static func iterm(_ canvas: Canvas) -> String {
        let png = PNG.encode(canvas)
        return "\(escape)]1337;File=inline=1;size=\(png.count);preserveAspectRatio=1:\(Data(png).base64EncodedString())\u{07}"
    }

    /// The 6×6×6 cube index of a colour (levels 0, 51, …, 255).
    static func cubeIndex(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        func level(_ v: UInt8) -> Int { (Int(v) * 5 + 127) / 255 }
        return level(r) * 36 + level(g) * 6 + level(b)
    }

    /// DEC sixel: each band covers six rows; within a band, one pass per colour used, each
    /// column a character 63 + (bit k set when row k of the band has that colour), runs of a
    /// repeated character written `!count char`, `$` to return to the band's start and `-`
    /// to go to the next band.
    public static func sixel(_ canvas: Canvas) -> String {
        let (w, h) = (canvas.width, canvas.height)
        var indices = [Int](repeating: 0, count: w * h)
        var used = Set<Int>()
        for i in 0..<(w * h) {
            let c = cubeIndex(canvas.pixels[3 * i], canvas.pixels[3 * i + 1], canvas.pixels[3 * i + 2])
            indices[i] = c
            used.insert(c)
        }
        var out = "\(escape)Pq\"1;1;\(w);\(h)"
        for c in used.sorted() {
            // Palette entries in percent: level × 20.
            out += "#\(c);2;\((c / 36) * 20);\((c / 6 % 6) * 20);\((c % 6) * 20)"
        }
        for top in stride(from: 0, to: h, by: 6) {
            let rows = top..<min(top + 6, h)
            var bandColours = Set<Int>()
            for y in rows { for x in 0..<w { bandColours.insert(indices[y * w + x]) } }
            var passes: [String] = []
            for c in bandColours.sorted() {
                var line = "#\(c)"
                var run: (char: Character, count: Int)?
                func flush() {
                    guard let r = run else { return }
                    line += r.count > 3 ? "!\(r.count)\(r.char)" : String(repeating: r.char, count: r.count)
                }
                for x in 0..<w {
                    var bits = 0
                    for y in rows where indices[y * w + x] == c { bits |= 1 << (y - top) }
                    let char = Character(UnicodeScalar(UInt8(63 + bits)))
                    if run?.char == char {
                        run!.count += 1
                    } else {
                        flush()
                        run = (char, 1)
                    }
                }
                flush()
                passes.append(line)
            }
            out += passes.joined(separator: "$") + "-"
        }
        return out + "\(escape)\\"
    }
}
