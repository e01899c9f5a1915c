import Foundation

/// Several named series of y values (x = index) or of (x, y) points, drawn as lines or dots.
///
/// The same chart renders to the terminal (braille dots, 2 × 4 per character cell), to PNG
/// and to SVG. A log-scale y axis plots log₁₀ y and drops non-positive values.
public struct Chart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var classes: [Int]?
        public init(name: String, y: [Double]) {
            self.name = name
            points = y.enumerated().map { (Double($0.offset), $0.element) }
        }
        public init(name: String, points: [(x: Double, y: Double)], classes: [Int]? = nil) {
            self.name = name
            self.points = points
            self.classes = classes
        }
    }

    public var series: [Series]
    public var logY = false
    public var title = ""
    /// Names of the axes, drawn under the x axis and beside the y axis ("" draws none).
    public var xLabel = ""
    public var yLabel = ""
    /// Dots only (scatter plots); lines otherwise.
    public var scatter = false

    public init(series: [Series], logY: Bool = false, title: String = "", scatter: Bool = false) {
        self.series = series
        self.logY = logY
        self.title = title
        self.scatter = scatter
    }

    /// Finite points in plot coordinates (log₁₀ y when `logY`).
    func plotted(_ s: Series) -> [(x: Double, y: Double, k: Int)] {
        s.points.enumerated().compactMap { i, p in
            let y = logY ? (p.y > 0 ? log10(p.y) : .nan) : p.y
            guard p.x.isFinite, y.isFinite else { return nil }
            return (p.x, y, s.classes?[i] ?? -1)
        }
    }

    /// Data bounds, padded when flat.
    var bounds: (x0: Double, x1: Double, y0: Double, y1: Double)? {
        let all = series.flatMap(plotted)
        guard let first = all.first else { return nil }
        var b = (x0: first.x, x1: first.x, y0: first.y, y1: first.y)
        for p in all { b.x0 = min(b.x0, p.x); b.x1 = max(b.x1, p.x); b.y0 = min(b.y0, p.y); b.y1 = max(b.y1, p.y) }
        if b.x1 == b.x0 { b.x1 += 1 }
        if b.y1 == b.y0 { b.y0 -= 0.5; b.y1 += 0.5 }
        return b
    }

    func label(_ y: Double) -> String {
        let v = logY ? pow(10, y) : y
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-2 { return String(format: "%.1e", v) }
        return String(format: "%.3g", v)
    }

    // MARK: terminal

    /// Braille rendering `width` characters wide, with y labels, an x range line and a legend.
    public func terminal(width: Int = 72, height: Int = 14, color: Bool = true) -> String {
        guard let b = bounds else { return "(nothing to plot: no finite values)" }
        let labelWidth = max(label(b.y1).count, label(b.y0).count) + 1
        let cols = max(10, width - labelWidth - 2), rows = max(4, height)
        var dots = [[UInt8]](repeating: [UInt8](repeating: 0, count: cols), count: rows)
        var owner = [[Int]](repeating: [Int](repeating: -1, count: cols), count: rows)
        let bitFor: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        func plot(_ px: Int, _ py: Int, _ s: Int) {
            guard px >= 0, py >= 0, px < cols * 2, py < rows * 4 else { return }
            let (c, r) = (px / 2, py / 4)
            dots[r][c] |= bitFor[py % 4][px % 2]
            owner[r][c] = s
        }
        func toPixel(_ x: Double, _ y: Double) -> (Int, Int) {
            (pixel(fraction(x, b.x0, b.x1), cols * 2 - 1), pixel(1 - fraction(y, b.y0, b.y1), rows * 4 - 1))
        }
        for (si, s) in series.enumerated() {
            let pts = plotted(s)
            var previous: (Int, Int)?
            for p in pts {
                let q = toPixel(p.x, p.y)
                let colorIndex = p.k >= 0 ? p.k : si
                if !scatter, let prev = previous {
                    let steps = max(abs(q.0 - prev.0), abs(q.1 - prev.1), 1)
                    for t in 0...steps {
                        plot(prev.0 + (q.0 - prev.0) * t / steps, prev.1 + (q.1 - prev.1) * t / steps, colorIndex)
                    }
                } else {
                    plot(q.0, q.1, colorIndex)
                }
                previous = q
            }
        }
        let ansi = [34, 33, 32, 31, 35, 36, 91, 92, 93, 94]
        var lines: [String] = []
        if !title.isEmpty { lines.append(String(repeating: " ", count: labelWidth + 1) + title) }
        for r in 0..<rows {
            let yLabel = r == 0 ? label(b.y1) : r == rows - 1 ? label(b.y0) : ""
            var line = yLabel.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + "┤"
            for c in 0..<cols {
                let ch = dots[r][c] == 0 ? " " : String(UnicodeScalar(0x2800 + UInt32(dots[r][c]))!)
                if color && dots[r][c] != 0 { line += "\u{1B}[\(ansi[owner[r][c] % ansi.count])m\(ch)\u{1B}[0m" } else { line += ch }
            }
            lines.append(line)
        }
        let left = String(format: "%g", b.x0), right = String(format: "%g", b.x1)
        lines.append(String(repeating: " ", count: labelWidth) + "└" + String(repeating: "─", count: cols))
        lines.append(String(repeating: " ", count: labelWidth + 1) + left + String(repeating: " ", count: max(1, cols - left.count - right.count)) + right)
        if series.count > 1 || (series.first.map { !$0.name.isEmpty } ?? false) {
            let legend = series.enumerated().map { i, s in
                color ? "\u{1B}[\(ansi[i % ansi.count])m⣿\u{1B}[0m \(s.name)" : "[\(i + 1)] \(s.name)"
            }
            lines.append(String(repeating: " ", count: labelWidth + 1) + legend.joined(separator: "   ") + (logY ? "   (log scale)" : ""))
        }
        return lines.joined(separator: "\n")
    }

    // MARK: files

    /// A raster for PNG output: axes, grid lines at the quarter marks, one colour per series.
    public func canvas(width: Int = 640, height: Int = 400) -> Canvas {
        var c = Canvas(width: width, height: height)
        let scale = 2, glyph = (PixelFont.glyphHeight) * scale
        var ticks: [String] = []
        if let b = bounds {
            for q in 0...4 {
                let t = Double(q) / 4
                ticks.append(label(b.y0 * (1 - t) + b.y1 * t))
            }
        }
        let tickWidth = ticks.map { PixelFont.width(of: $0, scale: scale) }.max() ?? 0
        let yTitle = yLabel.isEmpty ? 0 : glyph + 8
        let left = max(50, tickWidth + 14 + yTitle), right = width - 20
        let top = title.isEmpty ? 20 : 20 + glyph + 6
        let bottom = height - 40 - (xLabel.isEmpty ? 0 : glyph + 6)
        if !title.isEmpty {
            c.text(title, x: max(2, (width - PixelFont.width(of: title, scale: scale)) / 2), y: 10, scale: scale)
        }
        c.line(left, bottom, right, bottom, .black)
        c.line(left, top, left, bottom, .black)
        for q in 1...3 {
            let y = top + (bottom - top) * q / 4
            for x in stride(from: left, to: right, by: 4) { c.set(x, y, RGB(220, 220, 220)) }
        }
        guard let b = bounds else { return c }
        // Tick values at the quarter marks of both axes, as in the SVG.
        for q in 0...4 {
            let yy = bottom - (bottom - top) * q / 4
            c.line(left - 4, yy, left, yy, .black)
            c.text(ticks[q], x: left - 8 - PixelFont.width(of: ticks[q], scale: scale), y: yy - glyph / 2, scale: scale)
            let t = Double(q) / 4
            let xValue = String(format: "%g", b.x0 * (1 - t) + b.x1 * t)
            let xx = left + (right - left) * q / 4
            c.line(xx, bottom, xx, bottom + 4, .black)
            c.text(xValue, x: xx - PixelFont.width(of: xValue, scale: scale) / 2, y: bottom + 8, scale: scale)
        }
        if !xLabel.isEmpty {
            c.text(xLabel, x: left + (right - left - PixelFont.width(of: xLabel, scale: scale)) / 2, y: bottom + 8 + glyph + 6, scale: scale)
        }
        if !yLabel.isEmpty {
            // Written vertically, one character under another, left of the tick values.
            for (k, ch) in yLabel.enumerated() {
                c.text(String(ch), x: 4, y: top + k * (glyph + 2), scale: scale)
            }
        }
        func px(_ x: Double, _ y: Double) -> (Int, Int) {
            (left + pixel(fraction(x, b.x0, b.x1), right - left), bottom - pixel(fraction(y, b.y0, b.y1), bottom - top))
        }
        var legendX = left
        for (si, s) in series.enumerated() {
            var previous: (Int, Int)?
            for p in plotted(s) {
                let q = px(p.x, p.y)
                let col = RGB.palette[(p.k >= 0 ? p.k : si) % RGB.palette.count]
                if scatter { c.fill(x: q.0 - 1, y: q.1 - 1, width: 3, height: 3, col) } else if let prev = previous { c.line(prev.0, prev.1, q.0, q.1, col) }
                previous = q
            }
            let colour = RGB.palette[si % RGB.palette.count]
            c.fill(x: legendX, y: height - 20, width: 20, height: 8, colour)
            c.text(s.name, x: legendX + 26, y: height - 21, scale: scale)
            legendX += 26 + PixelFont.width(of: s.name, scale: scale) + 20
        }
        return c
    }

    /// An SVG document with axes, tick labels, title and legend.
    public func svg(width: Int = 640, height: Int = 400) -> String {
        let (left, right, top, bottom) = (70.0, Double(width) - 20, 30.0, Double(height) - 50)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" font-family=\"sans-serif\" font-size=\"12\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(width / 2)\" y=\"18\" text-anchor=\"middle\">\(escape(title))</text>\n"
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"black\"/><line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"black\"/>\n"
        guard let b = bounds else { return out + "</svg>\n" }
        func px(_ x: Double, _ y: Double) -> String {
            String(format: "%.1f,%.1f", left + fraction(x, b.x0, b.x1) * (right - left), bottom - fraction(y, b.y0, b.y1) * (bottom - top))
        }
        for q in 0...4 {
            let y = b.y0 + (b.y1 - b.y0) * Double(q) / 4, yy = bottom - (bottom - top) * Double(q) / 4
            out += "<text x=\"\(left - 6)\" y=\"\(String(format: "%.1f", yy + 4))\" text-anchor=\"end\">\(label(y))</text>\n"
            let x = b.x0 + (b.x1 - b.x0) * Double(q) / 4, xx = left + (right - left) * Double(q) / 4
            out += "<text x=\"\(String(format: "%.1f", xx))\" y=\"\(bottom + 16)\" text-anchor=\"middle\">\(String(format: "%g", x))</text>\n"
        }
        for (si, s) in series.enumerated() {
            let pts = plotted(s)
            let colour = RGB.palette[si % RGB.palette.count].hex
            if scatter {
                for p in pts {
                    let xy = px(p.x, p.y).split(separator: ",")
                    out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"2\" fill=\"\(RGB.palette[(p.k >= 0 ? p.k : si) % RGB.palette.count].hex)\"/>\n"
                }
            } else {
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(pts.map { px($0.x, $0.y) }.joined(separator: " "))\"/>\n"
            }
            out += "<rect x=\"\(Int(left) + si * 140)\" y=\"\(height - 22)\" width=\"12\" height=\"12\" fill=\"\(colour)\"/><text x=\"\(Int(left) + 16 + si * 140)\" y=\"\(height - 12)\">\(escape(s.name))</text>\n"
        }
        return out + "</svg>\n"
    }
}

func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
}

/// Counts of values in equal-width bins, drawn as horizontal bars.
public struct Histogram: Sendable {
    public let counts: [Int]
    public let low: Double, high: Double
    public let title: String

    public init(_ values: [Double], bins: Int = 20, title: String = "") {
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        var counts = [Int](repeating: 0, count: max(1, bins))
        for v in finite {
            let bin = hi > lo ? (fraction(v, lo, hi) * Double(counts.count)).rounded(.down) : 0
            counts[bin.isFinite ? Int(max(0, min(Double(counts.count - 1), bin))) : 0] += 1
        }
        self.counts = counts
        low = lo; high = hi > lo ? hi : lo + 1
        self.title = title
    }

    public func terminal(width: Int = 60) -> String {
        let top = counts.max() ?? 1
        let barWidth = max(10, width - 22)
        var lines = title.isEmpty ? [] : [title]
        for (i, c) in counts.enumerated() {
            // Interpolated as low·(1 − t) + high·t, which stays finite when high − low overflows.
            let t = Double(i) / Double(counts.count), edge = low * (1 - t) + high * t
            let bar = String(repeating: "█", count: top > 0 ? Int((Double(c) / Double(top) * Double(barWidth)).rounded()) : 0)
            lines.append(String(format: "%10.3g │", edge) + bar + " \(c)")
        }
        return lines.joined(separator: "\n")
    }

    public func chart() -> Chart {
        Chart(series: [.init(name: title, y: counts.map(Double.init))], title: title)
    }
}

/// Where `v` lies between `low` and `high` (0 at low, 1 at high), computed on halves when
/// the span itself overflows (a plot from -1e308 to 1e308).
func fraction(_ v: Double, _ low: Double, _ high: Double) -> Double {
    let span = high - low
    if span.isFinite { return span > 0 ? (v - low) / span : 0.5 }
    return (v / 2 - low / 2) / (high / 2 - low / 2)
}

/// A fraction scaled to `0...last` and rounded; a value off the chart lands just outside it
/// (where drawing clips it), and NaN at 0, so no conversion traps.
func pixel(_ f: Double, _ last: Int) -> Int {
    let scaled = (f * Double(last)).rounded()
    guard scaled.isFinite else { return 0 }
    return Int(max(-1, min(Double(last + 1), scaled)))
}
