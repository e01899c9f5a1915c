import Foundation

/// Writes a PNG or SVG (chosen by the extension) atomically: temporary file, then rename.
public enum PlotFile {
    public static func write(chart: Chart, to path: String) throws {
        if path.lowercased().hasSuffix(".svg") { try write(Array(chart.svg().utf8), to: path) } else if path.lowercased().hasSuffix(".png") { try write(PNG.encode(chart.canvas()), to: path) } else { throw PlotError("\(path): choose a .png or .svg file name") }
    }

    public static func write(canvas: Canvas, to path: String) throws {
        guard path.lowercased().hasSuffix(".png") else { throw PlotError("\(path): images are written as .png") }
        try write(PNG.encode(canvas), to: path)
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw PlotError("\(path): cannot write there (does the folder exist?)")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PlotError("\(path): cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
