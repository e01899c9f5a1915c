import Foundation

/// Images `[N, C, H, W]` (C = 1 or 3) laid out in a grid, each scaled to its own min…max:
/// in the terminal as half blocks (▀, the top pixel as foreground colour and the bottom one
/// as background, so one character shows two pixel rows), or as a PNG.
public struct ImageGrid: Sendable {
    public let images: [[Double]]
    public let channels: Int, height: Int, width: Int
    /// Each image's smallest finite value and the span to its largest (1 when flat), found once.
    let ranges: [(low: Double, span: Double)]

    public init(scalars: [Double], shape: [Int], limit: Int = 64) throws {
        guard shape.count == 4, shape[1] == 1 || shape[1] == 3 else {
            throw PlotError("images must have shape [N, 1 or 3, H, W], got \(shape)")
        }
        let n = min(shape[0], limit), size = shape[1] * shape[2] * shape[3]
        images = (0..<n).map { Array(scalars[($0 * size)..<(($0 + 1) * size)]) }
        channels = shape[1]; height = shape[2]; width = shape[3]
        ranges = images.map { image in
            let finite = image.filter(\.isFinite)
            let low = finite.min() ?? 0, high = finite.max() ?? 1
            return (low, high > low ? high - low : 1)
        }
    }

    /// Colour of pixel (y, x) of image i, min–max scaled per image (NaN and ±inf draw black).
    func pixel(_ i: Int, _ y: Int, _ x: Int) -> RGB {
        let img = images[i], (low, span) = ranges[i]
        func v(_ c: Int) -> UInt8 {
            let scaled = (img[(c * height + y) * width + x] - low) / span * 255
            return scaled.isFinite ? UInt8(max(0, min(255, scaled))) : 0
        }
        return channels == 3 ? RGB(v(0), v(1), v(2)) : RGB(v(0), v(0), v(0))
    }

    /// Images wider than the terminal are drawn from every `step`-th pixel in each direction,
    /// so the work and the output stay proportional to the screen, not the image.
    public func terminal(columns: Int = 80, color: Bool = true) -> String {
        guard !images.isEmpty else { return "(no images)" }
        let step = max(1, (width + max(8, columns - 1) - 1) / max(8, columns - 1))
        let xs = Array(stride(from: 0, to: width, by: step)), ys = Array(stride(from: 0, to: height, by: step))
        let perRow = max(1, columns / (xs.count + 1))
        let ramp = Array(" .:-=+*#%@")
        var lines: [String] = []
        for start in stride(from: 0, to: images.count, by: perRow) {
            let group = Array(start..<min(start + perRow, images.count))
            for row in stride(from: 0, to: ys.count, by: 2) {
                var line = ""
                for i in group {
                    for x in xs {
                        let top = pixel(i, ys[row], x), bottom = row + 1 < ys.count ? pixel(i, ys[row + 1], x) : RGB.black
                        if color {
                            line += "\u{1B}[38;2;\(top.r);\(top.g);\(top.b)m\u{1B}[48;2;\(bottom.r);\(bottom.g);\(bottom.b)m▀"
                        } else {
                            let l = (Int(top.r) + Int(top.g) + Int(top.b) + Int(bottom.r) + Int(bottom.g) + Int(bottom.b)) / 6
                            line.append(ramp[min(ramp.count - 1, l * ramp.count / 256)])
                        }
                    }
                    line += color ? "\u{1B}[0m " : " "
                }
                lines.append(line)
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// A PNG canvas with each pixel drawn as a `scale × scale` block, one pixel of gap.
    public func canvas(scale requested: Int = 4, perRow: Int = 8) -> Canvas {
        // Large images are drawn at one pixel per pixel rather than scaled up.
        let scale = max(height, width) * requested > 1024 ? 1 : requested
        let cols = min(perRow, max(1, images.count)), rows = (images.count + cols - 1) / cols
        let cell = width * scale + 2
        var c = Canvas(width: cols * cell, height: max(1, rows) * (height * scale + 2), background: .white)
        for i in images.indices {
            let ox = (i % cols) * cell, oy = (i / cols) * (height * scale + 2)
            for y in 0..<height { for x in 0..<width { c.fill(x: ox + x * scale, y: oy + y * scale, width: scale, height: scale, pixel(i, y, x)) } }
        }
        return c
    }
}

public struct PlotError: Error, CustomStringConvertible {
    public let message: String
    public init(_ m: String) { message = m }
    public var description: String { message }
}

/// The terminal's width in columns (`COLUMNS`, else the tty, else 80).
public var terminalColumns: Int {
    if let c = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(c), n > 20 { return n }
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
    return 80
}
