import Foundation
import Plots
import Testing

@Suite struct PlotTests {
    @Test func pngRoundTripsThroughItsDecoder() throws {
        var c = Canvas(width: 300, height: 250)  // 300·3+1 bytes per row × 250 rows spans two stored blocks
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
        #expect(h.terminal().contains("3"))
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
