import Foundation
import Plots
import TestSupport
import Testing

@Suite struct PlotTests {
    @Test func pngRoundTripsThroughItsDecoder() throws {
        var c = Canvas(width: 300, height: 250)
        c.line(0, 0, 299, 249, .black)
        c.set(5, 7, RGB(1, 2, 3))
        let bytes = PNG.encode(c)
        #expect(Array(bytes.prefix(8)) == [137, 80, 78, 71, 13, 10, 26, 10])
        let back = try PNG.decode(bytes)
        #expect(back.width == 300 && back.height == 250)
        #expect(back.pixels == c.pixels)
        var corrupt = bytes
        corrupt[40] ^= 0xFF
        #expect(throws: PNG.DecodeError.self) { try PNG.decode(corrupt) }
    }

    @Test func chartRendersEverywhere() throws {
        let chart = Chart(series: [.init(name: "loss", y: [2.3, 1.5, 1.0, 0.8]), .init(name: "val", y: [2.3, 1.7, 1.4, 1.3])], logY: true)
        let text = chart.terminal(width: 60, height: 8, color: false)
        #expect(text.split(separator: "\n").count == 8 + 3)
        #expect(text.contains("[1] loss") && text.contains("(log scale)"))
        #expect(text.unicodeScalars.contains { $0.value >= 0x2801 && $0.value <= 0x28FF })
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg") && svg.contains("<polyline") && svg.contains(">loss<"))
        let png = try PNG.decode(PNG.encode(chart.canvas()))
        // Some pixels carry the first series' colour.
        let blue = RGB.palette[0]
        #expect(stride(from: 0, to: png.pixels.count, by: 3).contains { png.pixels[$0] == blue.r && png.pixels[$0 + 1] == blue.g && png.pixels[$0 + 2] == blue.b })
        #expect(Chart(series: [.init(name: "", y: [.nan])]).terminal().contains("nothing to plot"))
    }

    @Test func histogramCountsEveryValue() {
        let h = Histogram([0, 0.1, 0.2, 0.9, 1.0], bins: 2)
        #expect(h.counts == [3, 2])
        expectClose([h.low, h.high], [0, 1], tolerance: 1e-15, "the range the bins span")
        // Each bar ends in its count: three values in [0, 0.5), two in [0.5, 1].
        let rows = h.terminal().split(separator: "\n").filter { $0.contains("│") }
        #expect(rows.map { $0.split(separator: " ").last.map(String.init) } == ["3", "2"], "\(rows)")
    }

    @Test func imageGridScalesEachImage() throws {
        let g = try ImageGrid(scalars: [0, 1, 2, 3], shape: [1, 1, 2, 2])
        let canvas = g.canvas(scale: 1)
        #expect(canvas.pixels[0] == 0 && canvas.pixels[3 * 3] == 255)
        #expect(throws: PlotError.self) { try ImageGrid(scalars: [0, 1], shape: [1, 2]) }
        #expect(g.terminal(color: false).count > 0)
    }
}

@Suite struct LargeImageTests {
    @Test("a 300×300 image is drawn from sampled pixels, no wider than the terminal")
    func largeImagesAreSampled() throws {
        let side = 300
        let grid = try ImageGrid(scalars: (0..<(side * side)).map { Double($0 % side) }, shape: [1, 1, side, side])
        let lines = grid.terminal(columns: 80, color: false).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines.count >= 30 && lines.count <= 40)
        // Sampling keeps the left-to-right ramp: darkest first, brightest last.
        #expect(lines[0].first == " " && lines[0].trimmingCharacters(in: .whitespaces).last == "@")
    }

    @Test("NaN and infinite pixels draw black instead of trapping")
    func nonFinitePixels() throws {
        let grid = try ImageGrid(scalars: [0, .nan, .infinity, 1], shape: [1, 1, 2, 2])
        #expect(!grid.terminal(columns: 80, color: true).isEmpty)
    }
}

@Suite struct PNGContentTests {
    @Test("a six-point line plot is a small compressed PNG that decodes back exactly")
    func plotsAreCompressed() throws {
        var chart = Chart(series: [.init(name: "loss", y: [1, 3, 2, 5, 4, 6])], title: "Loss")
        chart.xLabel = "epoch"
        let canvas = chart.canvas()
        let bytes = PNG.encode(canvas)
        #expect(bytes.count < 20_000, "\(bytes.count) bytes")
        #expect(try PNG.decode(bytes).pixels == canvas.pixels)
        // The stored (uncompressed) form would be larger than the raw pixels.
        #expect(bytes.count * 10 < canvas.pixels.count)
    }

    /// Dark pixels in a band of rows: text is drawn where it should be.
    func darkPixels(_ c: Canvas, rows: Range<Int>, columns: Range<Int>) -> Int {
        var n = 0
        for y in rows { for x in columns where c.pixels[(y * c.width + x) * 3] < 80 { n += 1 } }
        return n
    }

    @Test("the title, tick values, axis names and legend are drawn as text")
    func plotsCarryWords() throws {
        var chart = Chart(series: [.init(name: "train", y: [1, 2, 3])], title: "Accuracy")
        let bare = chart.canvas(width: 400, height: 300)
        chart.xLabel = "epoch"
        let named = chart.canvas(width: 400, height: 300)
        #expect(darkPixels(bare, rows: 8..<22, columns: 100..<300) > 30)  // the title
        #expect(darkPixels(bare, rows: 20..<260, columns: 0..<45) > 30)  // y tick values
        #expect(darkPixels(bare, rows: 285..<295, columns: 50..<200) > 20)  // the legend's name
        #expect(darkPixels(named, rows: 265..<280, columns: 150..<250) > darkPixels(bare, rows: 265..<280, columns: 150..<250))
    }

    @Test("every glyph of the pixel font is 5 rows of 3; unknown characters still draw")
    func fontIsWellFormed() {
        for (c, rows) in PixelFont.glyphs {
            #expect(rows.count == 5 && rows.allSatisfy { $0.count == 3 && $0.allSatisfy { $0 == "#" || $0 == "." } }, "\(c)")
        }
        var c = Canvas(width: 20, height: 10)
        c.text("é", x: 0, y: 0)
        #expect(c.pixels.contains { $0 < 80 })
    }
}
